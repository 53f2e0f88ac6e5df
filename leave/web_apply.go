package leave

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/web"
)

// The page about one child's leave (/children/:personId/leave): a guardian applies, and every
// application is listed with where it stands, the school's decision and what the law allows
// against it. A child the viewer may not see is the API's 404.

// applyPageData is what the page shows: the form, and the child's applications.
type applyPageData struct {
	PersonID     string
	CanApply     bool // the viewer is signed in as a guardian: the form is shown
	Notice       string
	Applications []applicationCard
}

// applicationCard is an application as the page shows it.
type applicationCard struct {
	Application
	Decided   bool   // granted or denied: the school decided
	DecidedOn string // YYYY-MM-DD, the day of the decision
	Given     string // the reason given, "" when the viewer may not know it
	Opinion   string // the mentor's opinion, "" when none was given
	Reasons   string // the decider's reasons, "" when none were given or the viewer may not know them
}

func applicationsPath(person string) string {
	return "/api/v1/persons/" + url.PathEscape(person) + "/leave-applications"
}

// cards answers the applications as the pages show them.
func cards(apps []Application) []applicationCard {
	out := make([]applicationCard, 0, len(apps))
	for _, a := range apps {
		card := applicationCard{Application: a, Decided: a.Status == Granted || a.Status == Denied}
		if card.Decided && a.DecidedAt != nil {
			card.DecidedOn = a.DecidedAt.In(register.SchoolDay).Format(time.DateOnly)
		}
		if a.Reason != nil {
			card.Given = *a.Reason
		}
		if a.MentorOpinion != nil {
			card.Opinion = *a.MentorOpinion
		}
		if a.DecisionReason != nil {
			card.Reasons = *a.DecisionReason
		}
		out = append(out, card)
	}
	return out
}

// loadApplyPage asks the API for the child's applications and answers the page's title and data.
func loadApplyPage(c *web.Ctx) (string, applyPageData, error) {
	person := c.Param("personId")
	var apps []Application
	if err := c.Get(applicationsPath(person), &apps); err != nil {
		return "", applyPageData{}, err
	}
	title := c.T("leave.apply.title.unnamed")
	if name := c.PersonName(map[string]string{}, person); name != "" {
		title = c.T("leave.apply.title", name)
	}
	return title, applyPageData{PersonID: person, CanApply: c.Session.Has(web.RoleGuardian), Applications: cards(apps)}, nil
}

func applyPage(c *web.Ctx) {
	title, data, err := loadApplyPage(c)
	if err != nil {
		c.Fail(err)
		return
	}
	c.RenderView(http.StatusOK, "leave/apply", web.View{Title: title, Data: data})
}

// apply sends the application. The form comes back with what was typed when the API finds a
// field wrong (422: nothing was written), or when the child already has leave on those days or
// no school to decide (409).
func apply(c *web.Ctx) {
	in := ApplicationInput{From: strings.TrimSpace(c.PostForm("from")), To: strings.TrimSpace(c.PostForm("to")),
		Reason: strings.TrimSpace(c.PostForm("reason"))}
	err := c.Send(http.MethodPost, applicationsPath(c.Param("personId")), in, nil)
	if err == nil {
		c.Done(c.Request.URL.Path, "leave.apply.sent")
		return
	}
	if !invalid(err) && !web.Conflict(err) {
		c.Fail(err)
		return
	}
	title, data, lerr := loadApplyPage(c)
	if lerr != nil {
		c.Fail(lerr)
		return
	}
	v := web.View{Title: title, Data: data}
	if c.Invalid(err, "leave/apply", v) {
		return
	}
	data.Notice = c.T("leave.apply.conflict")
	v.Data, v.Form = data, c.Request.PostForm
	c.RenderView(http.StatusConflict, "leave/apply", v)
}

// invalid tells whether the API refused a form's fields: the form is shown again.
func invalid(err error) bool { _, wrong := web.Wrong(err); return wrong }
