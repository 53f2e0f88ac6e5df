package api

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// The access log records every authorization decision about a non-public route: who, what,
// about whom, allowed or not. A request goes on only once its row is committed, so no decision
// about personal data goes unrecorded. Requests that arrive together share one INSERT and one
// commit (group commit): under load this saves a transaction per request, and alone a request
// waits for nothing but its own row.

// accessEntry is one decision for the log.
type accessEntry struct {
	actor, method, route string
	kind, id             *string
	params               map[string]string
	allowed              bool
	requestID            string
}

// accessLogWriter batches entries. At most one flush runs at a time; entries that arrive while
// it runs go in the next one.
type accessLogWriter struct {
	db       *pgxpool.Pool
	mu       sync.Mutex
	pending  []pendingEntry
	flushing bool
}

type pendingEntry struct {
	accessEntry
	done chan error
}

// accessLogTimeout bounds one batch's write.
const accessLogTimeout = 10 * time.Second

// write records e and returns once it is committed, or ctx ends.
func (w *accessLogWriter) write(ctx context.Context, e accessEntry) error {
	p := pendingEntry{e, make(chan error, 1)}
	w.mu.Lock()
	w.pending = append(w.pending, p)
	if !w.flushing {
		w.flushing = true
		go w.flush()
	}
	w.mu.Unlock()
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// flush writes batches until none is waiting, then ends.
func (w *accessLogWriter) flush() {
	for {
		w.mu.Lock()
		batch := w.pending
		w.pending = nil
		if len(batch) == 0 {
			w.flushing = false
			w.mu.Unlock()
			return
		}
		w.mu.Unlock()
		if err := w.insert(batch); err == nil || len(batch) == 1 {
			for _, p := range batch {
				p.done <- err
			}
			continue
		}
		// One entry the database refuses must not fail the requests it shared a batch with: each
		// goes on its own, and gets its own answer.
		for _, p := range batch {
			p.done <- w.insert([]pendingEntry{p})
		}
	}
}

func (w *accessLogWriter) insert(batch []pendingEntry) error {
	n := len(batch)
	actors, methods, routes, requests := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	kinds, ids := make([]*string, n), make([]*string, n)
	params, allowed := make([]string, n), make([]bool, n)
	for i, p := range batch {
		actors[i], methods[i], routes[i], requests[i] = p.actor, p.method, p.route, p.requestID
		kinds[i], ids[i], allowed[i] = p.kind, p.id, p.allowed
		b, err := json.Marshal(p.params)
		if err != nil {
			return err
		}
		params[i] = string(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), accessLogTimeout)
	defer cancel()
	_, err := w.db.Exec(ctx, `INSERT INTO access_log (actor_id, method, route, target_kind, target_id, params, allowed, request_id)
		SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::boolean[], $8::text[])`,
		actors, methods, routes, kinds, ids, params, allowed, requests)
	return err
}
