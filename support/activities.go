package support

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/activities"
)

// Activities are where the support process touches the world, thin over the Store. The worker
// registers them by method name, the names recorded histories carry.
type Activities struct{ DB *pgxpool.Pool }

// SupportParties answers who takes part in a case (Store.Parties).
func (a *Activities) SupportParties(ctx context.Context, in Input) (Parties, error) {
	return Store{a.DB}.Parties(ctx, in)
}

// SignalSupportNeed records a case begun by another process (Store.Signal). Idempotent.
func (a *Activities) SignalSupportNeed(ctx context.Context, n NewCase) error {
	return activities.Permanent(Store{a.DB}.Signal(ctx, n))
}

// BeginSupportInvestigation begins the case's investigation document (Store.BeginInvestigation).
// Idempotent.
func (a *Activities) BeginSupportInvestigation(ctx context.Context, inv Investigation) (string, error) {
	doc, err := Store{a.DB}.BeginInvestigation(ctx, inv)
	return doc, activities.Permanent(err)
}

// SupportDecision answers the case's recorded decision (Store.Decision).
func (a *Activities) SupportDecision(ctx context.Context, caseID string) (Decision, error) {
	d, err := Store{a.DB}.Decision(ctx, caseID)
	return d, activities.Permanent(err)
}
