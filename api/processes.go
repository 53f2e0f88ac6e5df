package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/errs"
)

// A process's history, as people read it: who did what and when, and who was told.
//
// The history names people: who acted (actor), to whom a step was assigned (detail.assignee),
// and whom the process told and on which channels (notified: detail.recipient and channels;
// delivery-failed: its notification's recipient). A person with a protection marking is named
// only to themselves and to readers with staff need to know (Decision.StaffNeedToKnow: staff of
// the process's school, never a guardian). Every other reader, the child's other guardian
// first of all, gets the history without them: the events about reaching them are left out,
// and they are neither actor nor assignee of any event.

// ProcessView is a process's history: who did what, when, and which tasks it has.
type ProcessView struct {
	ID            string         `json:"id"`
	Kind          string         `json:"kind"`
	SchoolID      *string        `json:"schoolId"`
	SubjectPerson *string        `json:"subjectPerson"`
	StartedAt     time.Time      `json:"startedAt"`
	Events        []ProcessEvent `json:"events"`
}

// ProcessEvent is one step of the history.
type ProcessEvent struct {
	At     time.Time       `json:"at"`
	Kind   string          `json:"kind"`
	TaskID *string         `json:"taskId"`
	Actor  *string         `json:"actor"`
	Detail json.RawMessage `json:"detail"`
}

// process answers a process's history from PostgreSQL, where it outlives the workflow.
func (h taskHandlers) process(c *gin.Context) {
	const op = "process.history"
	id := c.Param("processId")
	var view ProcessView
	err := h.DB.QueryRow(c, `SELECT id, kind, school_id::text, subject_person::text, started_at FROM processes WHERE id = $1`, id).
		Scan(&view.ID, &view.Kind, &view.SchoolID, &view.SubjectPerson, &view.StartedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		Abort(c, errs.E(op, errs.NotFound, errs.Msg("There is no such resource.")))
		return
	}
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	if view.Events, err = h.history(c, id, ViewerOf(c)); err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, view)
}

// namedEvent is an event as recorded, with the people it names.
type namedEvent struct {
	ProcessEvent
	assignee  string // the person a step was assigned to, or ""
	recipient string // the person a notification went to, or ""
}

// history answers a process's events as the viewer may see them.
func (h taskHandlers) history(ctx context.Context, id string, v Viewer) ([]ProcessEvent, error) {
	rows, err := h.DB.Query(ctx, `SELECT e.at, e.kind, e.task_id::text, e.actor_id::text, e.detail,
		  coalesce(e.detail->>'assignee', ''), coalesce(e.detail->>'recipient', n.recipient_id::text, '')
		FROM process_events e
		LEFT JOIN notifications n ON e.kind = 'delivery-failed' AND n.id = (e.detail->>'notification')::uuid
		WHERE e.process_id = $1 ORDER BY e.at, e.id`, id)
	if err != nil {
		return nil, err
	}
	events, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (namedEvent, error) {
		var e namedEvent
		err := row.Scan(&e.At, &e.Kind, &e.TaskID, &e.Actor, &e.Detail, &e.assignee, &e.recipient)
		return e, err
	})
	if err != nil {
		return nil, err
	}
	hidden, err := h.hiddenFrom(ctx, v, events)
	if err != nil {
		return nil, err
	}
	out := make([]ProcessEvent, 0, len(events))
	for _, e := range events {
		if shown, ok := withoutHidden(e, hidden); ok {
			out = append(out, shown)
		}
	}
	return out, nil
}

// hiddenFrom answers the people the events name whom the viewer may not know: those with a
// protection marking, unless the viewer is one of them or has staff need to know.
func (h taskHandlers) hiddenFrom(ctx context.Context, v Viewer, events []namedEvent) (map[string]bool, error) {
	hidden := map[string]bool{}
	if v.StaffNeedToKnow {
		return hidden, nil
	}
	var named []string
	seen := map[string]bool{"": true, v.PersonID: true} // the viewer always sees themselves
	for _, e := range events {
		for _, p := range []string{deref(e.Actor), e.assignee, e.recipient} {
			if !seen[p] {
				seen[p] = true
				named = append(named, p)
			}
		}
	}
	if len(named) == 0 {
		return hidden, nil
	}
	rows, err := h.DB.Query(ctx, `SELECT id::text FROM persons WHERE id = ANY($1::uuid[]) AND security_marking <> 'Ingen'`, named)
	if err != nil {
		return nil, err
	}
	protected, err := pgx.CollectRows(rows, pgx.RowTo[string])
	for _, p := range protected {
		hidden[p] = true
	}
	return hidden, err
}

// withoutHidden is the event as a reader sees it who may not know the hidden persons: not at
// all when it is about reaching one of them (it tells when and on which channels), otherwise
// without them as actor or assignee.
func withoutHidden(e namedEvent, hidden map[string]bool) (ProcessEvent, bool) {
	if hidden[e.recipient] {
		return ProcessEvent{}, false
	}
	if e.Actor != nil && hidden[*e.Actor] {
		e.Actor = nil
	}
	if hidden[e.assignee] {
		var detail map[string]json.RawMessage
		if err := json.Unmarshal(e.Detail, &detail); err != nil {
			return ProcessEvent{}, false // a detail that cannot be read cannot be shown safely
		}
		delete(detail, "assignee")
		var err error
		if e.Detail, err = json.Marshal(detail); err != nil {
			return ProcessEvent{}, false
		}
	}
	return e.ProcessEvent, true
}
