package activities

import (
	"context"

	"github.com/skolflow/skolflow/workflows"
)

// StoreAbsenceNotice records a notice to a pupil's guardians. Idempotent: the notice's
// (process, sequence) key makes a retry a no-op.
func (a *Activities) StoreAbsenceNotice(ctx context.Context, n workflows.AbsenceNotice) error {
	_, err := a.DB.Exec(ctx, `
		INSERT INTO absence_notices (process_id, sequence, student_id, day, lesson_ids)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (process_id, sequence) DO NOTHING`,
		n.ProcessID, n.Sequence, n.StudentID, n.Day, n.LessonIDs)
	return permanent(err)
}
