package ss12000

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/store"
)

// Channel is the PostgreSQL notification channel a change that concerns a subscription wakes.
const Channel = "ss12000_changed"

// notifyEvery is how often the notifier wakes the subscriptions a change concerns, at most: a
// morning's changes come many a second, and one wake covers them all.
const notifyEvery = 250 * time.Millisecond

// Notifier is the service that wakes the delivery processes of the subscriptions with changes
// pending, soon after each change: it listens on Channel, and then signals each process whose
// subscription has changes pending and has not expired. Every API instance runs one; two
// signals wake a process once. A subscription whose receiver is failing is not woken: its
// process is trying again already. A notification lost while no connection listened is made up
// for when it listens again, and by each process's own poll.
func Notifier(env area.Env) func(ctx context.Context) {
	h := handlers{db: env.DB, env: env}
	return func(ctx context.Context) {
		var dirty atomic.Bool
		dirty.Store(true)
		go store.Listener{DB: env.DB, Channel: Channel, Log: env.Log,
			Connected: func(context.Context, *pgx.Conn) error { dirty.Store(true); return nil },
			Notified:  func(context.Context) error { dirty.Store(true); return nil },
		}.Run(ctx)
		tick := time.NewTicker(notifyEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if !dirty.Swap(false) {
					continue
				}
				if err := h.wakePending(ctx); err != nil && ctx.Err() == nil {
					env.Log.Warn("ss12000 notifier: waking subscriptions failed; trying again", zap.Error(err))
					dirty.Store(true)
				}
			}
		}
	}
}

// wakePending signals the delivery process of every subscription with changes pending.
func (h handlers) wakePending(ctx context.Context) error {
	rows, err := h.db.Query(ctx, `SELECT s.id::text FROM ss12000_subscriptions s
		WHERE s.expires > now() AND s.failing_since IS NULL AND EXISTS (SELECT 1 FROM ss12000_pending p WHERE p.subscription_id = s.id)`)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := h.wake(ctx, id, SignalChanged); err != nil {
			return err
		}
	}
	return nil
}
