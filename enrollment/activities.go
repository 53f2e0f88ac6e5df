package enrollment

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/activities"
	"github.com/skolflow/skolflow/register"
)

// Activities are where the area's processes touch the world, thin over the Store. The worker
// registers them by method name, the names recorded histories carry.
type Activities struct{ DB *pgxpool.Pool }

// ApplicationGuardians answers the child's custodial guardians today.
func (a *Activities) ApplicationGuardians(ctx context.Context, child string) ([]string, error) {
	return register.CustodialGuardians(ctx, a.DB, child)
}

// RecordApplicationConsent records a guardian's answer to a version (Store.RecordConsent).
func (a *Activities) RecordApplicationConsent(ctx context.Context, c Consent) error {
	return activities.Permanent(Store{a.DB}.RecordConsent(ctx, c))
}

// RecordApplicationStatus records the application's status (Store.RecordStatus).
func (a *Activities) RecordApplicationStatus(ctx context.Context, s ApplicationStatus) error {
	return activities.Permanent(Store{a.DB}.RecordStatus(ctx, s))
}

// PlaceRound places a round with its seed and records the result (Store.Place). Idempotent: the
// same seed places the same.
func (a *Activities) PlaceRound(ctx context.Context, p RoundPlacement) (RoundStats, error) {
	stats, err := Store{a.DB}.Place(ctx, p.RoundID, p.Seed)
	return stats, activities.Permanent(err)
}

// RecordRoundStatus records a round's step (Store.RecordRoundStatus).
func (a *Activities) RecordRoundStatus(ctx context.Context, s RoundStatus) error {
	return activities.Permanent(Store{a.DB}.RecordRoundStatus(ctx, s))
}
