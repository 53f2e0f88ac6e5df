package incidents

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/activities"
)

// Activities are where the incident process touches the world, thin over the Store. The worker
// registers them by method name, the names recorded histories carry.
type Activities struct{ DB *pgxpool.Pool }

// IncidentParties answers who takes part in an incident (Store.Parties).
func (a *Activities) IncidentParties(ctx context.Context, id string) (Parties, error) {
	return Store{a.DB}.Parties(ctx, id)
}

// RecordIncidentStep records a step (Store.RecordStep). Idempotent.
func (a *Activities) RecordIncidentStep(ctx context.Context, r StepRecord) error {
	return activities.Permanent(Store{a.DB}.RecordStep(ctx, r))
}
