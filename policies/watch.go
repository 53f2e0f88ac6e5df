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
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := a.listen(ctx)
		if ctx.Err() != nil {
			return
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

func (a *Authorizer) listen(ctx context.Context) error {
	conn, err := a.db.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN "+register.ChangeChannel); err != nil {
		return err
	}
	// Anything that changed while we were not listening.
	if err := a.Reload(ctx); err != nil {
		return err
	}
	for {
		if _, err := conn.Conn().WaitForNotification(ctx); err != nil {
			conn.Conn().Close(context.Background()) // never hand a half-listening connection back
			return err
		}
		if err := a.Reload(ctx); err != nil {
			return err
		}
	}
}
