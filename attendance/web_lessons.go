package attendance

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/web"
)

// lessonCard is a lesson as a teacher's pages list it.
type lessonCard struct {
	LessonView
	Mine bool // the viewer teaches it: its register is theirs to take
}

// lessonDay is a day of a week's lessons.
type lessonDay struct {
	Day     string // YYYY-MM-DD
	Today   bool
	Lessons []lessonCard
}

type lessonsPageData struct {
	Today      []lessonCard
	Week       int // the ISO week number
	Days       []lessonDay
	Monday     string // the week's, YYYY-MM-DD
	Prev, Next string // the Mondays of the weeks before and after, for ?week=
	ThisWeek   bool
}

// lessonsPage is a teacher's lessons: today's, with the register taken or not, and a week's
// (this week, or the week of ?week=YYYY-MM-DD), day by day.
func lessonsPage(c *web.Ctx) {
	day := today()
	from := monday(day)
	if d, err := register.ParseDate(c.Query("week")); err == nil {
		from = monday(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, register.SchoolDay))
	}
	me, err := myID(c)
	if err != nil {
		c.Fail(err)
		return
	}
	todays, err := myLessons(c, me, day, 1)
	if err != nil {
		c.Fail(err)
		return
	}
	week, err := myLessons(c, me, from, 7)
	if err != nil {
		c.Fail(err)
		return
	}
	_, n := from.ISOWeek()
	d := lessonsPageData{Today: todays, Week: n, Days: byDay(week, from, day), Monday: from.Format(time.DateOnly),
		Prev: from.AddDate(0, 0, -7).Format(time.DateOnly), Next: from.AddDate(0, 0, 7).Format(time.DateOnly),
		ThisWeek: from.Equal(monday(day))}
	c.Render(http.StatusOK, "attendance/lessons", "attendance.lessons.title", d)
}

// byDay lays out a week's lessons from Monday: Monday to Friday always, a weekend day when it
// has lessons.
func byDay(lessons []lessonCard, from, today time.Time) []lessonDay {
	var days []lessonDay
	for i := range 7 {
		d := from.AddDate(0, 0, i)
		ld := lessonDay{Day: d.Format(time.DateOnly), Today: d.Equal(today)}
		for _, l := range lessons {
			if Day(l.Start) == ld.Day {
				ld.Lessons = append(ld.Lessons, l)
			}
		}
		if i < 5 || len(ld.Lessons) > 0 {
			days = append(days, ld)
		}
	}
	return days
}

// todaySection is a teacher's lessons today on the start page, with the register taken or not.
func todaySection(c *web.Ctx) (string, any, error) {
	if !c.Session.Has(web.RoleTeacher) {
		return "", nil, nil
	}
	me, err := myID(c)
	if err != nil {
		return "", nil, err
	}
	lessons, err := myLessons(c, me, today(), 1)
	if err != nil {
		return "", nil, err
	}
	return "attendance/today", lessons, nil
}

// myLessons are the viewer's lessons for days days from the day from.
func myLessons(c *web.Ctx, me string, from time.Time, days int) ([]lessonCard, error) {
	var lessons []LessonView
	q := url.Values{"from": {from.Format(time.DateOnly)}, "days": {strconv.Itoa(days)}}
	if err := c.Get("/api/v1/me/lessons?"+q.Encode(), &lessons); err != nil {
		return nil, err
	}
	cards := make([]lessonCard, 0, len(lessons))
	for _, l := range lessons {
		cards = append(cards, lessonCard{LessonView: l, Mine: l.Teacher == me})
	}
	return cards, nil
}

// myID is the viewer's register id.
func myID(c *web.Ctx) (string, error) {
	var me register.PersonRef
	err := c.Get("/api/v1/me", &me)
	return me.ID, err
}
