// Package activities is where processes touch the world: PostgreSQL, mail, SMS. Every activity
// is idempotent, so Temporal may retry it after a crash without writing or sending twice.
package activities

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Activities holds what the activities need; the worker registers its methods by name.
type Activities struct {
	DB    *pgxpool.Pool
	Email EmailSender // nil: the email channel is not configured
	SMS   SMSSender   // nil: the SMS channel is not configured
	// PublicURL is where people open the pages (SKOLFLOW_PUBLIC_URL): a message links there to
	// the page where it is answered.
	PublicURL string
}

// tx runs fn in one transaction: an activity's writes land together or not at all.
func (a *Activities) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, a.DB, fn)
}
