package attendance

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/web"
)

// The child's part of the guardian's page about a child: today's lessons with the child's
// attendance at each, the week's timetable, and the attendance so far this week, month and term
// as a bar chart with its numbers in words.

// childLesson is a lesson of the child's, with their attendance in words.
type childLesson struct {
	PupilLesson
	State string // what the register says of the child at it, in words
	Class string // the status-* class of State, "" for none
}

type childDay struct {
	Day     string // YYYY-MM-DD
	Today   bool
	Lessons []childLesson
}

// childPeriod is the child's attendance over a period so far, in minutes and in percent of the
// minutes registered (lessons not yet registered count for nothing).
type childPeriod struct {
	Label                                         string
	Registered                                    int
	Attended, Valid, Invalid                      int // minutes
	AttendedPercent, ValidPercent, InvalidPercent int
}

// span is a period of days, the first to the last.
type span struct {
	label       string
	first, last time.Time
}

type childSectionData struct {
	Today   []childLesson
	Week    int
	Days    []childDay
	Periods []childPeriod
}

// childSection answers the area's part of the page about the child c.Param("personId").
func childSection(c *web.Ctx) (string, any, error) {
	pupil := c.Param("personId")
	day := today()
	from := monday(day)
	var lessons []PupilLesson
	q := url.Values{"from": {from.Format(time.DateOnly)}, "to": {from.AddDate(0, 0, 6).Format(time.DateOnly)}}
	if err := c.Get("/api/v1/persons/"+url.PathEscape(pupil)+"/lessons?"+q.Encode(), &lessons); err != nil {
		return "", nil, notShown(err)
	}
	now := time.Now()
	d := childSectionData{}
	_, d.Week = from.ISOWeek()
	for i := range 7 {
		cd := childDay{Day: from.AddDate(0, 0, i).Format(time.DateOnly)}
		cd.Today = cd.Day == day.Format(time.DateOnly)
		for _, l := range lessons {
			if Day(l.Start) == cd.Day {
				cl := childLesson{PupilLesson: l}
				cl.State, cl.Class = lessonState(c, l, now)
				cd.Lessons = append(cd.Lessons, cl)
			}
		}
		if cd.Today {
			d.Today = cd.Lessons
		}
		if i < 5 || len(cd.Lessons) > 0 {
			d.Days = append(d.Days, cd)
		}
	}
	periods := []span{
		{c.T("attendance.child.thisweek"), from, day},
		{c.T("attendance.child.thismonth", c.T("month."+strings.ToLower(day.Month().String()))), PeriodStart(day, Month), day},
	}
	if t, ok, err := termOf(c, pupil, day); err != nil {
		return "", nil, notShown(err)
	} else if ok {
		first, _ := time.ParseInLocation(time.DateOnly, t.StartDate, register.SchoolDay)
		last, _ := time.ParseInLocation(time.DateOnly, t.EndDate, register.SchoolDay)
		periods = append(periods, span{c.T("attendance.child.term", t.DisplayName), first, earliest(last, day)})
	}
	for _, p := range periods {
		var sum Sum
		q := url.Values{"from": {p.first.Format(time.DateOnly)}, "to": {p.last.Format(time.DateOnly)}}
		if err := c.Get("/api/v1/persons/"+url.PathEscape(pupil)+"/attendance?"+q.Encode(), &sum); err != nil {
			return "", nil, notShown(err)
		}
		d.Periods = append(d.Periods, period(p.label, sum))
	}
	return "attendance/child", d, nil
}

// notShown answers nil for what the viewer may not see (the section then shows nothing, as the
// page is about a child the viewer may see in part), and any other error as it is.
func notShown(err error) error {
	var e *web.APIError
	if errors.As(err, &e) && (e.Status == http.StatusNotFound || e.Status == http.StatusForbidden) {
		return nil
	}
	return err
}

// period is a sum in minutes and in percent of the minutes registered.
func period(label string, s Sum) childPeriod {
	p := childPeriod{Label: label, Attended: s.AttendedMinutes, Valid: s.ValidAbsenceMinutes, Invalid: s.InvalidAbsenceMinutes}
	p.Registered = p.Attended + p.Valid + p.Invalid
	if p.Registered > 0 {
		p.AttendedPercent = p.Attended * 100 / p.Registered
		p.ValidPercent = p.Valid * 100 / p.Registered
		p.InvalidPercent = p.Invalid * 100 / p.Registered
	}
	return p
}

// lessonState says in words what the register says of the child at lesson l, at now.
func lessonState(c *web.Ctx, l PupilLesson, now time.Time) (text, class string) {
	a := l.Attendance
	switch {
	case a == nil && now.Before(l.Start):
		return c.T("attendance.child.coming"), ""
	case a == nil:
		return c.T("attendance.child.notregistered"), ""
	case !a.Registered && a.AbsenceType == "Beviljad ledighet":
		return c.T("attendance.register.leave"), "status-absent"
	case !a.Registered:
		return c.T("attendance.child.reported"), "status-absent"
	case a.Status == Late:
		late := int(l.End.Sub(l.Start).Minutes()) - a.AttendedMinutes
		return c.T("attendance.status.lateby", strconv.Itoa(late)), "status-late"
	case a.Status == Absent && a.Reported:
		return c.T("attendance.child.absentvalid"), "status-absent"
	case a.Status == Absent:
		return c.T("attendance.status.absent"), "status-absent"
	}
	return c.T("attendance.status.present"), "status-present"
}

// termOf finds the term that day falls in at the school the pupil is enrolled at; ok is false
// when there is none (a child in preschool, a holiday between terms).
func termOf(c *web.Ctx, pupil string, day time.Time) (t register.TermView, ok bool, err error) {
	var p register.PersonView
	if err := c.Get("/api/v1/persons/"+url.PathEscape(pupil), &p); err != nil {
		return t, false, err
	}
	if len(p.Enrolments) == 0 {
		return t, false, nil
	}
	var terms []register.TermView
	if err := c.Get("/api/v1/schools/"+url.PathEscape(p.Enrolments[0].School.ID)+"/terms", &terms); err != nil {
		return t, false, err
	}
	d := day.Format(time.DateOnly)
	for _, t := range terms {
		if t.StartDate <= d && d <= t.EndDate {
			return t, true, nil
		}
	}
	return t, false, nil
}
