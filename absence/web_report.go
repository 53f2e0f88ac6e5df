package absence

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/web"
)

// A guardian's report that a child is, or will be, absent (sjukanmälan): from the start page in
// one step (a form per child, from today unless changed), or on a page of its own, which also
// takes part of a day and shows a report the API refused again with what was typed.

// childForm is one child's report form on the start page.
type childForm struct {
	ID, GivenName, Name string
}

// addChildren adds a report form for each child in the guardian's custody.
func (h *homeData) addChildren(c *web.Ctx) error {
	var children []register.PersonRef
	if err := c.Get("/api/v1/me/children", &children); err != nil {
		return err
	}
	h.Today = today()
	for _, ch := range children {
		h.Children = append(h.Children, childForm{ID: ch.ID, GivenName: ch.GivenName,
			Name: strings.TrimSpace(ch.GivenName + " " + ch.FamilyName)})
	}
	return nil
}

// reportPage is the report form on a page of its own.
type reportPage struct {
	Child childForm
	Today string
}

// reportPageName is the full form's template; its field texts and error texts are keyed by it.
const reportPageName = "absence/report"

// reportForm shows the full form, from today.
func reportForm(c *web.Ctx) {
	p, ok := loadReportPage(c)
	if !ok {
		return
	}
	c.RenderView(http.StatusOK, reportPageName, web.View{Title: c.T("absence.report.title", p.Child.GivenName), Data: p,
		Form: url.Values{"from": {p.Today}, "cause": {CauseSick}}})
}

// loadReportPage names the child as the API lets the guardian see them; a child the API does
// not show them fails the page (404).
func loadReportPage(c *web.Ctx) (reportPage, bool) {
	var child register.PersonRef
	if err := c.Get("/api/v1/persons/"+url.PathEscape(c.Param("personId")), &child); err != nil {
		c.Fail(err)
		return reportPage{}, false
	}
	return reportPage{Today: today(), Child: childForm{ID: child.ID, GivenName: child.GivenName,
		Name: strings.TrimSpace(child.GivenName + " " + child.FamilyName)}}, true
}

// sendReport reports the child sick or absent for another reason (cause) from the day "from"
// to the day "to" (the same day when left out), whole days unless the times are given, and goes
// back to the start page. A report
// the API refuses shows the full form with what was typed and what to correct.
func sendReport(c *web.Ctx) {
	in := AbsenceReportInput{
		From:     strings.TrimSpace(c.PostForm("from")),
		To:       strings.TrimSpace(c.PostForm("to")),
		FromTime: strings.TrimSpace(c.PostForm("fromTime")),
		ToTime:   strings.TrimSpace(c.PostForm("toTime")),
		Cause:    c.PostForm("cause"),
	}
	if in.To == "" {
		in.To = in.From
	}
	err := c.Send(http.MethodPost, "/api/v1/persons/"+url.PathEscape(c.Param("personId"))+"/absence-reports", in, nil)
	if err == nil {
		c.Done("/", "absence.report.done")
		return
	}
	if _, wrong := web.Wrong(err); !wrong {
		c.Fail(err) // the API's 404 for a child not in the guardian's custody among them
		return
	}
	p, ok := loadReportPage(c)
	if !ok {
		return
	}
	c.Invalid(err, reportPageName, web.View{Title: c.T("absence.report.title", p.Child.GivenName), Data: p})
}
