package incidents

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// The area's HTTP handlers: bind, check what api/openapi.yaml cannot say, call the Store or start
// the process, respond. Who may call each is decided before, by policy.csv.

type handlers struct {
	env   area.Env
	store Store
}

// ReportInput is a staff member's report: the pupils concerned, when and where it happened, and
// what happened.
type ReportInput struct {
	Pupils      []Concerned `json:"pupils"`
	OccurredAt  time.Time   `json:"occurredAt"`
	Place       string      `json:"place"`
	Description string      `json:"description"`
}

// report records a report of degrading treatment at the school unit and starts its process: if
// the process cannot start, nothing stays recorded.
func (h handlers) report(c *gin.Context) {
	const op = "incidents.report"
	var in ReportInput
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	now := time.Now()
	bad.Moment("occurredAt", in.OccurredAt)
	if in.OccurredAt.After(now) {
		bad.Add("occurredAt", "is in the future: report what has happened")
	}
	school := c.Param("schoolId")
	persons := make([]string, len(in.Pupils))
	for i, p := range in.Pupils {
		persons[i] = p.Person
	}
	at, err := h.store.AtSchool(c, school, persons)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	seen, subjected := map[string]bool{}, false
	for i, p := range in.Pupils {
		field := fmt.Sprintf("pupils/%d/person", i)
		switch {
		case seen[p.Person]:
			bad.Add(field, "is named twice")
		case !at[p.Person]:
			// The same answer for a pupil of another school and an id that names no one.
			bad.Add(field, "is not a pupil of this school unit: report at the pupil's own school")
		}
		seen[p.Person] = true
		subjected = subjected || p.Role == "subjected"
	}
	if len(in.Pupils) > 0 && !subjected {
		bad.Add("pupils", "names no pupil subjected to the treatment")
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}

	n := NewIncident{ID: uuid.NewString(), SchoolID: school, ReportedBy: api.ViewerOf(c).PersonID,
		OccurredAt: in.OccurredAt, Place: in.Place, Description: in.Description, Pupils: in.Pupils}
	if err := h.store.Report(c, n); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	cfg := h.env.Config
	err = api.StartProcess(c, h.env.Temporal, client.StartWorkflowOptions{ID: ID(n.ID), TaskQueue: h.env.TaskQueue},
		func(ctx context.Context) error { return h.store.Withdraw(ctx, n.ID) },
		Incident, Input{IncidentID: n.ID, SchoolID: school, AcknowledgeDue: SameDay(now, AcknowledgeDue.In(cfg)),
			ReportDue: ReportDue.In(cfg), InvestigateDue: InvestigateDue.In(cfg), MeasuresDue: MeasuresDue.In(cfg),
			FollowUpAfter: FollowUpAfter.In(cfg), DeliveryDeadline: cfg.DeliveryDeadline})
	if err != nil {
		api.Abort(c, errs.E(op, errs.Unavailable, errs.Msg("The report could not be started; nothing was saved. Send it again."), err))
		return
	}
	h.answer(c, n.ID, http.StatusCreated)
}

// SameDay is the time from now the principal has to acknowledge a report: within, and never past
// the end of the day (in the schools' time zone) the report is made.
func SameDay(now time.Time, within time.Duration) time.Duration {
	local := now.In(register.SchoolDay)
	midnight := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, register.SchoolDay)
	return min(within, midnight.Sub(now))
}

// school answers the incidents of the organisation (a school unit, or the organiser for all of
// its schools) with the time each step took, newest first: limit (1–1000, 100 unless given) at a
// time, reported before before (RFC 3339, for the next page: the last one's reportedAt).
func (h handlers) school(c *gin.Context) {
	const op = "incidents.school"
	var bad api.Fields
	limit, before := 100, time.Time{}
	if v := c.Query("limit"); v != "" {
		limit, _ = strconv.Atoi(v) // api/openapi.yaml bounds it
	}
	if v := c.Query("before"); v != "" {
		var err error
		if before, err = time.Parse(time.RFC3339Nano, v); err != nil {
			bad.Add("before", "is not a time such as 2026-12-01T08:00:00Z")
		}
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	out, err := h.store.School(c, c.Param("schoolId"), limit, before)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// get answers an incident in full.
func (h handlers) get(c *gin.Context) { h.answer(c, c.Param("incidentId"), http.StatusOK) }

func (h handlers) answer(c *gin.Context, id string, status int) {
	out, err := h.store.Details(c, id)
	if err != nil {
		api.Abort(c, errs.E("incidents.get", err))
		return
	}
	c.JSON(status, out)
}
