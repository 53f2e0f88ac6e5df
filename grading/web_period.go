package grading

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/web"
)

// The principal's pages: the school's grading periods and the form that opens one
// (/schools/:schoolId/grading, reached from the menu by /grading), a period with how far each
// activity has come, what is missing and each group's forms and catalogue
// (/grading-periods/:periodId), and a group's catalogue with its sign-off and, once signed, its
// SHA-256 and whether it verifies (/grading-periods/:periodId/catalogues/:groupId). The school's
// teachers read the periods and a period's progress too; who may do what is the API's to decide.

// toMySchool leads from the menu to the grading of the school where the signed-in person is
// principal or teacher; with several, it lists them; with none, it is not theirs.
func toMySchool(c *web.Ctx) {
	var me register.Me
	if err := c.Get("/api/v1/me", &me); err != nil {
		c.Fail(err)
		return
	}
	var schools []register.OrganisationRef
	for _, d := range me.Duties {
		if (d.DutyRole == "Rektor" || d.DutyRole == "Lärare") && !slices.ContainsFunc(schools, func(s register.OrganisationRef) bool { return s.ID == d.DutyAt.ID }) {
			schools = append(schools, d.DutyAt)
		}
	}
	switch len(schools) {
	case 0:
		c.Fail(&web.APIError{Status: http.StatusForbidden})
	case 1:
		c.Redirect(http.StatusSeeOther, "/schools/"+url.PathEscape(schools[0].ID)+"/grading")
	default:
		c.Render(http.StatusOK, "grading/schools", "grading.schools.title", schools)
	}
}

type periodsPageData struct {
	SchoolID string
	Periods  []Period
	Terms    []register.TermView
	CanOpen  bool   // the viewer is a principal: the form is shown
	Notice   string // a period exists for the term (409)
}

func schoolPath(school string) string { return "/api/v1/schools/" + url.PathEscape(school) }

// loadPeriods reads the school's periods, its name, and for a principal the terms to open one of.
func loadPeriods(c *web.Ctx) (periodsPageData, string, error) {
	school := c.Param("schoolId")
	d := periodsPageData{SchoolID: school, CanOpen: c.Session.Has(web.RolePrincipal)}
	if err := c.Get(schoolPath(school)+"/grading-periods", &d.Periods); err != nil {
		return d, "", err
	}
	var s register.School
	if err := c.Get(schoolPath(school), &s); err != nil {
		return d, "", err
	}
	if d.CanOpen {
		if err := c.Get(schoolPath(school)+"/terms", &d.Terms); err != nil {
			return d, "", err
		}
	}
	return d, c.T("grading.periods.title", s.DisplayName), nil
}

func periodsPage(c *web.Ctx) {
	d, title, err := loadPeriods(c)
	if err != nil {
		c.Fail(err)
		return
	}
	c.RenderView(http.StatusOK, "grading/periods", web.View{Title: title, Data: d})
}

// The fields of the form that opens a period, as the API names them.
var periodDates = []string{"entryOpens", "teacherDeadline", "signOff", "publication"}

// localMinute is how a datetime-local input sends a time: a minute in the schools' zone.
const localMinute = "2006-01-02T15:04"

// openPeriodForm opens a period. A time that is not one goes to the API as typed, for it to
// refuse naming the field: the rules of the dates are the API's. What it refuses comes back on
// the form as typed (422); a period the school has for the term already is said so (409).
func openPeriodForm(c *web.Ctx) {
	body := map[string]any{"term": strings.TrimSpace(c.PostForm("term"))}
	for _, f := range periodDates {
		typed := strings.TrimSpace(c.PostForm(f))
		if at, err := time.ParseInLocation(localMinute, typed, register.SchoolDay); err == nil {
			body[f] = at.Format(time.RFC3339)
		} else {
			body[f] = typed
		}
	}
	var p Period
	err := c.Send(http.MethodPost, schoolPath(c.Param("schoolId"))+"/grading-periods", body, &p)
	if err == nil {
		c.Done(periodPath(p.ID), "grading.periods.opened")
		return
	}
	if _, wrong := web.Wrong(err); !wrong && !web.Conflict(err) {
		c.Fail(err)
		return
	}
	d, title, lerr := loadPeriods(c)
	if lerr != nil {
		c.Fail(lerr)
		return
	}
	v := web.View{Title: title, Data: d}
	if c.Invalid(err, "grading/periods", v) {
		return
	}
	d.Notice = c.T("grading.periods.conflict")
	v.Data, v.Form = d, c.Request.PostForm
	c.RenderView(http.StatusConflict, "grading/periods", v)
}

// activityProgress is an activity of a period as its page shows it.
type activityProgress struct {
	Missing
	Status string // how far it has come, in words
	Done   bool   // every grade final
}

// groupLink is a group of a period: its forms, and for a principal its catalogue.
type groupLink struct {
	ID, Name string
}

type periodPageData struct {
	PeriodView
	School     string
	Activities []activityProgress
	Groups     []groupLink
	Principal  bool // the catalogues are the principal's
	AllFinal   bool
}

func periodPage(c *web.Ctx) {
	var pv PeriodView
	if err := c.Get(apiPeriod(c.Param("periodId")), &pv); err != nil {
		c.Fail(err)
		return
	}
	d := periodPageData{PeriodView: pv, Principal: c.Session.Has(web.RolePrincipal), AllFinal: true}
	var s register.School
	if err := c.Get(schoolPath(pv.SchoolID), &s); err != nil {
		c.Fail(err)
		return
	}
	d.School = s.DisplayName
	d.Activities, d.AllFinal = progressOf(c, pv.Activities)
	names := map[string]string{}
	for _, a := range pv.Activities {
		for _, g := range a.Groups {
			if !slices.ContainsFunc(d.Groups, func(l groupLink) bool { return l.ID == g }) {
				d.Groups = append(d.Groups, groupLink{ID: g, Name: groupName(c, names, g)})
			}
		}
	}
	c.RenderView(http.StatusOK, "grading/period", web.View{Title: c.T("grading.period.title", pv.Term, s.DisplayName), Data: d})
}

// progressOf says how far each activity has come, and whether every grade is final.
func progressOf(c *web.Ctx, activities []Missing) ([]activityProgress, bool) {
	out := make([]activityProgress, 0, len(activities))
	all := true
	for _, a := range activities {
		p := activityProgress{Missing: a, Done: a.Final >= a.Pupils && a.Final >= a.Graded}
		switch {
		case p.Done:
			p.Status = c.T("grading.progress.final", a.Final)
		case a.Graded == 0:
			p.Status = c.T("grading.progress.none", a.Pupils)
		default:
			p.Status = c.T("grading.progress.some", a.Graded, max(a.Pupils, a.Graded), a.Final)
		}
		all = all && p.Done
		out = append(out, p)
	}
	return out, all
}

// groupName is a group's name as the API shows it to the viewer, remembered in names; a plain
// word when the viewer may not read the group.
func groupName(c *web.Ctx, names map[string]string, id string) string {
	if n, ok := names[id]; ok {
		return n
	}
	var g register.GroupSummary
	name := c.T("grading.group.unnamed")
	if err := c.Get("/api/v1/groups/"+url.PathEscape(id), &g); err == nil && g.DisplayName != "" {
		name = g.DisplayName
	}
	names[id] = name
	return name
}

// catalogueRow is a grade of a catalogue as its page shows it.
type catalogueRow struct {
	Pupil, Activity, Grade, Teacher, CoSigner, DecidedBy string
}

type cataloguePageData struct {
	PeriodID, GroupID string
	Catalogue         Catalogue
	Rows              []catalogueRow
	SignedBy          string
	SHA256            string // the stored hash in groups of eight, so that it wraps on a phone
	Verification      *Verification
	Missing           []activityProgress // the period's activities whose grades are not all final
	CanSign           bool
	Notice            string
}

// loadCatalogue reads the group's catalogue, how far the period has come, and for a signed
// catalogue its verification; each person named as the API shows them to the viewer.
func loadCatalogue(c *web.Ctx) (cataloguePageData, string, error) {
	periodID, group := c.Param("periodId"), c.Param("groupId")
	d := cataloguePageData{PeriodID: periodID, GroupID: group}
	if err := c.Get(apiPeriod(periodID)+"/catalogues/"+url.PathEscape(group), &d.Catalogue); err != nil {
		return d, "", err
	}
	var pv PeriodView
	err := c.Get(apiPeriod(periodID), &pv)
	var e *web.APIError
	switch {
	case err == nil:
		progress, _ := progressOf(c, pv.Activities)
		for _, a := range progress {
			if !a.Done {
				d.Missing = append(d.Missing, a)
			}
		}
	case errors.As(err, &e) && (e.Status == http.StatusForbidden || e.Status == http.StatusNotFound):
		// The organiser's officers read catalogues, not a period's progress.
	default:
		return d, "", err
	}
	names := map[string]string{}
	person := func(id string) string {
		if n := c.PersonName(names, id); n != "" {
			return n
		}
		return c.T("grading.catalogue.unnamed")
	}
	for _, g := range d.Catalogue.Grades {
		r := catalogueRow{Pupil: person(g.Student), Activity: g.Activity, Grade: valueWords(c, g.GradeValue),
			Teacher: person(g.GradingTeacher), DecidedBy: c.T("grading.decidedby." + g.DecidedBy)}
		if g.CoSigner != nil {
			r.CoSigner = person(*g.CoSigner)
		}
		d.Rows = append(d.Rows, r)
	}
	if d.Catalogue.Signed {
		if d.Catalogue.SignedBy != nil {
			d.SignedBy = person(*d.Catalogue.SignedBy)
		}
		if d.Catalogue.SHA256 != nil {
			d.SHA256 = inGroups(*d.Catalogue.SHA256, 8)
		}
		var v Verification
		if err := c.Get(apiPeriod(periodID)+"/catalogues/"+url.PathEscape(group)+"/verify", &v); err != nil {
			return d, "", err
		}
		d.Verification = &v
	}
	d.CanSign = !d.Catalogue.Signed && c.Session.Has(web.RolePrincipal)
	name := groupName(c, map[string]string{}, group)
	if pv.Term == "" {
		return d, c.T("grading.catalogue.title.noterm", name), nil
	}
	return d, c.T("grading.catalogue.title", name, pv.Term), nil
}

func cataloguePage(c *web.Ctx) {
	d, title, err := loadCatalogue(c)
	if err != nil {
		c.Fail(err)
		return
	}
	c.RenderView(http.StatusOK, "grading/catalogue", web.View{Title: title, Data: d})
}

// signCatalogueForm signs off the group's catalogue. While grades are not final the API refuses
// (422), and the page says what is missing; a sign-off done, or not yet come, is said so (409).
func signCatalogueForm(c *web.Ctx) {
	periodID, group := c.Param("periodId"), c.Param("groupId")
	path := apiPeriod(periodID) + "/catalogues/" + url.PathEscape(group)
	err := c.Send(http.MethodPost, path+"/sign", nil, nil)
	if err == nil {
		c.Done(cataloguePath(periodID, group), "grading.catalogue.signed")
		return
	}
	_, wrong := web.Wrong(err)
	if !wrong && !web.Conflict(err) {
		c.Fail(err)
		return
	}
	d, title, lerr := loadCatalogue(c)
	if lerr != nil {
		c.Fail(lerr)
		return
	}
	v := web.View{Title: title}
	status := http.StatusConflict
	if wrong {
		status = http.StatusUnprocessableEntity
		v.Errors = []web.FieldProblem{{Field: "missing", Message: c.T("grading.catalogue.error.grades")}}
	} else {
		d.Notice = c.T("grading.catalogue.conflict")
	}
	v.Data = d
	c.RenderView(status, "grading/catalogue", v)
}

// inGroups writes s in groups of n characters, separated by spaces.
func inGroups(s string, n int) string {
	var groups []string
	for len(s) > n {
		groups, s = append(groups, s[:n]), s[n:]
	}
	return strings.Join(append(groups, s), " ")
}
