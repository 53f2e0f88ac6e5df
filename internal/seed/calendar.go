package seed

import (
	"fmt"
	"time"

	"github.com/skolflow/skolflow/register"
)

// calendar is the school year in force on the day seeded for, and the week of lessons.
type calendar struct {
	year        int       // the autumn the school year began: 2026 for 2026/27
	start, end  time.Time // of the school year
	autumnEnd   time.Time // the last day of the autumn term (HT)
	springStart time.Time // the first day of the spring term (VT)
	monday      time.Time // the week of lessons, midnight in Europe/Stockholm
}

// newCalendar finds the school year that today is in (or, in the summer, the one just ended, so
// that its classes stay in force) and today's week.
func newCalendar(today time.Time) calendar {
	local := today.In(register.SchoolDay)
	day := date(local.Year(), local.Month(), local.Day())
	y := local.Year()
	if day.Before(yearStart(y)) {
		y--
	}
	c := calendar{year: y, start: yearStart(y), end: onOrBefore(date(y+1, time.June, 15), time.Friday),
		autumnEnd: onOrBefore(date(y, time.December, 22), time.Friday)}
	c.springStart = date(y+1, time.January, 7)
	for isWeekend(c.springStart) {
		c.springStart = c.springStart.AddDate(0, 0, 1)
	}
	back := (int(local.Weekday()) + 6) % 7 // days since Monday
	c.monday = time.Date(local.Year(), local.Month(), local.Day()-back, 0, 0, 0, 0, register.SchoolDay)
	return c
}

// yearStart is the first day of the school year that begins in the autumn of y: the first
// Monday from 15 August, as Stockholm's schools start.
func yearStart(y int) time.Time {
	d := date(y, time.August, 15)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// yearsAgo is the first day of the school year n years before this one.
func (c calendar) yearsAgo(n int) time.Time { return yearStart(c.year - n) }

func (c calendar) yearName() string { return fmt.Sprintf("%d/%02d", c.year, (c.year+1)%100) }

// The school day: six lessons of 50 minutes, lunch after the third.
var periods = [...]struct{ hour, minute int }{{8, 10}, {9, 10}, {10, 20}, {12, 10}, {13, 10}, {14, 10}}

const (
	lessonLength = 50 * time.Minute
	schoolDays   = 5 // Monday to Friday
	slots        = schoolDays * len(periods)
)

// lesson is when lesson slot s (0 is Monday's first) of the week begins, on the clock in
// Stockholm whatever the daylight saving.
func (c calendar) lesson(s int) (start, end time.Time) {
	p := periods[s%len(periods)]
	start = time.Date(c.monday.Year(), c.monday.Month(), c.monday.Day()+s/len(periods), p.hour, p.minute, 0, 0, register.SchoolDay)
	return start, start.Add(lessonLength)
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func onOrBefore(d time.Time, w time.Weekday) time.Time {
	for d.Weekday() != w {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

func isWeekend(d time.Time) bool { return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday }
