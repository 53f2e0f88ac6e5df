package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/collect"
)

// The processes' record (processes, process_events), which outlives each workflow: which
// processes ran, and who did what and when, as the processes' activities wrote it.

// ProcessView is a process's history: who did what, when, and which tasks it has.
type ProcessView struct {
	ID            string         `json:"id" db:"id"`
	Kind          string         `json:"kind" db:"kind"`
	SchoolID      *string        `json:"schoolId" db:"school_id"`
	SubjectPerson *string        `json:"subjectPerson" db:"subject_person"`
	StartedAt     time.Time      `json:"startedAt" db:"started_at"`
	Events        []ProcessEvent `json:"events" db:"-"`
}

// ProcessEvent is one step of the history.
type ProcessEvent struct {
	At     time.Time       `json:"at" db:"at"`
	Kind   string          `json:"kind" db:"kind"`
	TaskID *string         `json:"taskId" db:"task_id"`
	Actor  *string         `json:"actor" db:"actor"`
	Detail json.RawMessage `json:"detail" db:"detail"`
}

// RecordedEvent is an event as recorded, with the people it names besides its actor. It is
// not for readers as it is: who may know whom is the reader's (api/processes.go).
type RecordedEvent struct {
	ProcessEvent
	Assignee  string `db:"assignee"`  // the person a step was assigned to, or ""
	Recipient string `db:"recipient"` // the person a notification went to, or its failed delivery's; or ""
}

// Process answers the process without its events; errs.NotFound when there is none.
func Process(ctx context.Context, db *pgxpool.Pool, id string) (ProcessView, error) {
	return collect.One[ProcessView](ctx, db, `SELECT id, kind, school_id::text AS school_id,
		  subject_person::text AS subject_person, started_at
		FROM processes WHERE id = $1`, id)
}

// ProcessEvents answers the process's events in the order they happened.
func ProcessEvents(ctx context.Context, db *pgxpool.Pool, process string) ([]RecordedEvent, error) {
	return collect.All[RecordedEvent](ctx, db, `SELECT e.at, e.kind, e.task_id::text AS task_id, e.actor_id::text AS actor, e.detail,
		  coalesce(e.detail->>'assignee', '') AS assignee, coalesce(e.detail->>'recipient', n.recipient_id::text, '') AS recipient
		FROM process_events e
		LEFT JOIN notifications n ON e.kind = 'delivery-failed' AND n.id = (e.detail->>'notification')::uuid
		WHERE e.process_id = $1 ORDER BY e.at, e.id`, process)
}
