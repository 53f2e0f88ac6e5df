package api

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/store"
)

// The access log records every authorization decision about a non-public route: who, what,
// about whom, allowed or not. A request goes on only once its row is committed, so no decision
// about personal data goes unrecorded. Requests that arrive together share one statement and one
// commit (group commit): under load this saves a transaction per request, and alone a request
// waits for nothing but its own row. The log's SQL is the kernel store's (store.AppendAccessLog).

// accessLogWriter batches entries. At most one flush runs at a time; entries that arrive while
// it runs go in the next one.
type accessLogWriter struct {
	db       *pgxpool.Pool
	mu       sync.Mutex
	pending  []pendingEntry
	flushing bool
}

type pendingEntry struct {
	store.AccessEntry
	done chan error
}

// accessLogTimeout bounds one batch's write.
const accessLogTimeout = 10 * time.Second

// write records e and returns once it is committed, or ctx ends.
func (w *accessLogWriter) write(ctx context.Context, e store.AccessEntry) error {
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

// insert writes one batch (store.AppendAccessLog), within accessLogTimeout.
func (w *accessLogWriter) insert(batch []pendingEntry) error {
	entries := make([]store.AccessEntry, len(batch))
	for i, p := range batch {
		entries[i] = p.AccessEntry
	}
	ctx, cancel := context.WithTimeout(context.Background(), accessLogTimeout)
	defer cancel()
	return store.AppendAccessLog(ctx, w.db, entries)
}
