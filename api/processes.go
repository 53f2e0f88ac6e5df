package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/errs"
)

// A process's history, as people read it: who did what and when, and who was told.

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
		abort(c, errs.E(op, errs.NotFound, errs.Msg("There is no such resource.")))
		return
	}
	if err != nil {
		abort(c, errs.E(op, err))
		return
	}
	rows, err := h.DB.Query(c, `SELECT at, kind, task_id::text, actor_id::text, detail FROM process_events
		WHERE process_id = $1 ORDER BY at, id`, id)
	if view.Events, err = many[ProcessEvent](rows, err); err != nil {
		abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, view)
}
