package grading

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/activities"
)

// Activities are where the grading processes touch the world, thin over the Store. The worker
// registers them by method name, the names recorded histories carry. Each is idempotent.
type Activities struct{ DB *pgxpool.Pool }

// GradingPeriodStarted records the period's first run (Store.Started).
func (a *Activities) GradingPeriodStarted(ctx context.Context, s PeriodStarted) error {
	return activities.Permanent(Store{a.DB}.Started(ctx, s.PeriodID, s.RunID))
}

// GradingPlan answers the period's graded activities and groups (Store.Plan).
func (a *Activities) GradingPlan(ctx context.Context, period string) (Plan, error) {
	p, err := Store{a.DB}.Plan(ctx, period)
	return p, activities.Permanent(err)
}

// FinalizeGrades makes an activity's grades final (Store.Finalize).
func (a *Activities) FinalizeGrades(ctx context.Context, f Finalize) error {
	return activities.Permanent(Store{a.DB}.Finalize(ctx, f))
}

// CertifiedInSubject tells whether a person is certified in an activity's subject.
func (a *Activities) CertifiedInSubject(ctx context.Context, c Certification) (bool, error) {
	ok, err := Store{a.DB}.Certified(ctx, c.Person, c.ActivityID)
	return ok, activities.Permanent(err)
}

// SignCatalogue records a group's signed catalogue (Store.SignCatalogue).
func (a *Activities) SignCatalogue(ctx context.Context, c SignedCatalogue) error {
	return activities.Permanent(Store{a.DB}.SignCatalogue(ctx, c))
}

// PublishGrades publishes the period and answers whom to tell (Store.Publish).
func (a *Activities) PublishGrades(ctx context.Context, p Publication) ([]Recipient, error) {
	r, err := Store{a.DB}.Publish(ctx, p)
	return r, activities.Permanent(err)
}
