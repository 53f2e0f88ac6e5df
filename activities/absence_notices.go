package activities

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/workflows"
)

// StoreAbsenceNotice records a notice to a pupil's guardians. Idempotent: the notice's
// (process, sequence) key makes a retry a no-op.
func (a *Activities) StoreAbsenceNotice(ctx context.Context, n workflows.AbsenceNotice) error {
	kind := "notice"
	if n.Correction {
		kind = "correction"
	}
	_, err := a.DB.Exec(ctx, `
		INSERT INTO absence_notices (process_id, sequence, student_id, day, lesson_ids, kind)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (process_id, sequence) DO NOTHING`,
		n.ProcessID, n.Sequence, n.StudentID, n.Day, n.LessonIDs, kind)
	return permanent(err)
}

// CustodialGuardians answers the pupil's custodial guardians today (vårdnadshavare): the
// people the same-day notice goes to. Other responsible adults are not told.
func (a *Activities) CustodialGuardians(ctx context.Context, pupil string) ([]string, error) {
	rows, err := a.DB.Query(ctx, `SELECT responsible_id::text FROM responsibles r
		WHERE r.person_id = $1 AND r.relation_type = 'Vårdnadshavare'
		  AND (r.start_date IS NULL OR r.start_date <= current_date) AND (r.end_date IS NULL OR r.end_date >= current_date)
		ORDER BY responsible_id`, pupil)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
