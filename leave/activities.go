package leave

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/activities"
	"github.com/skolflow/skolflow/register"
)

// Activities are where the leave process touches the world, thin over the Store. The worker
// registers them by method name, the names recorded histories carry.
type Activities struct{ DB *pgxpool.Pool }

// LeaveParties answers who takes part in a pupil's leave application at a school: the custodial
// guardians, the mentors, how many school days the principal has delegated to mentors, the
// school days of the pupil's other leave that adjoins the application, and whether the
// applicant has a protection marking.
func (a *Activities) LeaveParties(ctx context.Context, q PartiesQuery) (Parties, error) {
	pupil, school, application := q.PupilID, q.SchoolID, q.ApplicationID
	var p Parties
	var err error
	if p.Guardians, err = register.CustodialGuardians(ctx, a.DB, pupil); err != nil {
		return p, err
	}
	if p.Mentors, err = register.Mentors(ctx, a.DB, pupil); err != nil {
		return p, err
	}
	store := Store{a.DB}
	if p.MentorMaxDays, err = store.MentorMaxDays(ctx, school); err != nil {
		return p, err
	}
	if p.AdjoiningDays, err = store.AdjoiningDays(ctx, pupil, application); err != nil {
		return p, activities.Permanent(err)
	}
	p.ApplicantProtected, err = store.ApplicantProtected(ctx, application)
	return p, activities.Permanent(err)
}

// RecordLeaveStatus records a step of an application (Store.Record). Idempotent.
func (a *Activities) RecordLeaveStatus(ctx context.Context, s StatusRecord) error {
	return activities.Permanent(Store{a.DB}.Record(ctx, s))
}
