package policies

import (
	"context"
	"time"

	"go.uber.org/zap"

	"github.com/skolflow/skolflow/register"
)

// Watch keeps the Authorizer in step with the register across every API instance: it listens
// for the register's change notifications (PostgreSQL LISTEN/NOTIFY) and reloads on each. After
// a lost connection it reloads once, since notifications may have been missed, and listens
// again. It returns when ctx ends.
func (a *Authorizer) Watch(ctx context.Context, log *zap.Logger) {
	const firstBackoff = 100 * time.Millisecond
	backoff := firstBackoff
	for ctx.Err() == nil {
		listened, err := a.listen(ctx)
		if ctx.Err() != nil {
			return
		}
		if listened {
			backoff = firstBackoff
		}
		log.Warn("register change listener lost its connection; reconnecting", zap.Error(err))
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 10*time.Second)
	}
}

// listen holds one connection for LISTEN until something fails. It reports whether it got as
// far as listening. The connection is closed, never returned to the pool, so no other user gets
// a connection that is still listening and buffering notifications.
func (a *Authorizer) listen(ctx context.Context) (listened bool, err error) {
	conn, err := a.db.Acquire(ctx)
	if err != nil {
		return false, err
	}
	defer func() {
		conn.Conn().Close(context.WithoutCancel(ctx))
		conn.Release()
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+register.ChangeChannel); err != nil {
		return false, err
	}
	// Anything that changed while we were not listening.
	if err := a.Reload(ctx); err != nil {
		return true, err
	}
	for {
		if _, err := conn.Conn().WaitForNotification(ctx); err != nil {
			return true, err
		}
		a.notified.Add(1)
		if err := a.Reload(ctx); err != nil {
			return true, err
		}
	}
}
