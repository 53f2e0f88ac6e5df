package grading

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/errs"
)

type handlers struct {
	env   area.Env
	store Store
}

// periodRoutes are the grading period's routes: opening and following it, the teachers' grade
// forms, co-signing, the catalogues' sign-off and verification, and the reads of grades.
func (h handlers) periodRoutes(v1 gin.IRoutes) {
	v1.POST("/schools/:schoolId/grading-periods", h.openPeriod)
	v1.GET("/schools/:schoolId/grading-periods", h.periods)
	v1.GET("/grading-periods/:periodId", h.period)
	v1.GET("/activities/:activityId/grades", h.activityGrades)
	v1.PUT("/activities/:activityId/grades", h.enterGrades)
	v1.POST("/activities/:activityId/grades/cosign", h.coSign)
	v1.GET("/grading-periods/:periodId/catalogues/:group", h.catalogue)
	v1.POST("/grading-periods/:periodId/catalogues/:group/sign", h.signCatalogue)
	v1.GET("/grading-periods/:periodId/catalogues/:group/verify", h.verify)
	v1.GET("/persons/:personId/grades", h.pupilGrades)
	v1.GET("/groups/:groupId/grades", h.groupGrades)
}

// PeriodRequest opens a grading period: the term and the principal's four dates.
type PeriodRequest struct {
	Term            string    `json:"term"`
	EntryOpens      time.Time `json:"entryOpens"`
	TeacherDeadline time.Time `json:"teacherDeadline"`
	SignOff         time.Time `json:"signOff"`
	Publication     time.Time `json:"publication"`
}

// openPeriod records the period and starts its process; if the process cannot start, the record
// goes again. A second period for the same school unit and term is a conflict.
func (h handlers) openPeriod(c *gin.Context) {
	const op = "grading.openPeriod"
	var in PeriodRequest
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	if !api.ValidUUID(in.Term) {
		bad.Add("term", "must be a term's id (UUID)")
	}
	for _, d := range []struct {
		field string
		at    time.Time
	}{{"entryOpens", in.EntryOpens}, {"teacherDeadline", in.TeacherDeadline}, {"signOff", in.SignOff}, {"publication", in.Publication}} {
		if d.at.IsZero() {
			bad.Add(d.field, "is required")
		} else {
			bad.Moment(d.field, d.at)
		}
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	// The four dates come in this order: entry opens, then the teachers' deadline, then the
	// sign-off, then publication.
	if !in.TeacherDeadline.After(in.EntryOpens) {
		bad.Add("teacherDeadline", "must be after entryOpens")
	}
	if in.SignOff.Before(in.TeacherDeadline) {
		bad.Add("signOff", "must not be before teacherDeadline")
	}
	if in.Publication.Before(in.SignOff) {
		bad.Add("publication", "must not be before signOff")
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	school := c.Param("schoolId")
	p := Period{ID: PeriodID(school, in.Term), ProcessID: ProcessID(school, in.Term), SchoolID: school, TermID: in.Term, EntryOpens: in.EntryOpens,
		TeacherDeadline: in.TeacherDeadline, SignOff: in.SignOff, Publication: in.Publication}
	if err := h.store.OpenPeriod(c, p, api.ViewerOf(c).PersonID); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	cfg := h.env.Config
	err = api.StartProcess(c, h.env.Temporal, client.StartWorkflowOptions{ID: p.ProcessID, TaskQueue: h.env.TaskQueue},
		func(ctx context.Context) error { return h.store.DropPeriod(ctx, p.ID) }, GradingPeriod,
		PeriodInput{PeriodID: p.ID, SchoolID: school, EntryOpens: in.EntryOpens, TeacherDeadline: in.TeacherDeadline,
			SignOff: in.SignOff, Publication: in.Publication, RemindBefore: RemindBefore.In(cfg), StepDue: StepDue.In(cfg),
			DeliveryDeadline: cfg.DeliveryDeadline})
	if err != nil {
		api.Abort(c, errs.E(op, errs.Unavailable, errs.Msg("The grading period could not be started; nothing was saved. Try again."), err))
		return
	}
	out, err := h.store.Period(c, p.ID)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusCreated, out)
}

func (h handlers) periods(c *gin.Context) {
	out, err := h.store.Periods(c, c.Param("schoolId"))
	if err != nil {
		api.Abort(c, errs.E("grading.periods", err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// PeriodView is a period and how far each graded activity has come: what is missing.
type PeriodView struct {
	Period
	Activities []Missing `json:"activities"`
}

func (h handlers) period(c *gin.Context) {
	const op = "grading.period"
	p, err := h.store.Period(c, c.Param("periodId"))
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	progress, err := h.store.Progress(c, p.ID)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, PeriodView{Period: p, Activities: progress})
}
