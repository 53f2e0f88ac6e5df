package absence

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

// The day's absence notice as a guardian answers it: what the child missed (lessons and
// minutes), what has become of the notice, and a form to give the reason while the day takes
// one. A notice answered already, or a day closed meanwhile, shows the day as it is now.

// dayPage is one pupil's absence day as a page shows it.
type dayPage struct {
	PersonID, Name, Day string
	AbsenceDayView
	Corrected bool   // a notice of the day was corrected: lessons were attended after all
	Notice    string // a plain word of why the form was not taken (409)
	Tasks     []dayTask
}

// dayPageName is the guardian's page of a day; its field and error texts are keyed by it.
const dayPageName = "absence/day"

// loadDay asks the API for the day, and names the pupil as the API lets the viewer see them.
func loadDay(c *web.Ctx) (dayPage, error) {
	p := dayPage{PersonID: c.Param("personId"), Day: c.Param("day")}
	err := c.Get("/api/v1/persons/"+url.PathEscape(p.PersonID)+"/absence-days/"+url.PathEscape(p.Day), &p.AbsenceDayView)
	if err != nil {
		return p, err
	}
	p.Name = c.PersonName(map[string]string{}, p.PersonID)
	if p.Name == "" {
		p.Name = c.T("absence.pupil.unnamed")
	}
	p.Corrected = slices.ContainsFunc(p.Notices, func(n AbsenceNoticeOut) bool { return n.Kind == KindCorrection })
	return p, nil
}

func (p dayPage) title(c *web.Ctx) string {
	return c.T("absence.day.title", p.Name, formatDay(c, p.Day))
}

// formatDay is a day as the pages write it ("onsdag 2 december").
func formatDay(c *web.Ctx, day string) string {
	t, err := time.ParseInLocation(time.DateOnly, day, register.SchoolDay)
	if err != nil {
		return day
	}
	return c.T("date.format", c.T("weekday."+strings.ToLower(t.Weekday().String())), t.Day(), c.T("month."+strings.ToLower(t.Month().String())))
}

func noticePage(c *web.Ctx) {
	p, err := loadDay(c)
	if err != nil {
		c.Fail(notFoundIfMalformed(err))
		return
	}
	c.RenderView(http.StatusOK, dayPageName, web.View{Title: p.title(c), Data: p})
}

// answerNotice gives the guardian's reason for the day's absence, and shows the day again.
func answerNotice(c *web.Ctx) {
	path := "/api/v1/persons/" + url.PathEscape(c.Param("personId")) + "/absence-days/" + url.PathEscape(c.Param("day")) + "/reply"
	err := c.Send(http.MethodPost, path, AbsenceReplyInput{Reason: c.PostForm("reason")}, nil)
	if err == nil {
		c.Done(c.Request.URL.Path, "absence.day.done")
		return
	}
	if _, wrong := web.Wrong(err); !wrong && !web.Conflict(err) {
		c.Fail(err)
		return
	}
	p, lerr := loadDay(c)
	if lerr != nil {
		c.Fail(lerr)
		return
	}
	if web.Conflict(err) {
		// Answered already (by the other guardian, say), or the day closed: the day as it is now.
		p.Notice = c.T("absence.day.conflict.closed")
		if len(p.Replies) > 0 {
			p.Notice = c.T("absence.day.conflict.answered")
		}
		c.RenderView(http.StatusConflict, dayPageName, web.View{Title: p.title(c), Data: p})
		return
	}
	c.Invalid(err, dayPageName, web.View{Title: p.title(c), Data: p})
}

// childData is the area's part of a guardian's page about one child.
type childData struct {
	PersonID string
	// TodayReported: a report covers some of today; TodayAbsent: lessons of today's notices the
	// register still has the child absent from.
	TodayReported bool
	TodayAbsent   int
	TodayDay      string
	Reports       []string // each report's period in words
	Days          []AbsenceDaySummary
}

// latestDays is how many of the child's absence days the child's page lists.
const latestDays = 5

// childSection shows today's absence of the child, their reports of today and coming days with
// a link to report, and the latest days with notices, each linked to its answer.
func childSection(c *web.Ctx) (string, any, error) {
	d := childData{PersonID: c.Param("personId"), TodayDay: today()}
	base := "/api/v1/persons/" + url.PathEscape(d.PersonID)
	var reports []ReportOut
	if err := c.Get(base+"/absence-reports", &reports); err != nil {
		return "", nil, err
	}
	if err := c.Get(base+"/absence-days", &d.Days); err != nil {
		return "", nil, err
	}
	start, _ := time.ParseInLocation(time.DateOnly, d.TodayDay, register.SchoolDay)
	end := start.AddDate(0, 0, 1)
	for _, r := range reports {
		if r.Start.Before(end) && r.End.After(start) {
			d.TodayReported = true
		}
		d.Reports = append(d.Reports, reportPeriod(c, r))
	}
	for _, day := range d.Days {
		if day.Day == d.TodayDay {
			d.TodayAbsent = day.AbsentLessons
		}
	}
	if len(d.Days) > latestDays {
		d.Days = d.Days[:latestDays]
	}
	return "absence/child", d, nil
}

// reportPeriod says a report's period in words: its first and last day, with the times of a
// part of a day ("från måndag 30 november kl. 12:00 till tisdag 1 december").
func reportPeriod(c *web.Ctx, r ReportOut) string {
	start, end := r.Start.In(register.SchoolDay), r.End.In(register.SchoolDay)
	from := formatDay(c, start.Format(time.DateOnly))
	if start.Hour() != 0 || start.Minute() != 0 {
		from = c.T("absence.report.clock", from, start.Format("15:04"))
	}
	var to string
	if end.Hour() == 0 && end.Minute() == 0 { // the end of the day before
		to = formatDay(c, end.AddDate(0, 0, -1).Format(time.DateOnly))
	} else {
		to = c.T("absence.report.clock", formatDay(c, end.Format(time.DateOnly)), end.Format("15:04"))
	}
	if r.Cause != "" {
		return c.T("absence.report.period."+r.Cause, from, to) // sick or other
	}
	return c.T("absence.report.period", from, to)
}

// State is the pupil's registration in the lesson, as the pages' texts name it: absent, late,
// present (corrected after a notice), or none.
func (l NoticedLesson) State() string {
	if l.Status == nil {
		return "none"
	}
	return *l.Status
}

// notFoundIfMalformed answers the API's 422 for a path that is no day (a malformed date) as the
// page not found that it is; any other error as it is.
func notFoundIfMalformed(err error) error {
	var e *web.APIError
	if errors.As(err, &e) && e.Status == http.StatusUnprocessableEntity {
		return &web.APIError{Status: http.StatusNotFound}
	}
	return err
}
