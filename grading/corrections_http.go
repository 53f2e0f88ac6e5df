package grading

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/support"
)

// The handlers of risks of a failing grade and of corrections after publication: bind, check
// what api/openapi.yaml cannot state, record or start the process, respond. Who may call each is
// decided before, by the area's policy.csv; which correction a caller may ask for is decided
// here, since one route takes both.

// correctionRoutes are the routes of risks and corrections.
func (h handlers) correctionRoutes(v1 gin.IRoutes) {
	v1.POST("/activities/:activityId/risks", h.flagRisk)
	v1.POST("/grades/:gradeId/corrections", h.correct)
}

// RiskRequest is a teacher's flag that a pupil risks not reaching the pass level.
type RiskRequest struct {
	Period  string `json:"period"`  // the grading period's id
	Student string `json:"student"` // the pupil
}

// flagRisk records the flag and starts its process. A second flag of the same pupil, activity
// and period is the same flag: it is answered again (200) and nothing new is written.
func (h handlers) flagRisk(c *gin.Context) {
	const op = "grading.flagRisk"
	var in RiskRequest
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	risk, created, err := h.store.FlagRisk(c, NewRisk{ID: uuid.NewString(), Activity: c.Param("activityId"),
		Period: in.Period, Student: in.Student, FlaggedBy: api.ViewerOf(c).PersonID})
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	process := RiskID(risk.ID)
	cfg := h.env.Config
	// A flag answered again finds its process, running or closed; a new flag's record goes again
	// if its process cannot start.
	var withdraw func(context.Context) error
	if created {
		withdraw = func(ctx context.Context) error { return h.store.WithdrawRisk(ctx, risk.ID) }
	}
	err = api.StartProcess(c, h.env.Temporal, client.StartWorkflowOptions{ID: process, TaskQueue: h.env.TaskQueue,
		// The flag's process runs once.
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE, WorkflowExecutionErrorWhenAlreadyStarted: true},
		withdraw, GradeRisk, RiskInput{RiskID: risk.ID, PeriodID: risk.Period, ActivityID: risk.Activity, PupilID: risk.Student,
			SchoolID: risk.SchoolID, FlaggedBy: risk.FlaggedBy, SupportDue: SupportDue.In(cfg), DeliveryDeadline: cfg.DeliveryDeadline,
			SupportReplyWindow: support.ReplyWindow.In(cfg), SupportDecideDue: support.DecideDue.In(cfg)})
	if err != nil {
		api.Abort(c, errs.E(op, errs.Unavailable, errs.Msg("The risk could not be flagged; nothing was saved. Send it again."), err))
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, risk)
}

// CorrectionRequest asks for a correction of a final grade after publication.
type CorrectionRequest struct {
	CorrectionType string `json:"correctionType"` // Andring or Rattelse
	GradeValue     string `json:"gradeValue"`     // the grade it should be
}

// Correction is a correction under way: its process, and the grade that will replace the old.
type Correction struct {
	ProcessID      string `json:"processId"`
	GradeID        string `json:"gradeId"`
	NewGradeID     string `json:"newGradeId"`
	CorrectionType string `json:"correctionType"`
	GradeValue     string `json:"gradeValue"`
	// Status is "hearing" while the pupil and the guardians are heard (Rättelse), "recording"
	// otherwise: the new grade is recorded by the process, at once for an Ändring.
	Status string `json:"status"`
}

// correct checks a correction and starts its process: an Ändring by the teacher who set the
// grade, a Rättelse by the school's principal. Nothing is written here; the process records
// the new grade.
func (h handlers) correct(c *gin.Context) {
	const op = "grading.correct"
	var in CorrectionRequest
	bad, err := api.Bind(c, &in) // api/openapi.yaml names the two types of correction
	if err != nil {
		api.Abort(c, err)
		return
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	v := api.ViewerOf(c)
	g, err := h.store.GradeToCorrect(c, c.Param("gradeId"), v.PersonID)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	switch {
	case in.CorrectionType == Andring && !v.Relations["grading-teacher"]:
		api.Abort(c, errs.E(op, errs.Forbidden, errs.Msg("An Ändring is made by the teacher who set the grade. The principal corrects a clerical error with a Rättelse.")))
		return
	case in.CorrectionType == Rattelse && !g.Principal:
		api.Abort(c, errs.E(op, errs.Forbidden, errs.Msg("A Rättelse is made by the school's principal. The teacher who set the grade changes an obviously wrong grade with an Ändring.")))
		return
	case !g.Final:
		api.Abort(c, errs.E(op, errs.Conflict, errs.Msg("The grade is not final yet: it is set in the grading period, not corrected.")))
		return
	case !g.Published:
		api.Abort(c, errs.E(op, errs.Conflict, errs.Msg("The period's grades are not published yet: a grade is corrected after publication.")))
		return
	case g.Replaced:
		api.Abort(c, errs.E(op, errs.Conflict, errs.Msg("The grade has already been corrected: correct the grade that replaced it.")))
		return
	}
	scale, ok := ScaleFor(g.SchoolType, g.GradeScale)
	if !ok {
		api.Abort(c, errs.E(op, errs.Conflict, errs.Msg("The grade's syllabus has no grade scale, so it cannot be corrected here.")))
		return
	}
	if problem := CheckChange(in.CorrectionType, g.Value, in.GradeValue, scale); problem != "" {
		bad.Add("gradeValue", problem)
		api.Abort(c, bad.Err(op))
		return
	}

	out := Correction{ProcessID: CorrectionID(g.ID), GradeID: g.ID, NewGradeID: uuid.NewString(),
		CorrectionType: in.CorrectionType, GradeValue: in.GradeValue, Status: "recording"}
	if in.CorrectionType == Rattelse {
		out.Status = "hearing"
	}
	cfg := h.env.Config
	_, err = h.env.Temporal.ExecuteWorkflow(c, client.StartWorkflowOptions{ID: out.ProcessID, TaskQueue: h.env.TaskQueue,
		// One correction of a grade at a time, and a grade is replaced once: a second request
		// finds the first, running or done. Only a correction that failed may be asked again.
		WorkflowIDReusePolicy:                    enums.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
		WorkflowExecutionErrorWhenAlreadyStarted: true},
		GradeCorrection, CorrectionInput{GradeID: g.ID, NewGradeID: out.NewGradeID, Type: in.CorrectionType,
			GradeValue: in.GradeValue, RequestedBy: v.PersonID, PupilID: g.PupilID, SchoolID: g.SchoolID,
			HearingWindow: HearingWindow.In(cfg), DeliveryDeadline: cfg.DeliveryDeadline})
	if errs.AlreadyStarted(err) {
		api.Abort(c, errs.E(op, errs.Conflict, errs.Msg("The grade is already being corrected, or has been: one correction of a grade at a time."), err))
		return
	}
	if err != nil {
		api.Abort(c, errs.E(op, errs.Unavailable, errs.Msg("The correction could not be started; nothing was changed. Send it again."), err))
		return
	}
	c.JSON(http.StatusAccepted, out)
}
