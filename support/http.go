package support

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/workflows"
)

// The area's HTTP handlers: bind, check what api/openapi.yaml cannot say, call the Store or the
// process, respond. Who may call each is decided before, by policy.csv.

type handlers struct {
	env   area.Env
	store Store
}

// SignalInput is a teacher's or mentor's signal that a pupil may need special support.
type SignalInput struct {
	Concern string `json:"concern"`
}

// signal records the case and starts its process: if the process cannot start, nothing stays
// recorded.
func (h handlers) signal(c *gin.Context) {
	const op = "support.signal"
	var in SignalInput
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	pupil := c.Param("personId")
	school, err := register.SchoolOf(c, h.env.DB, pupil)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if school == "" {
		bad.Add("personId", "is not enrolled at a school unit today")
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	n := NewCase{ID: uuid.NewString(), PupilID: pupil, SchoolID: school, SignalledBy: api.ViewerOf(c).PersonID, Concern: in.Concern}
	if err := h.store.Signal(c, n); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	cfg := h.env.Config
	err = api.StartProcess(c, h.env.Temporal, client.StartWorkflowOptions{ID: ID(pupil, n.ID), TaskQueue: h.env.TaskQueue},
		func(ctx context.Context) error { return h.store.Withdraw(ctx, n.ID) },
		Support, Input{CaseID: n.ID, PupilID: pupil, SchoolID: school, SignalledBy: n.SignalledBy,
			InvestigateDue: InvestigateDue.In(cfg), ReplyWindow: ReplyWindow.In(cfg), DecideDue: DecideDue.In(cfg),
			DeliveryDeadline: cfg.DeliveryDeadline})
	if err != nil {
		api.Abort(c, errs.E(op, errs.Unavailable, errs.Msg("The case could not be started; nothing was saved. Send it again."), err))
		return
	}
	h.answer(c, n.ID, http.StatusCreated, true)
}

// get answers the case: the staff's words only to staff.
func (h handlers) get(c *gin.Context) {
	v := api.ViewerOf(c)
	h.answer(c, c.Param("caseId"), http.StatusOK, v.Relations["case-staff"] || v.Relations["case-principal"])
}

func (h handlers) answer(c *gin.Context, id string, status int, staff bool) {
	out, err := h.store.Case(c, id, staff)
	if err != nil {
		api.Abort(c, errs.E("support.get", err))
		return
	}
	c.JSON(status, out)
}

// DecisionInput names the signed decision document: an action programme, or a decision not to
// draw one up.
type DecisionInput struct {
	Document string `json:"document"`
}

// decide records the principal's signed decision for the case and completes the process's
// decision step; the process then tells the guardians, with how to appeal.
func (h handlers) decide(c *gin.Context) {
	const op = "support.decide"
	var in DecisionInput
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	id := c.Param("caseId")
	cs, err := h.store.Case(c, id, false)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	task, err := h.store.OpenDecisionTask(c, cs.ProcessID)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if err := h.store.RecordDecision(c, id, in.Document); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	var out workflows.TaskOutcome
	if err := api.Update(c, h.env.Temporal, cs.ProcessID, workflows.UpdateCompleteTask,
		workflows.TaskCompletion{TaskID: task, By: api.ViewerOf(c).PersonID, Payload: map[string]any{"decision": in.Document}}, &out); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	h.answer(c, id, http.StatusOK, true)
}

// AppealInput is an appeal as the school received it.
type AppealInput struct {
	ReceivedOn string `json:"receivedOn"`
	Note       string `json:"note"`
}

// appeal records an appeal of the decision to Skolväsendets överklagandenämnd.
func (h handlers) appeal(c *gin.Context) {
	const op = "support.appeal"
	var in AppealInput
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	bad.Date("receivedOn", in.ReceivedOn)
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	a := Appeal{ID: uuid.NewString(), ReceivedOn: in.ReceivedOn, Note: in.Note, RecordedBy: api.ViewerOf(c).PersonID}
	if err := h.store.RecordAppeal(c, c.Param("caseId"), a); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	h.answer(c, c.Param("caseId"), http.StatusCreated, true)
}
