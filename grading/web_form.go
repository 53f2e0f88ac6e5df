package grading

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/web"
)

// A group's grade forms in a period (/grading-periods/:periodId/groups/:groupId): each graded
// activity of the group that the viewer may read, with its pupils. Its teacher grades the whole
// group on one form, a native select a pupil named by the pupil's name, saved as a draft as often
// as they like and submitted once; the teacher given its co-signature sees the teacher's grades
// and agrees, or gives their own grade for the pupils they disagree on; anyone else reads where
// the grading stands. The forms' fields are named as the API names them (grades/<i>/gradeValue),
// so that what the API finds wrong links to the pupil's field.

// gradeOption is one choice of a pupil's select.
type gradeOption struct {
	Value, Label string
	Selected     bool
}

// formRow is a pupil on a grade form.
type formRow struct {
	Index       int
	Student     string
	Name        string
	ID          string // the select's id
	Options     []gradeOption
	Draft       string // the teacher's draft, "" for none
	Grade       string // the grade submitted (or final), "" for none
	GradeLabel  string // Grade in words
	Proposal    string // the co-signer's other grade, in words; "" for none
	Error       string // what is wrong with the pupil's field, shown again
	DraftLabel  string // Draft in words
	TeacherHint string // the id of the row's description (the teacher's grade), co-signing
}

// activityForm is one activity of the group on the page.
type activityForm struct {
	Activity  ActivityInfo
	Step      string
	Status    string // where the grading stands, in words
	Rows      []formRow
	CanSet    bool   // the form to grade is shown
	CanCoSign bool   // the form to co-sign is shown
	Notice    string // what happened meanwhile (409), for this form
	Scale     string // the scale's values, for the hint
}

type groupPageData struct {
	PeriodID, GroupID string
	Period            Period
	Forms             []activityForm
	Principal         bool // the viewer is a principal: a way to the period's page
}

// The buttons of the forms (the field "action").
const (
	actionDraft    = "draft"
	actionSubmit   = "submit"
	actionAgree    = Agree
	actionDisagree = Disagree
)

// gradeField is the name of a pupil's field on a form, as the API names it.
func gradeField(i int, name string) string { return fmt.Sprintf("grades/%d/%s", i, name) }

func groupPage(c *web.Ctx) {
	d, title, err := loadGroup(c)
	if err != nil {
		c.Fail(err)
		return
	}
	c.RenderView(http.StatusOK, "grading/group", web.View{Title: title, Data: d})
}

// loadGroup reads the period, the group's activities in it and, for each the viewer may read,
// its grade form; and the viewer's co-signing tasks. A group none of the period's activities
// teaches is not found.
func loadGroup(c *web.Ctx) (groupPageData, string, error) {
	periodID, group := c.Param("periodId"), c.Param("groupId")
	var pv PeriodView
	if err := c.Get(apiPeriod(periodID), &pv); err != nil {
		return groupPageData{}, "", err
	}
	d := groupPageData{PeriodID: periodID, GroupID: group, Period: pv.Period, Principal: c.Session.Has(web.RolePrincipal)}
	var activities []Missing
	for _, a := range pv.Activities {
		if slices.Contains(a.Groups, group) {
			activities = append(activities, a)
		}
	}
	if len(activities) == 0 {
		return d, "", &web.APIError{Status: http.StatusNotFound}
	}
	var cosigning []store.TaskView
	if c.Session.Has(web.RoleTeacher) {
		var tasks []store.TaskView
		if err := c.Get("/api/v1/tasks?state=open&kind="+KindCoSign, &tasks); err != nil {
			return d, "", err
		}
		for _, t := range tasks {
			if strings.HasPrefix(t.ProcessID, pv.ProcessID+":") && t.Assignee.PersonID != "" && t.SubjectGroup != nil {
				cosigning = append(cosigning, t)
			}
		}
	}
	for _, a := range activities {
		var ag ActivityGrades
		err := c.Get("/api/v1/activities/"+url.PathEscape(a.ActivityID)+"/grades?period="+url.QueryEscape(periodID), &ag)
		var e *web.APIError
		if errors.As(err, &e) && (e.Status == http.StatusForbidden || e.Status == http.StatusNotFound) {
			continue // not the viewer's to read: another teacher's activity
		}
		if err != nil {
			return d, "", err
		}
		f := activityForm{Activity: ag.Activity, Step: ag.Step, Scale: scaleWords(c, ag.Activity.Scale)}
		f.CanSet = ag.Step == "entry" && c.Session.Has(web.RoleTeacher)
		f.CanCoSign = ag.Step == "cosign" && slices.ContainsFunc(cosigning, func(t store.TaskView) bool { return slices.Contains(a.Groups, *t.SubjectGroup) })
		f.Status = stepWords(c, ag)
		f.Rows = rowsOf(c, f, ag.Pupils)
		d.Forms = append(d.Forms, f)
	}
	title := c.T("grading.group.title.unnamed", pv.Term)
	var g register.GroupSummary
	if err := c.Get("/api/v1/groups/"+url.PathEscape(group), &g); err == nil && g.DisplayName != "" {
		title = c.T("grading.group.title", g.DisplayName, pv.Term)
	}
	return d, title, nil
}

// stepWords says where an activity's grading stands.
func stepWords(c *web.Ctx, ag ActivityGrades) string {
	switch ag.Step {
	case "entry":
		if slices.ContainsFunc(ag.Pupils, func(r RosterRow) bool { return r.Draft != nil }) {
			return c.T("grading.step.entry.draft")
		}
		return c.T("grading.step.entry")
	case "cosign":
		if slices.ContainsFunc(ag.Pupils, func(r RosterRow) bool { return r.Proposal != nil }) {
			return c.T("grading.step.disagreement")
		}
		return c.T("grading.step.cosign")
	case "final":
		return c.T("grading.step.final")
	case "published":
		return c.T("grading.step.published")
	}
	return ""
}

// valueWords is a grade value as a page shows it: the letter, or in words the marks that are
// not letters (the dash: no basis because of absence).
func valueWords(c *web.Ctx, v string) string {
	switch v {
	case "-":
		return c.T("grading.value.dash")
	case "***":
		return c.T("grading.value.notreached")
	}
	return v
}

// scaleWords lists a scale's values for the form's hint.
func scaleWords(c *web.Ctx, scale []string) string {
	words := make([]string, len(scale))
	for i, v := range scale {
		words[i] = valueWords(c, v)
	}
	return strings.Join(words, ", ")
}

// rowsOf lays out the pupils of a form: on the teacher's form each select holds the draft; on
// the co-signer's, nothing (the teacher's grade stands unless the co-signer gives another).
func rowsOf(c *web.Ctx, f activityForm, pupils []RosterRow) []formRow {
	rows := make([]formRow, 0, len(pupils))
	for _, p := range pupils {
		if f.CanCoSign && p.Grade == nil {
			continue // the co-signature is of the grades given
		}
		r := formRow{Index: len(rows), Student: p.Student, Name: strings.TrimSpace(p.GivenName + " " + p.FamilyName)}
		r.ID = "grade-" + f.Activity.ID + "-" + fmt.Sprint(r.Index)
		r.TeacherHint = r.ID + "-teacher"
		if p.Draft != nil {
			r.Draft, r.DraftLabel = *p.Draft, valueWords(c, *p.Draft)
		}
		if p.Grade != nil {
			r.Grade, r.GradeLabel = *p.Grade, valueWords(c, *p.Grade)
		}
		if p.Proposal != nil {
			r.Proposal = valueWords(c, *p.Proposal)
		}
		rows = append(rows, r)
	}
	for i := range rows {
		typed := ""
		if f.CanSet {
			typed = rows[i].Draft
		}
		rows[i].Options = options(c, f, rows[i], typed)
	}
	return rows
}

// options are a row's choices with typed chosen: none first, then the scale, best first.
func options(c *web.Ctx, f activityForm, r formRow, typed string) []gradeOption {
	none := c.T("grading.form.none")
	if f.CanCoSign {
		none = c.T("grading.cosign.same", r.GradeLabel)
	}
	out := []gradeOption{{Value: "", Label: none, Selected: typed == ""}}
	for _, v := range f.Activity.Scale {
		out = append(out, gradeOption{Value: v, Label: valueWords(c, v), Selected: v == typed})
	}
	return out
}

// sendGroupForm sends one of the page's forms: the teacher's draft or submission, or the
// co-signer's answer. What the API finds wrong comes back on the form as typed, each wrong
// pupil's field named in the summary (422); a step done or not open is shown as it stands now,
// saying so (409).
func sendGroupForm(c *web.Ctx) {
	if err := c.Request.ParseForm(); err != nil {
		c.Fail(err)
		return
	}
	form := c.Request.PostForm
	periodID, activity, action := c.Param("periodId"), form.Get("activity"), form.Get("action")
	var entries []GradeEntry
	for i := 0; form.Has(gradeField(i, "student")); i++ {
		entries = append(entries, GradeEntry{Student: form.Get(gradeField(i, "student")), GradeValue: form.Get(gradeField(i, "gradeValue"))})
	}
	if entries == nil {
		entries = []GradeEntry{}
	}
	path := "/api/v1/activities/" + url.PathEscape(activity) + "/grades"
	var err error
	flash := ""
	switch action {
	case actionDraft, actionSubmit:
		err = c.Send(http.MethodPut, path, GradesRequest{Period: periodID, Grades: entries, Submit: action == actionSubmit}, nil)
		flash = map[string]string{actionDraft: "grading.form.saved", actionSubmit: "grading.form.submitted"}[action]
	case actionAgree:
		err = c.Send(http.MethodPost, path+"/cosign", CoSignRequest{Period: periodID, Decision: Agree}, nil)
		flash = "grading.cosign.agreed"
	case actionDisagree:
		err = c.Send(http.MethodPost, path+"/cosign", CoSignRequest{Period: periodID, Decision: Disagree, Grades: entries}, nil)
		flash = "grading.cosign.disagreed"
	default:
		err = &web.APIError{Status: http.StatusUnprocessableEntity}
	}
	if err == nil {
		c.Done(groupPath(periodID, c.Param("groupId")), flash)
		return
	}
	e, wrong := web.Wrong(err)
	if !wrong && !web.Conflict(err) {
		c.Fail(err)
		return
	}
	d, title, lerr := loadGroup(c)
	if lerr != nil {
		c.Fail(lerr)
		return
	}
	i := slices.IndexFunc(d.Forms, func(f activityForm) bool { return f.Activity.ID == activity })
	if i < 0 {
		c.Fail(err)
		return
	}
	f := &d.Forms[i]
	v := web.View{Title: title, Form: form}
	status := http.StatusUnprocessableEntity
	if wrong {
		typedForm(c, f, form)
		v.Errors = formProblems(c, f, action, e.Problem.Errors)
	} else {
		status = http.StatusConflict
		f.Notice = c.T("grading.form.conflict")
		if f.CanSet || f.CanCoSign {
			typedForm(c, f, form) // the step is still open here: nothing typed is lost
		} else {
			v.Form = nil
		}
	}
	v.Data = d
	c.RenderView(status, "grading/group", v)
}

// typedForm puts what was typed back into the form: each pupil's choice, by the pupil.
func typedForm(c *web.Ctx, f *activityForm, form url.Values) {
	typed := map[string]string{}
	for i := 0; form.Has(gradeField(i, "student")); i++ {
		typed[form.Get(gradeField(i, "student"))] = form.Get(gradeField(i, "gradeValue"))
	}
	for i := range f.Rows {
		f.Rows[i].Options = options(c, *f, f.Rows[i], typed[f.Rows[i].Student])
	}
}

// formProblems says in words, pupil by pupil, what the API found wrong, marking the fields:
// the API names a pupil's field by its place on the form as sent.
func formProblems(c *web.Ctx, f *activityForm, action string, wrong []errs.FieldError) []web.FieldProblem {
	var out []web.FieldProblem
	for _, e := range wrong {
		var i int
		var name string
		_, serr := fmt.Sscanf(strings.ReplaceAll(e.Field, "/", " "), "grades %d %s", &i, &name)
		switch {
		case serr == nil && i >= 0 && i < len(f.Rows):
			row := &f.Rows[i]
			key := "grading.form.error.value"
			if name == "student" {
				key = "grading.form.error.student"
			}
			row.Error = c.T(key, row.Name, f.Scale)
			out = append(out, web.FieldProblem{Field: row.ID, Message: row.Error})
		case e.Field == "grades" && action == actionSubmit:
			// Every pupil needs a grade: the fields left empty are named one by one above,
			// or, if the API named none, the form as a whole.
			if !slices.ContainsFunc(f.Rows, func(r formRow) bool { return r.Error != "" }) {
				for j := range f.Rows {
					row := &f.Rows[j]
					if chosen(row) == "" {
						row.Error = c.T("grading.form.error.value", row.Name, f.Scale)
						out = append(out, web.FieldProblem{Field: row.ID, Message: row.Error})
					}
				}
			}
		case e.Field == "grades" && action == actionDisagree && len(f.Rows) > 0:
			out = append(out, web.FieldProblem{Field: f.Rows[0].ID, Message: c.T("grading.cosign.error.grades")})
		case e.Field == "decision":
			out = append(out, web.FieldProblem{Message: c.T("grading.cosign.error.decision")})
		}
	}
	if len(out) == 0 {
		out = []web.FieldProblem{{Message: c.T("grading.form.error.form")}}
	}
	return out
}

// chosen is a row's choice as the form shows it.
func chosen(r *formRow) string {
	for _, o := range r.Options {
		if o.Selected {
			return o.Value
		}
	}
	return ""
}
