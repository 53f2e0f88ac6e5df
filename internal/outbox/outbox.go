// Package outbox delivers what the register records to the processes that act on it: the
// absence outbox (see store/migrations/0012_absence_outbox.sql; attendance writes it) to the pupils' absence days.
package outbox

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/skolflow/skolflow/store"
)

// Channel is the PostgreSQL notification channel a registration signals when it adds rows.
const Channel = "absence_outbox"

// The kinds of a row: the pupil missed the lesson without a known reason, or, registered absent
// before, attended it after all (a correction).
const (
	Missed   = "missed"
	Attended = "attended"
)

// Rows about one pupil must reach the pupil's day in the order they were written, so one
// dispatcher sends at a time. leadKey is the lock a dispatcher holds on its listening connection
// to lead; sendKey is taken by each round's transaction, so that even a dispatcher that lost its
// lead without noticing (its connection dropped mid-backlog) cannot send beside the new leader.
const (
	leadKey = 0x5f0b0c
	sendKey = 0x5f0b0d
)

// Dispatcher sends the absence outbox to the pupils' absence days.
type Dispatcher struct {
	DB   *pgxpool.Pool
	Days Days
	Log  *zap.Logger
	// Batch is how many rows one round sends; Parallel how many pupils at once.
	Batch, Parallel int
}

// Days are the pupils' absence days as the outbox reaches them (the absence area's
// absence.Days). Each returns an error only when the row must be sent again.
type Days interface {
	// Missed starts the pupil's absence day with the lesson missed, or adds it to the day.
	Missed(ctx context.Context, pupil, day, lesson string) error
	// Attended tells the pupil's day that the lesson was attended after all.
	Attended(ctx context.Context, pupil, day, lesson string) error
}

// Run sends rows as they come until ctx ends. Only the dispatcher holding the lock sends;
// another stands by to take over.
func (d *Dispatcher) Run(ctx context.Context) {
	store.Listener{
		DB:      d.DB,
		Channel: Channel,
		Log:     d.Log,
		// Lead: take the lock on the listening connection (closing it releases the lock), then
		// send what is waiting.
		Connected: func(ctx context.Context, conn *pgx.Conn) error {
			var leader bool
			if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, leadKey).Scan(&leader); err != nil {
				return err
			}
			if !leader {
				return store.ErrStandBy
			}
			return d.sendAll(ctx)
		},
		// On the next registration, or after a while in case a notification was missed.
		Notified: d.sendAll,
		Idle:     5 * time.Second,
	}.Run(ctx)
}

// sendAll sends batches until the outbox is empty. A failed round is tried again after a
// second: Temporal may be down, and the rows wait in the outbox until it is back.
func (d *Dispatcher) sendAll(ctx context.Context) error {
	for ctx.Err() == nil {
		n, err := d.Send(ctx)
		if err != nil {
			d.Log.Warn("absence outbox: sending failed; retrying", zap.Error(err))
			sleep(ctx, time.Second)
			continue
		}
		if n < d.batch() {
			return nil
		}
	}
	return ctx.Err()
}

func (d *Dispatcher) batch() int {
	if d.Batch > 0 {
		return d.Batch
	}
	return 500
}

// row is one registration waiting in the outbox.
type row struct {
	ID     int64  `db:"id"`
	Person string `db:"person_id"`
	Day    string `db:"day"`
	Lesson string `db:"lesson_id"`
	Missed bool   `db:"missed"`
}

// Send sends one batch of rows, oldest first, and deletes them once every one is sent; it
// answers how many it sent. Rows about one pupil and day go in order; pupils go side by side.
func (d *Dispatcher) Send(ctx context.Context) (int, error) {
	tx, err := d.DB.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(context.Background())
	var sending bool
	if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1)`, sendKey).Scan(&sending); err != nil || !sending {
		return 0, err // another dispatcher is sending
	}
	rows, err := tx.Query(ctx, `SELECT id, person_id::text, day::text, lesson_id::text, kind = $2 AS missed
		FROM absence_outbox ORDER BY id LIMIT $1`, d.batch(), Missed)
	if err != nil {
		return 0, err
	}
	waiting, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
	if err != nil || len(waiting) == 0 {
		return 0, err
	}
	var ids []int64
	var order []string
	byDay := map[string][]row{}
	for _, r := range waiting {
		key := r.Person + "|" + r.Day
		if _, ok := byDay[key]; !ok {
			order = append(order, key)
		}
		byDay[key] = append(byDay[key], r)
		ids = append(ids, r.ID)
	}
	var days errgroup.Group
	days.SetLimit(max(d.Parallel, 1))
	for _, key := range order {
		days.Go(func() error {
			for _, r := range byDay[key] {
				if err := d.send(ctx, r); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := days.Wait(); err != nil {
		return 0, err // nothing deleted: the batch goes again, and the days count lessons once
	}
	if _, err := tx.Exec(ctx, `DELETE FROM absence_outbox WHERE id = ANY($1)`, ids); err != nil {
		return 0, err
	}
	return len(ids), tx.Commit(ctx)
}

func (d *Dispatcher) send(ctx context.Context, r row) error {
	if r.Missed {
		return d.Days.Missed(ctx, r.Person, r.Day, r.Lesson)
	}
	return d.Days.Attended(ctx, r.Person, r.Day, r.Lesson)
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
