package activities

import (
	"context"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/register"
)

// StoreAbsenceNotice records a notice to a pupil's guardians. Idempotent: the notice's
// (process, sequence) key makes a retry a no-op.
func (a *Activities) StoreAbsenceNotice(ctx context.Context, n absence.AbsenceNotice) error {
	kind := "notice"
	if n.Correction {
		kind = "correction"
	}
	_, err := a.DB.Exec(ctx, `
		INSERT INTO absence_notices (process_id, sequence, student_id, day, lesson_ids, kind)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (process_id, sequence) DO NOTHING`,
		n.ProcessID, n.Sequence, n.StudentID, n.Day, n.LessonIDs, kind)
	return Permanent(err)
}

// NoticesSoFar answers how many notices the absence day has on record, from earlier runs: a
// day reopened by a late registration numbers its notices on, so that they are stored and sent
// rather than taken for retries of the first run's.
func (a *Activities) NoticesSoFar(ctx context.Context, processID string) (int, error) {
	var n int
	err := a.DB.QueryRow(ctx, `SELECT coalesce(max(sequence), 0) FROM absence_notices WHERE process_id = $1`, processID).Scan(&n)
	return n, err
}

// CustodialGuardians answers the pupil's custodial guardians today (vårdnadshavare): the
// people the same-day notice goes to. Other responsible adults are not told.
func (a *Activities) CustodialGuardians(ctx context.Context, pupil string) ([]string, error) {
	return register.CustodialGuardians(ctx, a.DB, pupil)
}

// PupilContacts answers the pupil's school unit today and the mentors of the groups the pupil
// is in.
func (a *Activities) PupilContacts(ctx context.Context, pupil string) (absence.PupilContacts, error) {
	var c absence.PupilContacts
	var err error
	if c.SchoolID, err = register.SchoolOf(ctx, a.DB, pupil); err != nil {
		return c, Permanent(err)
	}
	c.Mentors, err = register.Mentors(ctx, a.DB, pupil)
	return c, Permanent(err)
}

// ClassifyAbsence records the mentor's classification: a valid absence moves the lessons'
// invalid minutes to valid. Idempotent: a second run finds nothing left to move.
func (a *Activities) ClassifyAbsence(ctx context.Context, c absence.AbsenceClassification) error {
	if !c.Valid {
		return nil // already invalid absence
	}
	_, err := a.DB.Exec(ctx, `UPDATE attendance SET valid_absence_minutes = valid_absence_minutes + invalid_absence_minutes,
		  invalid_absence_minutes = 0
		WHERE person_id = $1 AND lesson_id = ANY($2::uuid[]) AND invalid_absence_minutes > 0`, c.StudentID, c.LessonIDs)
	return Permanent(err)
}
