package web

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/store"
)

// sessionChannel is the PostgreSQL notification channel a session's change is told on.
const sessionChannel = "web_sessions"

// cacheFor is how long an instance trusts a session it has read. A change made through another
// instance reaches this one by notification at once (Watch); cacheFor bounds how long it may be
// missed while this instance's listener has lost its connection.
const cacheFor = 30 * time.Second

// sessionCache holds the sessions an instance has read lately, by their token's hash.
type sessionCache struct {
	mu      sync.Mutex
	entries map[string]cachedSession
}

type cachedSession struct {
	s    Session
	read time.Time
}

func newSessionCache() *sessionCache { return &sessionCache{entries: map[string]cachedSession{}} }

func (c *sessionCache) get(key []byte) (Session, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[string(key)]
	if !ok || time.Since(e.read) > cacheFor {
		return Session{}, false
	}
	return e.s, true
}

func (c *sessionCache) put(key []byte, s Session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= 100_000 { // a bound: drop what is stale
		for k, e := range c.entries {
			if time.Since(e.read) > cacheFor {
				delete(c.entries, k)
			}
		}
	}
	c.entries[string(key)] = cachedSession{s: s, read: time.Now()}
}

func (c *sessionCache) forget(key []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, string(key))
}

// clear forgets every session: one has changed somewhere, or changes may have been missed.
func (c *sessionCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
}

// Watch keeps this instance's sessions in step with every other's: a sign-out or a change of
// language anywhere is heard here and the cached sessions are read again. It returns when ctx
// ends.
func (w *Web) Watch(ctx context.Context, log *zap.Logger) {
	forget := func(context.Context) error { w.sessions.cache.clear(); return nil }
	store.Listener{
		DB:        w.d.DB,
		Channel:   sessionChannel,
		Log:       log,
		Connected: func(ctx context.Context, _ *pgx.Conn) error { return forget(ctx) },
		Notified:  forget,
	}.Run(ctx)
}
