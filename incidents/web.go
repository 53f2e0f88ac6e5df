package incidents

import (
	"embed"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/web"
)

// The area's web pages: any member of the staff reports degrading treatment, in under a minute
// (/incidents/new: a group of theirs, the pupils concerned in it, when, where, what); the
// principal follows the school's incidents, each step with its deadline and when it was met
// (/schools/:schoolId/incidents, reached from the menu by /incidents). The steps themselves are
// tasks, answered on the kernel's /tasks page. The pages ask the API only.

//go:embed all:pages
var pageFiles embed.FS

// Web is the area's pages, texts, routes and menu entries.
func Web() web.Area {
	return web.Area{
		Name:  "incidents",
		Pages: web.PagesOf(pageFiles),
		Routes: func(r *web.Router) {
			r.GET("/incidents/new", reportPage)
			r.POST("/incidents/new", report)
			r.GET("/incidents", myIncidents)
			r.GET("/schools/:schoolId/incidents", listPage)
		},
		Menu: []web.MenuEntry{
			{Path: "/incidents/new", Label: "incidents.menu.report", Role: web.RoleTeacher},
			{Path: "/incidents", Label: "incidents.menu.list", Role: web.RolePrincipal},
		},
		// Every step of an incident is read on its school's list, with the other steps' deadlines.
		TaskPages: map[string]func(store.TaskView) string{
			"incident." + StepAcknowledge: schoolList, "incident." + StepReport: schoolList, "incident." + StepInvestigate: schoolList,
			"incident." + StepMeasures: schoolList, "incident." + StepFollowUp: schoolList,
		},
	}
}

// schoolList is the page of the incidents of the task's school.
func schoolList(t store.TaskView) string {
	if t.SchoolID == nil {
		return ""
	}
	return "/schools/" + *t.SchoolID + "/incidents"
}

// reportPageData is the report page: the viewer's groups to choose from, or, with a group chosen,
// its pupils and the form.
type reportPageData struct {
	Groups []register.MyGroup
	Group  *register.GroupView
	Now    string // the time now, as the form's when (YYYY-MM-DDTHH:MM in the schools' zone)
}

// loadReportPage asks the API for the viewer's groups, or the chosen group and its pupils.
func loadReportPage(c *web.Ctx) (reportPageData, error) {
	d := reportPageData{Now: time.Now().In(register.SchoolDay).Format("2006-01-02T15:04")}
	if group := c.Query("group"); group != "" {
		var g register.GroupView
		if err := c.Get("/api/v1/groups/"+url.PathEscape(group), &g); err != nil {
			return d, err
		}
		d.Group = &g
		return d, nil
	}
	err := c.Get("/api/v1/me/groups", &d.Groups)
	return d, err
}

func reportPage(c *web.Ctx) {
	d, err := loadReportPage(c)
	if err != nil {
		c.Fail(err)
		return
	}
	c.RenderView(http.StatusOK, "incidents/report", web.View{Title: c.T("incidents.report.title"), Data: d})
}

// report sends the report to the API for the group's school unit. A time that is not one goes as
// typed, for the API to refuse naming the field; the form comes back with what was typed.
func report(c *web.Ctx) {
	d, err := loadReportPage(c)
	if err != nil || d.Group == nil {
		c.Fail(err)
		return
	}
	var pupils []Concerned
	for _, p := range c.PostFormArray("subjected") {
		pupils = append(pupils, Concerned{Person: p, Role: "subjected"})
	}
	for _, p := range c.PostFormArray("involved") {
		pupils = append(pupils, Concerned{Person: p, Role: "involved"})
	}
	var when any = strings.TrimSpace(c.PostForm("occurredAt"))
	if t, err := time.ParseInLocation("2006-01-02T15:04", when.(string), register.SchoolDay); err == nil {
		when = t
	}
	in := map[string]any{"pupils": pupils, "occurredAt": when, "place": strings.TrimSpace(c.PostForm("place")),
		"description": strings.TrimSpace(c.PostForm("description"))}
	if pupils == nil {
		in["pupils"] = []Concerned{}
	}
	err = c.Send(http.MethodPost, "/api/v1/schools/"+url.PathEscape(d.Group.Organisation.ID)+"/incidents", in, nil)
	if err == nil {
		c.Done("/incidents/new", "incidents.report.sent")
		return
	}
	if c.Invalid(err, "incidents/report", web.View{Title: c.T("incidents.report.title"), Data: d}) {
		return
	}
	c.Fail(err)
}

// myIncidents leads the principal to the incidents of the school they lead, or to a list of
// their schools when they lead several.
func myIncidents(c *web.Ctx) {
	c.ToOwnSchool("incidents", "incidents/schools", "incidents.schools.title")
}

// listPage is the school's incidents, newest first, each step with its deadline and when it
// was met.
func listPage(c *web.Ctx) {
	school := c.Param("schoolId")
	var list []Summary
	if err := c.Get("/api/v1/schools/"+url.PathEscape(school)+"/incidents", &list); err != nil {
		c.Fail(err)
		return
	}
	var s register.School
	if err := c.Get("/api/v1/schools/"+url.PathEscape(school), &s); err != nil {
		c.Fail(err)
		return
	}
	c.RenderView(http.StatusOK, "incidents/list", web.View{Title: c.T("incidents.list.title", s.DisplayName), Data: rows(list)})
}

// incidentRow is an incident as the list shows it: each step with how it stands.
type incidentRow struct {
	Summary
	Rows []stepRow
}

// stepRow is a step as the list shows it. State is intime or late for a step done, overdue or
// open for one not.
type stepRow struct {
	Step
	State string
}

func rows(list []Summary) []incidentRow {
	out := make([]incidentRow, len(list))
	for i, inc := range list {
		out[i].Summary = inc
		for _, st := range inc.Steps {
			state := "open"
			switch {
			case st.DoneAt != nil && st.InTime != nil && *st.InTime:
				state = "intime"
			case st.DoneAt != nil:
				state = "late"
			case st.InTime != nil: // not done, and past its deadline
				state = "overdue"
			}
			out[i].Rows = append(out[i].Rows, stepRow{Step: st, State: state})
		}
	}
	return out
}
