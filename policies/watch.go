package policies

import (
	"context"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/store"
)

// Watch keeps the Authorizer in step with the register across every API instance: it listens
// for the register's change notifications (PostgreSQL LISTEN/NOTIFY) and, on each, reloads if
// the version moved past the snapshot's (a request may have reloaded for it already). On every
// connection, the first and each after a lost one, it does the same, since notifications may
// have been missed. It returns when ctx ends.
func (a *Authorizer) Watch(ctx context.Context, log *zap.Logger) {
	store.Listener{
		DB:        a.db,
		Channel:   register.ChangeChannel,
		Log:       log,
		Connected: func(ctx context.Context, _ *pgx.Conn) error { return a.refresh(ctx) },
		Notified: func(ctx context.Context) error {
			a.notified.Add(1)
			return a.refresh(ctx)
		},
	}.Run(ctx)
}
