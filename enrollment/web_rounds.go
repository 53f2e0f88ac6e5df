package enrollment

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/web"
)

// The organiser's officers' pages (Övrig arbetsledning at the huvudman): the organiser's rounds
// (/schools/:schoolId/enrollment-rounds), and a round (/schools/:schoolId/enrollment-rounds/:round)
// with its status, its figures, each school's intake and the approval of its placement, which an
// officer holding the open task gives right there. Who may see them is the API's to decide: for
// anyone else they are the API's 403 or 404.

// officersSection is the officers' way to their rounds on the start page, as the kernel's menu
// has no role for them. Only a person with none of the menu's roles is asked about their duties,
// as grading's start page does: a guardian's, teacher's or principal's start page costs nothing.
func officersSection(c *web.Ctx) (string, any, error) {
	if c.Session.Has(web.RoleGuardian) || c.Session.Has(web.RoleTeacher) || c.Session.Has(web.RolePrincipal) {
		return "", nil, nil
	}
	var me register.Me
	if err := c.Get("/api/v1/me", &me); err != nil {
		return "", nil, err
	}
	var organisers []register.OrganisationRef
	for _, d := range me.Duties {
		if d.DutyRole == dutyOfficer && !slices.ContainsFunc(organisers, func(o register.OrganisationRef) bool { return o.ID == d.DutyAt.ID }) {
			organisers = append(organisers, d.DutyAt)
		}
	}
	if len(organisers) == 0 {
		return "", nil, nil
	}
	return "enrollment/home", organisers, nil
}

type roundsPageData struct {
	OrganiserID string
	Rounds      []Round
}

func roundsPage(c *web.Ctx) {
	d := roundsPageData{OrganiserID: c.Param("schoolId")}
	if err := c.Get(apiRounds(d.OrganiserID), &d.Rounds); err != nil {
		c.Fail(err)
		return
	}
	c.Render(http.StatusOK, "enrollment/rounds", "enrollment.rounds.title", d)
}

// roundPageData is a round as its page shows it.
type roundPageData struct {
	RoundReport
	OrganiserID string
	Placed      bool // placed: the figures of the placement are there
	Share       int  // the share placed at their first choice, in per cent
	Intakes     []intakeRow
	CanApprove  bool   // the viewer holds the open approval task: the form is shown
	task        string // that task's ID
	Approver    string // the officer who approved, as the viewer may know them
	// Approved and Published are when the round was approved and published; zero before.
	Approved, Published time.Time
	Notice              string
}

// intakeRow is a school's intake, with the seats it has left.
type intakeRow struct {
	IntakeView
	Left int
}

func roundPage(c *web.Ctx) {
	d, err := loadRoundPage(c)
	if err != nil {
		c.Fail(err)
		return
	}
	c.RenderView(http.StatusOK, "enrollment/round", web.View{Title: d.Name, Data: d})
}

// loadRoundPage asks the API for the round's report and the viewer's open approval tasks.
func loadRoundPage(c *web.Ctx) (roundPageData, error) {
	d := roundPageData{OrganiserID: c.Param("schoolId")}
	if err := c.Get(apiRounds(d.OrganiserID)+"/"+url.PathEscape(c.Param("round")), &d.RoundReport); err != nil {
		return d, err
	}
	d.Placed = d.PlacedAt != nil
	d.Share = int(math.Round(d.FirstChoiceShare * 100))
	for _, in := range d.RoundReport.Intakes {
		d.Intakes = append(d.Intakes, intakeRow{IntakeView: in, Left: max(in.Seats-in.ByChoice-in.NearHome, 0)})
	}
	if d.ApprovedBy != nil {
		d.Approver = c.PersonName(map[string]string{}, *d.ApprovedBy)
	}
	if d.ApprovedAt != nil {
		d.Approved = *d.ApprovedAt
	}
	if d.PublishedAt != nil {
		d.Published = *d.PublishedAt
	}
	if d.Status == "placed" {
		var tasks []store.TaskView
		if err := c.Get("/api/v1/tasks?state=open&kind="+url.QueryEscape(KindApprove), &tasks); err != nil {
			return d, err
		}
		if t := findTask(tasks, KindApprove, d.ProcessID); t != nil {
			d.CanApprove, d.task = true, t.ID
		}
	}
	return d, nil
}

// approveRound approves the round's placement by completing the viewer's open approval task
// through the API. A task done meanwhile, by another officer say, shows the round as it is now.
func approveRound(c *web.Ctx) {
	d, err := loadRoundPage(c)
	if err != nil {
		c.Fail(err)
		return
	}
	if !d.CanApprove {
		d.Notice = c.T("enrollment.round.conflict")
		c.RenderView(http.StatusConflict, "enrollment/round", web.View{Title: d.Name, Data: d})
		return
	}
	err = c.Send(http.MethodPost, "/api/v1/tasks/"+url.PathEscape(d.task)+"/complete",
		map[string]any{"payload": map[string]any{"decision": "approve", "note": strings.TrimSpace(c.PostForm("note"))}}, nil)
	switch e, wrong := web.Wrong(err); {
	case err == nil:
		c.Done(roundPath(d.OrganiserID, d.ID), "enrollment.round.approved")
	case wrong:
		var problems []web.FieldProblem
		for _, f := range e.Problem.Errors {
			if f.Field == "payload/note" {
				problems = append(problems, web.FieldProblem{Field: "note", Message: c.T("enrollment.round.error.note")})
			}
		}
		if len(problems) == 0 {
			problems = []web.FieldProblem{{Message: c.T("error.form")}}
		}
		c.RenderView(http.StatusUnprocessableEntity, "enrollment/round", web.View{Title: d.Name, Data: d, Errors: problems, Form: c.Request.PostForm})
	case web.Conflict(err):
		d.CanApprove, d.Notice = false, c.T("enrollment.round.conflict")
		c.RenderView(http.StatusConflict, "enrollment/round", web.View{Title: d.Name, Data: d})
	default:
		c.Fail(err)
	}
}
