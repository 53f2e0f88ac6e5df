package grading

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/web"
)

// The published grades: the section of the guardian's page about a child, the child's grade
// page (/children/:personId/grades) and a pupil's own (/grades). To a guardian and a pupil the
// API answers only grades published by now, so before the publication time the pages say
// plainly that there is nothing yet; a child one may not see is the API's 404. The school's
// staff, who read grades as they are set, see each marked as not yet published.

// gradeLine is a grade as these pages show it.
type gradeLine struct {
	Subject   string // the course's name, or the subject's
	Grade     string // the value in words
	Term      string
	Published bool
	Corrected string // the kind of correction, in words; "" for none
}

type gradesPageData struct {
	PersonID string
	Grades   []gradeLine
	Own      bool // the pupil's own page
}

// gradesOf reads a pupil's grades as the API shows them to the viewer.
func gradesOf(c *web.Ctx, person string) ([]gradeLine, error) {
	var grades []PupilGrade
	if err := c.Get("/api/v1/persons/"+url.PathEscape(person)+"/grades", &grades); err != nil {
		return nil, err
	}
	out := make([]gradeLine, 0, len(grades))
	for _, g := range grades {
		l := gradeLine{Subject: g.SubjectName, Grade: valueWords(c, g.GradeValue), Term: g.Term, Published: g.PublishedAt != nil}
		if g.CourseName != nil && *g.CourseName != "" {
			l.Subject = *g.CourseName
		}
		if g.CorrectionType != nil {
			switch *g.CorrectionType {
			case Andring:
				l.Corrected = c.T("grading.grades.changed")
			case Rattelse:
				l.Corrected = c.T("grading.grades.corrected")
			}
		}
		out = append(out, l)
	}
	return out, nil
}

// childGradesPage is the grades of a child, as the API shows them to the viewer.
func childGradesPage(c *web.Ctx) {
	person := c.Param("personId")
	grades, err := gradesOf(c, person)
	if err != nil {
		c.Fail(err)
		return
	}
	title := c.T("grading.grades.title.unnamed")
	if name := c.PersonName(map[string]string{}, person); name != "" {
		title = c.T("grading.grades.title", name)
	}
	c.RenderView(http.StatusOK, "grading/grades", web.View{Title: title, Data: gradesPageData{PersonID: person, Grades: grades}})
}

// myGradesPage is a pupil's own grades.
func myGradesPage(c *web.Ctx) {
	var me register.Me
	if err := c.Get("/api/v1/me", &me); err != nil {
		c.Fail(err)
		return
	}
	grades, err := gradesOf(c, me.ID)
	if err != nil {
		c.Fail(err)
		return
	}
	c.Render(http.StatusOK, "grading/grades", "grading.grades.own", gradesPageData{PersonID: me.ID, Grades: grades, Own: true})
}

// childShown is how many grades the section on the guardian's page about a child lists.
const childShown = 5

type childSectionData struct {
	PersonID string
	Grades   []gradeLine
	More     bool
}

// childSection is the area's part of the guardian's page about a child: the child's latest
// published grades in short, and the way to all of them.
func childSection(c *web.Ctx) (string, any, error) {
	person := c.Param("personId")
	grades, err := gradesOf(c, person)
	if err != nil {
		return "", nil, err
	}
	d := childSectionData{PersonID: person, Grades: grades}
	if len(d.Grades) > childShown {
		d.Grades, d.More = d.Grades[:childShown], true
	}
	return "grading/child", d, nil
}

// homeSection is the area's part of the start page: for a teacher, the way to the school's
// grading (principals have it in the menu); for a pupil (one enrolled, without a duty), the way
// to their own grades.
func homeSection(c *web.Ctx) (string, any, error) {
	switch {
	case c.Session.Has(web.RolePrincipal):
		return "", nil, nil
	case c.Session.Has(web.RoleTeacher):
		return "grading/home-teacher", nil, nil
	case c.Session.Has(web.RoleGuardian):
		return "", nil, nil
	}
	var me register.Me
	if err := c.Get("/api/v1/me", &me); err != nil {
		return "", nil, err
	}
	var p register.PersonView
	if err := c.Get("/api/v1/persons/"+url.PathEscape(me.ID), &p); err != nil || len(me.Duties) > 0 || len(p.Enrolments) == 0 {
		return "", nil, nil // not a pupil: nothing of grading here
	}
	return "grading/home-pupil", strings.TrimSpace(me.GivenName), nil
}
