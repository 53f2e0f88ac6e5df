package grading

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/workflows"
)

// The grade form of an activity in a period: its pupils with what is drafted, submitted and
// final; a draft saved as often as the teacher likes; a submission once, of a grade for every
// pupil; and the co-signer's answer.

// ActivityGrades is the grade form's data.
type ActivityGrades struct {
	Activity ActivityInfo `json:"activity"`
	Period   Period       `json:"period"`
	Pupils   []RosterRow  `json:"pupils"`
	// Step is where the activity's grading stands: entry (not submitted), cosign (submitted,
	// awaiting a co-signature or a decision), final, or published.
	Step string `json:"step"`
}

// formOf reads the period named by the query or body and the activity of the path, and checks
// that they belong together and that the activity is graded.
func (h handlers) formOf(c *gin.Context, periodID string) (Period, ActivityInfo, error) {
	a, err := h.store.Activity(c, c.Param("activityId"))
	if err != nil {
		return Period{}, a, err
	}
	p, err := h.store.Period(c, periodID)
	if errs.KindOf(err) == errs.NotFound || err == nil && p.SchoolID != a.SchoolID {
		return p, a, errs.E(errs.Invalid, errs.Msg("The grading period is not one of the activity's school."),
			[]errs.FieldError{{Field: "period", Detail: "is not a grading period of the activity's school unit"}})
	}
	if err == nil && (!a.Graded || len(a.Scale) == 0) {
		err = errs.E(errs.Conflict, errs.Msg("The activity is not graded."))
	}
	return p, a, err
}

func (h handlers) activityGrades(c *gin.Context) {
	const op = "grading.activityGrades"
	period := c.Query("period")
	if period == "" {
		api.Abort(c, errs.E(op, errs.Invalid, errs.Msg("Name the grading period."), []errs.FieldError{{Field: "period", Detail: "is required"}}))
		return
	}
	p, a, err := h.formOf(c, period)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	pupils, err := h.roster(c, p.ID, a.ID)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, ActivityGrades{Activity: a, Period: p, Pupils: pupils, Step: step(p, pupils)})
}

// roster is the activity's pupils as the viewer may know them: without those with a protection
// marking for a viewer without the need to know.
func (h handlers) roster(c *gin.Context, period, activity string) ([]RosterRow, error) {
	return h.store.Roster(c, period, activity, api.ViewerOf(c).SeesProtected)
}

// step says where an activity's grading stands.
func step(p Period, pupils []RosterRow) string {
	switch {
	case p.PublishedAt != nil:
		return "published"
	case len(pupils) > 0 && !slices.ContainsFunc(pupils, func(r RosterRow) bool { return !r.Final }):
		return "final"
	case slices.ContainsFunc(pupils, func(r RosterRow) bool { return r.Grade != nil }):
		return "cosign"
	}
	return "entry"
}

// GradesRequest is the grade form as sent: a draft, or the submission of a grade for every pupil.
type GradesRequest struct {
	Period string       `json:"period"`
	Grades []GradeEntry `json:"grades"`
	Submit bool         `json:"submit,omitempty"`
}

// enterGrades saves the form as a draft, or submits it: every pupil of the activity today
// needs a grade of the activity's scale. A submission records the grades and completes the
// teacher's task; one the process refuses (the task done or moved on meanwhile) is taken back.
func (h handlers) enterGrades(c *gin.Context) {
	const op = "grading.enterGrades"
	var in GradesRequest
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	p, a, task, err := h.formStep(c, in.Period, SetStep)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	viewer := api.ViewerOf(c)
	// The activity's teachers enter its grades; after the deadline the principal may have given
	// the task to another teacher, who then does.
	if !viewer.Relations["activity-teacher"] && task.Assignee.PersonID != viewer.PersonID {
		api.Abort(c, errs.E(op, errs.Forbidden, errs.Msg("Only a teacher of the activity, or the teacher the principal gave its grading to, sets its grades.")))
		return
	}
	pupils, err := h.store.Roster(c, p.ID, a.ID, true)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	scale, _ := ScaleFor(a.SchoolType, a.GradeScale)
	checkEntries(&bad, "grades", in.Grades, pupils, scale, !in.Submit)
	if in.Submit {
		given := map[string]bool{}
		for _, g := range in.Grades {
			given[g.Student] = g.GradeValue != ""
		}
		missing := 0
		for _, r := range pupils {
			if !given[r.Student] {
				missing++
			}
		}
		if missing > 0 {
			bad.Add("grades", fmt.Sprintf("lacks a grade for %d of the activity's pupils: every pupil needs one (a dash, -, where absence leaves no basis)", missing))
		}
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	if !in.Submit {
		if err := h.store.SaveDrafts(c, p.ID, a.ID, viewer.PersonID, in.Grades); err != nil {
			api.Abort(c, errs.E(op, err))
			return
		}
		h.answerForm(c, p, a)
		return
	}
	if time.Now().Before(p.EntryOpens) {
		api.Abort(c, errs.E(op, errs.Conflict, errs.Msg("Grade entry has not opened yet; save a draft until it does.")))
		return
	}
	sub := Submission{PeriodID: p.ID, ActivityID: a.ID, SyllabusID: a.SyllabusID, SchoolID: a.SchoolID, Teacher: viewer.PersonID,
		By: viewer.PersonID, Semester: Semester(int(p.TermStart.Month())), Year: p.TermStart.Year(), Grades: in.Grades, At: time.Now()}
	if err := h.store.Submit(c, sub); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	err = h.complete(c, task, map[string]any{"grades": strconv.Itoa(len(in.Grades))})
	if k := errs.KindOf(err); err != nil && (k == errs.Conflict || k == errs.Invalid) {
		if werr := h.store.Withdraw(context.WithoutCancel(c), p.ID, a.ID); werr != nil {
			err = errors.Join(err, werr)
		}
	}
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	h.answerForm(c, p, a)
}

// checkEntries names each wrong entry of a form's grades: a pupil who is not the activity's, a
// pupil twice, a value outside the scale (empty allowed for a draft).
func checkEntries(bad *api.Fields, field string, entries []GradeEntry, pupils []RosterRow, scale Scale, draft bool) {
	seen := map[string]bool{}
	for i, g := range entries {
		at := fmt.Sprintf("%s/%d", field, i)
		switch {
		case !slices.ContainsFunc(pupils, func(r RosterRow) bool { return r.Student == g.Student }):
			bad.Add(at+"/student", "is not a pupil of the activity's groups")
		case seen[g.Student]:
			bad.Add(at+"/student", "is named twice")
		case g.GradeValue == "" && draft:
		case !scale.Has(g.GradeValue):
			bad.Add(at+"/gradeValue", "must be one of "+scale.String())
		}
		seen[g.Student] = true
	}
}

// answerForm answers the grade form as it now stands.
func (h handlers) answerForm(c *gin.Context, p Period, a ActivityInfo) {
	pupils, err := h.roster(c, p.ID, a.ID)
	if err != nil {
		api.Abort(c, errs.E("grading.form", err))
		return
	}
	c.JSON(http.StatusOK, ActivityGrades{Activity: a, Period: p, Pupils: pupils, Step: step(p, pupils)})
}

// formStep reads the grade form's period and activity (formOf) and the activity's open task of
// the step the form answers (stepOf the activity).
func (h handlers) formStep(c *gin.Context, period string, stepOf func(activity string) string) (Period, ActivityInfo, store.TaskView, error) {
	p, a, err := h.formOf(c, period)
	if err != nil {
		return p, a, store.TaskView{}, err
	}
	task, err := h.openTask(c, p, ActivityProcessID(p.ProcessID, a.ID), stepOf(a.ID))
	return p, a, task, err
}

// openTask is the task of step of the period's child process, as the inbox has it:
// errs.Conflict when the step has not come (the process has not opened its task) or is done.
func (h handlers) openTask(c *gin.Context, p Period, process, step string) (store.TaskView, error) {
	if p.RunID == "" {
		return store.TaskView{}, errs.E(errs.Conflict, errs.Msg("The grading period's process has not started this step yet."))
	}
	t, err := store.Task(c, h.env.DB, workflows.TaskID(process, p.RunID, step))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return t, errs.E(errs.Conflict, errs.Msg("This step of the grading period has not come yet."))
	case err != nil:
		return t, err
	case t.State != "open":
		return t, errs.E(errs.Conflict, errs.Msg("This step of the grading period is done already."))
	}
	return t, nil
}

// complete completes an open task of the period (openTask) with payload, as the viewer.
func (h handlers) complete(c *gin.Context, task store.TaskView, payload map[string]any) error {
	var out workflows.TaskOutcome
	return api.Update(c, h.env.Temporal, task.ProcessID, workflows.UpdateCompleteTask,
		workflows.TaskCompletion{TaskID: task.ID, By: api.ViewerOf(c).PersonID, Payload: payload}, &out)
}

// CoSignRequest is a co-signer's answer: agree, or disagree with the grades they would give
// where they differ from the teacher's.
type CoSignRequest struct {
	Period   string       `json:"period"`
	Decision string       `json:"decision"`
	Grades   []GradeEntry `json:"grades,omitempty"` // for a disagreement: the co-signer's grades where they differ
}

// coSign takes the co-signer's answer: only the teacher the co-signing task is given to, and
// only a certified teacher (lärarlegitimation), co-signs.
func (h handlers) coSign(c *gin.Context) {
	const op = "grading.coSign"
	var in CoSignRequest
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	if err := bad.Err(op); err != nil { // the decision is agree or disagree (api/openapi.yaml)
		api.Abort(c, err)
		return
	}
	p, a, task, err := h.formStep(c, in.Period, CoSignStep)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	viewer := api.ViewerOf(c)
	if task.Assignee.PersonID != viewer.PersonID {
		api.Abort(c, errs.E(op, errs.Forbidden, errs.Msg("The co-signature is asked of another teacher.")))
		return
	}
	certified, err := h.store.CertifiedAtAll(c, viewer.PersonID)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	pupils, err := h.store.Roster(c, p.ID, a.ID, true)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	switch {
	case !certified:
		bad.Add("decision", "may only be given by a certified teacher (lärarlegitimation): the principal gives the co-signature to one")
	case slices.ContainsFunc(pupils, func(r RosterRow) bool { return r.GradingTeacher != nil && *r.GradingTeacher == viewer.PersonID }):
		bad.Add("decision", "may not be given by the teacher who set the grades: the principal gives the co-signature to another")
	}
	graded := slices.DeleteFunc(slices.Clone(pupils), func(r RosterRow) bool { return r.Grade == nil })
	scale, _ := ScaleFor(a.SchoolType, a.GradeScale)
	checkEntries(&bad, "grades", in.Grades, graded, scale, true)
	differs := slices.ContainsFunc(in.Grades, func(g GradeEntry) bool {
		i := slices.IndexFunc(graded, func(r RosterRow) bool { return r.Student == g.Student })
		return g.GradeValue != "" && i >= 0 && *graded[i].Grade != g.GradeValue
	})
	if in.Decision == Disagree && !differs {
		bad.Add("grades", "must give, for a disagreement, the grade you would set for at least one pupil")
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	proposals := in.Grades
	if in.Decision == Agree {
		proposals = nil
	}
	if err := h.store.Propose(c, p.ID, a.ID, viewer.PersonID, proposals); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if err := h.complete(c, task, map[string]any{"decision": in.Decision}); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	h.answerForm(c, p, a)
}
