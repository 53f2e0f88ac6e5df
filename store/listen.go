package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/zap"
)

// A Listener keeps one connection of its own LISTENing on a PostgreSQL notification channel,
// and acts on each notification. It is how an instance follows what another instance wrote:
// the register's changes (the authorizer reloads) and the absence outbox (the dispatcher sends).
//
// Notifications sent while no connection listens are lost, so on every new connection, after
// LISTEN, Connected catches up; after a failure the connection is closed (never returned to the
// pool, where it would go on buffering notifications) and another is taken, with backoff.
type Listener struct {
	DB      *pgxpool.Pool
	Channel string
	Log     *zap.Logger
	// Connected runs on each new connection once it listens: catch up on what may have been
	// missed. It may use conn (to take a session lock, say); ErrStandBy from it means this
	// instance is not to act now: the connection is closed and tried again after StandBy.
	Connected func(ctx context.Context, conn *pgx.Conn) error
	// Notified runs after each notification, and after Idle passes without one (0: never).
	// An error from it drops the connection, as a lost connection does.
	Notified func(ctx context.Context) error
	Idle     time.Duration
	// StandBy is how long to wait before trying again after ErrStandBy (default 2 s).
	StandBy time.Duration
}

// ErrStandBy is what Connected answers when another instance has the work.
var ErrStandBy = errors.New("another instance is listening")

// Backoff after a lost connection: from the first, doubling up to the last.
const (
	firstBackoff = 100 * time.Millisecond
	lastBackoff  = 10 * time.Second
)

// Run listens until ctx ends.
func (l Listener) Run(ctx context.Context) {
	backoff := firstBackoff
	for ctx.Err() == nil {
		listened, err := l.listen(ctx)
		if ctx.Err() != nil {
			return
		}
		wait := backoff
		switch {
		case errors.Is(err, ErrStandBy):
			wait = l.StandBy
			if wait == 0 {
				wait = 2 * time.Second
			}
		case listened:
			backoff, wait = firstBackoff, firstBackoff
			fallthrough
		default:
			l.Log.Warn("listener lost its connection; reconnecting", zap.String("channel", l.Channel), zap.Error(err))
			backoff = min(backoff*2, lastBackoff)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// listen holds one connection until something fails; it reports whether it got as far as
// acting on the channel.
func (l Listener) listen(ctx context.Context) (listened bool, err error) {
	pooled, err := l.DB.Acquire(ctx)
	if err != nil {
		return false, err
	}
	conn := pooled.Hijack() // closed below, never back in the pool
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{l.Channel}.Sanitize()); err != nil {
		return false, err
	}
	if err := l.Connected(ctx, conn); err != nil {
		return false, err
	}
	for {
		wait, cancel := ctx, context.CancelFunc(func() {})
		if l.Idle > 0 {
			wait, cancel = context.WithTimeout(ctx, l.Idle)
		}
		_, err := conn.WaitForNotification(wait)
		cancel()
		if err != nil && (ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded)) {
			return true, err
		}
		if err := l.Notified(ctx); err != nil {
			return true, err
		}
	}
}
