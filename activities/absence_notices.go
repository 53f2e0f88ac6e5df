// Package activities is where processes touch the world: PostgreSQL, mail, SMS. Every activity
// is idempotent, so Temporal may retry it after a crash without writing or sending twice.
package activities

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/workflows"
)

// Activities holds what the activities need; the worker registers its methods by name.
type Activities struct {
	DB    *pgxpool.Pool
	Email EmailSender // nil: the email channel is not configured
	SMS   SMSSender   // nil: the SMS channel is not configured
}

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
