package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/store"
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

// process answers a process's history from PostgreSQL, where it outlives the workflow.
func (h taskHandlers) process(c *gin.Context) {
	const op = "process.history"
	id := c.Param("processId")
	view, err := store.Process(c, h.DB, id)
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

// history answers a process's events as the viewer may see them.
func (h taskHandlers) history(ctx context.Context, id string, v Viewer) ([]store.ProcessEvent, error) {
	events, err := store.ProcessEvents(ctx, h.DB, id)
	if err != nil {
		return nil, err
	}
	hidden, err := h.hiddenFrom(ctx, v, events)
	if err != nil {
		return nil, err
	}
	out := make([]store.ProcessEvent, 0, len(events))
	for _, e := range events {
		if shown, ok := withoutHidden(e, hidden); ok {
			out = append(out, shown)
		}
	}
	return out, nil
}

// hiddenFrom answers the people the events name whom the viewer may not know: those with a
// protection marking, unless the viewer is one of them or has staff need to know.
func (h taskHandlers) hiddenFrom(ctx context.Context, v Viewer, events []store.RecordedEvent) (map[string]bool, error) {
	hidden := map[string]bool{}
	if v.StaffNeedToKnow {
		return hidden, nil
	}
	var named []string
	seen := map[string]bool{"": true, v.PersonID: true} // the viewer always sees themselves
	for _, e := range events {
		for _, p := range []string{deref(e.Actor), e.Assignee, e.Recipient} {
			if !seen[p] {
				seen[p] = true
				named = append(named, p)
			}
		}
	}
	if len(named) == 0 {
		return hidden, nil
	}
	protected, err := register.ProtectedAmong(ctx, h.DB, named)
	for _, p := range protected {
		hidden[p] = true
	}
	return hidden, err
}

// withoutHidden is the event as a reader sees it who may not know the hidden persons: not at
// all when it is about reaching one of them (it tells when and on which channels), otherwise
// without them as actor or assignee.
func withoutHidden(e store.RecordedEvent, hidden map[string]bool) (store.ProcessEvent, bool) {
	if hidden[e.Recipient] {
		return store.ProcessEvent{}, false
	}
	if e.Actor != nil && hidden[*e.Actor] {
		e.Actor = nil
	}
	if hidden[e.Assignee] {
		var detail map[string]json.RawMessage
		if err := json.Unmarshal(e.Detail, &detail); err != nil {
			return store.ProcessEvent{}, false // a detail that cannot be read cannot be shown safely
		}
		delete(detail, "assignee")
		var err error
		if e.Detail, err = json.Marshal(detail); err != nil {
			return store.ProcessEvent{}, false
		}
	}
	return e.ProcessEvent, true
}

// ProcessHistory answers a process's events as the viewer may see them, by the rules above: for
// an area that exports a process's history beside its records.
func ProcessHistory(ctx context.Context, db *pgxpool.Pool, id string, v Viewer) ([]store.ProcessEvent, error) {
	return taskHandlers{Deps{DB: db}}.history(ctx, id, v)
}
