package leave

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// The area's HTTP handlers: bind, check what the request itself can tell beyond its shape (which
// api/openapi.yaml states and the kernel's middleware checks), call the Store or start the
// process, respond. Who may call each is decided before, by the area's policy.csv.

type handlers struct {
	env   area.Env
	store Store
}

// ApplicationInput is a guardian's application: the first and last day of leave, and why.
type ApplicationInput struct {
	From   string `json:"from"` // YYYY-MM-DD, the first day of leave
	To     string `json:"to"`   // YYYY-MM-DD, the last day of leave
	Reason string `json:"reason"`
}

// apply records the application and starts its process: if the process cannot start, nothing
// stays recorded.
func (h handlers) apply(c *gin.Context) {
	const op = "leave.apply"
	var in ApplicationInput
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	bad.Date("from", in.From) // in the years the platform accepts
	bad.Date("to", in.To)
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	first, _ := time.ParseInLocation(time.DateOnly, in.From, register.SchoolDay)
	last, _ := time.ParseInLocation(time.DateOnly, in.To, register.SchoolDay)
	today := time.Now().In(register.SchoolDay).Format(time.DateOnly)
	switch {
	case last.Before(first):
		bad.Add("to", "is before from: leave ends on or after the day it starts")
	case in.From < today:
		bad.Add("from", "is in the past: apply before the leave starts")
	case last.Sub(first) >= MaxCalendarDays*24*time.Hour:
		bad.Add("to", "is more than a year after from")
	case SchoolDays(first, last) == 0:
		bad.Add("to", "the leave covers no school day")
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}

	a := NewApplication{ID: uuid.NewString(), PupilID: c.Param("personId"), AppliedBy: api.ViewerOf(c).PersonID,
		First: first.Format(time.DateOnly), Last: last.Format(time.DateOnly), SchoolDays: SchoolDays(first, last), Reason: in.Reason}
	school, err := h.store.Apply(c, a)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	cfg := h.env.Config
	err = api.StartProcess(c, h.env.Temporal, client.StartWorkflowOptions{ID: ID(a.ID), TaskQueue: h.env.TaskQueue},
		func(ctx context.Context) error { return h.store.Withdraw(ctx, a.ID) },
		Leave, Input{ApplicationID: a.ID, PupilID: a.PupilID, AppliedBy: a.AppliedBy, SchoolID: school,
			FirstDay: a.First, LastDay: a.Last, SchoolDays: a.SchoolDays, AnswerDue: AnswerDue.In(cfg),
			StepDue: StepDue.In(cfg), DeliveryDeadline: cfg.DeliveryDeadline})
	if err != nil {
		api.Abort(c, errs.E(op, errs.Unavailable, errs.Msg("The application could not be started; nothing was saved. Send it again."), err))
		return
	}
	out, err := h.store.Application(c, a.ID, a.AppliedBy)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusCreated, out)
}

// list answers a pupil's leave applications, newest first (Store.Applications says what each
// viewer sees of them).
func (h handlers) list(c *gin.Context) {
	v := api.ViewerOf(c)
	out, err := h.store.Applications(c, c.Param("personId"), v.PersonID, v.StaffNeedToKnow)
	if err != nil {
		api.Abort(c, errs.E("leave.list", err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// Delegation is the principal's delegation of leave decisions to the mentors.
type Delegation struct {
	MentorMaxDays int `json:"mentorMaxDays"` // 0 to MaxDelegatedDays school days; 0: the principal decides all leave
}

// delegation answers the school's delegation.
func (h handlers) delegation(c *gin.Context) {
	days, err := h.store.MentorMaxDays(c, c.Param("schoolId"))
	if err != nil {
		api.Abort(c, errs.E("leave.delegation", err))
		return
	}
	c.JSON(http.StatusOK, Delegation{MentorMaxDays: days})
}

// setDelegation sets how many school days of leave the mentors may decide on. Applications
// already waiting for a decision keep the decider they have.
func (h handlers) setDelegation(c *gin.Context) {
	const op = "leave.setDelegation"
	var d Delegation
	bad, err := api.Bind(c, &d) // api/openapi.yaml bounds mentorMaxDays by MaxDelegatedDays
	if err != nil {
		api.Abort(c, err)
		return
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	if err := h.store.SetMentorMaxDays(c, c.Param("schoolId"), d.MentorMaxDays, api.ViewerOf(c).PersonID); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, d)
}
