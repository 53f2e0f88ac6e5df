package absence

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/activities"
	"github.com/skolflow/skolflow/register"
)

// Activities are where the absence processes touch the world, thin over the Store and the
// register. The worker registers them by method name, the names recorded histories carry. Each
// is idempotent; data the database rejects is a permanent failure (activities.Permanent).
type Activities struct{ DB *pgxpool.Pool }

// StoreAbsenceNotice records a notice to a pupil's guardians (Store.StoreNotice): a retry
// writes nothing more, and the guardians get one notice.
func (a *Activities) StoreAbsenceNotice(ctx context.Context, n AbsenceNotice) error {
	return activities.Permanent(Store{a.DB}.StoreNotice(ctx, n))
}

// NoticesSoFar answers how many notices the absence day has on record, from earlier runs: a
// day reopened by a late registration numbers its notices on, so that they are stored and sent
// rather than taken for retries of the first run's.
func (a *Activities) NoticesSoFar(ctx context.Context, processID string) (int, error) {
	return Store{a.DB}.NoticesSoFar(ctx, processID)
}

// CustodialGuardians answers the pupil's custodial guardians today (vårdnadshavare): the
// people the same-day notice goes to. Other responsible adults are not told.
func (a *Activities) CustodialGuardians(ctx context.Context, pupil string) ([]string, error) {
	return register.CustodialGuardians(ctx, a.DB, pupil)
}

// PupilContacts answers the pupil's school unit today and the mentors of the groups the pupil
// is in.
func (a *Activities) PupilContacts(ctx context.Context, pupil string) (PupilContacts, error) {
	var c PupilContacts
	var err error
	if c.SchoolID, err = register.SchoolOf(ctx, a.DB, pupil); err != nil {
		return c, activities.Permanent(err)
	}
	c.Mentors, err = register.Mentors(ctx, a.DB, pupil)
	return c, activities.Permanent(err)
}

// ClassifyAbsence records the mentor's classification: a valid absence moves the lessons'
// invalid minutes to valid (Store.ClassifyValid); an invalid one is invalid absence already.
func (a *Activities) ClassifyAbsence(ctx context.Context, c AbsenceClassification) error {
	if !c.Valid {
		return nil
	}
	return activities.Permanent(Store{a.DB}.ClassifyValid(ctx, c.StudentID, c.LessonIDs))
}

// FindAbsencePatterns answers a page of the pupils whose absence calls for an investigation
// (Store.Patterns).
func (a *Activities) FindAbsencePatterns(ctx context.Context, q AbsencePatternQuery) ([]AbsencePattern, error) {
	return Store{a.DB}.Patterns(ctx, q)
}

// RecordInvestigation records an investigation's step (Store.RecordInvestigation).
func (a *Activities) RecordInvestigation(ctx context.Context, r InvestigationRecord) error {
	return activities.Permanent(Store{a.DB}.RecordInvestigation(ctx, r))
}

// OrganiserOf answers the organiser (huvudman) a school unit belongs to, "" if none.
func (a *Activities) OrganiserOf(ctx context.Context, school string) (string, error) {
	organiser, err := Store{a.DB}.OrganiserOf(ctx, school)
	return organiser, activities.Permanent(err)
}
