package absence

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/web"
)

// The principal's pages: the school's absence investigations (skollagen 7 kap. 19 a §), each
// in words with a link to its history, and the school's day at a glance: the registers taken
// and not taken, the notices sent to the guardians, and the pupils whose guardians the notice
// has not reached. Like every page they ask the API on behalf of the signed-in person: a
// principal of another school gets the API's 404, and a pupil is named as the API names them.

// PrincipalMenu is the principal's entries in the menu; each leads to the principal's school.
var PrincipalMenu = []web.MenuEntry{
	{Path: "/absence/investigations", Label: "absence.principal.menu.investigations", Role: web.RolePrincipal},
	{Path: "/today", Label: "absence.principal.menu.today", Role: web.RolePrincipal},
}

// PrincipalPages mounts the principal's pages.
func PrincipalPages(r *web.Router) {
	r.GET("/absence/investigations", toMySchool("absence-investigations", "absence.principal.investigations.choose"))
	r.GET("/today", toMySchool("today", "absence.principal.today.choose"))
	r.GET("/schools/:schoolId/absence-investigations", investigationsPage)
	r.GET("/schools/:schoolId/today", todayPage)
}

type schoolChoice struct {
	Schools []register.OrganisationRef
	Page    string // the page's last path segment at each school
}

// toMySchool leads to page at the school where the signed-in person is principal; with several,
// it lists them to choose from, and with none it says so.
func toMySchool(page, titleKey string) func(*web.Ctx) {
	return func(c *web.Ctx) {
		var me register.Me
		if err := c.Get("/api/v1/me", &me); err != nil {
			c.Fail(err)
			return
		}
		choice := schoolChoice{Page: page}
		seen := map[string]bool{}
		for _, d := range me.Duties {
			if d.DutyRole == PrincipalRole && !seen[d.DutyAt.ID] {
				seen[d.DutyAt.ID] = true
				choice.Schools = append(choice.Schools, d.DutyAt)
			}
		}
		if len(choice.Schools) == 1 {
			c.Redirect(http.StatusSeeOther, "/schools/"+url.PathEscape(choice.Schools[0].ID)+"/"+page)
			return
		}
		c.Render(http.StatusOK, "absence/principal_schools", titleKey, choice)
	}
}

// investigationCard is an investigation in words.
type investigationCard struct {
	AbsenceInvestigation
	Pupil      string // as the API names the pupil to the viewer
	State      string
	Month      string
	Conclusion string
}

type investigationGroup struct {
	Heading, Empty string
	Items          []investigationCard
}

type investigationsData struct {
	Groups []investigationGroup
}

// investigationsPage lists the school's investigations, those under way first, each newest
// first.
func investigationsPage(c *web.Ctx) {
	school := c.Param("schoolId")
	var list []AbsenceInvestigation
	if err := c.Get("/api/v1/schools/"+url.PathEscape(school)+"/absence-investigations", &list); err != nil {
		c.Fail(err)
		return
	}
	name, err := schoolName(c, school)
	if err != nil {
		c.Fail(err)
		return
	}
	current := investigationGroup{Heading: c.T("absence.principal.investigations.current"), Empty: c.T("absence.principal.investigations.nocurrent")}
	done := investigationGroup{Heading: c.T("absence.principal.investigations.closed"), Empty: c.T("absence.principal.investigations.noclosed")}
	names := map[string]string{}
	for _, inv := range list {
		card := investigationCard{AbsenceInvestigation: inv, Pupil: pupilName(c, names, inv.PupilID),
			State: c.T("absence.principal.status." + inv.Status), Month: monthInWords(c, inv.Month)}
		if inv.Conclusion != nil {
			card.Conclusion = c.T("absence.principal.conclusion." + *inv.Conclusion)
		}
		if inv.Status == InvestigationClosed {
			done.Items = append(done.Items, card)
		} else {
			current.Items = append(current.Items, card)
		}
	}
	c.RenderView(http.StatusOK, "absence/principal_investigations", web.View{
		Title: c.T("absence.principal.investigations.title", name),
		Data:  investigationsData{Groups: []investigationGroup{current, done}},
	})
}

// lessonRow is one of the day's lessons as the overview shows it.
type lessonRow struct {
	OverviewLesson
	Teacher string
}

// pupilRow is a pupil named as the API names them, with their absence day's history.
type pupilRow struct {
	Pupil, ProcessID string
}

type todayData struct {
	AbsenceOverview
	Rows       []lessonRow
	Started    int // lessons that have started: those whose register is due
	NotReached []pupilRow
}

// todayPage is the school's day: registers, notices, guardians not reached.
func todayPage(c *web.Ctx) {
	school := c.Param("schoolId")
	var o AbsenceOverview
	if err := c.Get("/api/v1/schools/"+url.PathEscape(school)+"/absence-overview", &o); err != nil {
		c.Fail(err)
		return
	}
	name, err := schoolName(c, school)
	if err != nil {
		c.Fail(err)
		return
	}
	d := todayData{AbsenceOverview: o, Started: o.RegistersTaken + o.RegistersMissing}
	names := map[string]string{}
	for _, l := range o.Lessons {
		d.Rows = append(d.Rows, lessonRow{OverviewLesson: l, Teacher: c.PersonName(names, l.TeacherID)})
	}
	for _, p := range o.NotReached {
		d.NotReached = append(d.NotReached, pupilRow{Pupil: pupilName(c, names, p.PupilID), ProcessID: p.ProcessID})
	}
	c.RenderView(http.StatusOK, "absence/principal_today", web.View{
		Title: c.T("absence.principal.today.title", name, dayInWords(c, o.Day)),
		Data:  d,
	})
}

// schoolName answers the school's name (a public fact).
func schoolName(c *web.Ctx, id string) (string, error) {
	var s register.School
	if err := c.Get("/api/v1/schools/"+url.PathEscape(id), &s); err != nil {
		return "", err
	}
	return s.DisplayName, nil
}

// pupilName names a pupil as the API lets the viewer see them, or says that the name is not
// shown: never more than the API gives.
func pupilName(c *web.Ctx, names map[string]string, id string) string {
	if n := c.PersonName(names, id); n != "" {
		return n
	}
	return c.T("absence.principal.pupil.unnamed")
}

// monthInWords shows a YYYY-MM month as "oktober 2026".
func monthInWords(c *web.Ctx, month string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	return c.T("absence.principal.month", c.T("month."+strings.ToLower(t.Month().String())), t.Year())
}

// dayInWords shows a YYYY-MM-DD day as "måndag 30 november".
func dayInWords(c *web.Ctx, day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return c.T("date.format", c.T("weekday."+strings.ToLower(t.Weekday().String())), t.Day(),
		c.T("month."+strings.ToLower(t.Month().String())))
}
