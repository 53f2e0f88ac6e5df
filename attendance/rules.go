// Package attendance is the area of attendance (närvaro): the timetable a school imports, the
// register a teacher takes for a whole lesson, and a pupil's attendance in sum, the figure a
// term grade shows. Attendance is kept per pupil and lesson in minutes, as SS 12000 does; a
// pupil absent without a known reason is reported to their absence day.
//
// The folder holds the whole area: its rules (this file), its SQL (store.go), its HTTP handlers
// (http.go), the Module that plugs it into the platform (module.go), and their tests.
package attendance

import (
	"fmt"
	"time"

	"github.com/skolflow/skolflow/internal/outbox"
	"github.com/skolflow/skolflow/register"
)

// Status is a pupil's attendance at a lesson, as a teacher registers it.
type Status = string

// The statuses of a registration (attendance/migrations/0007_lessons_and_attendance.sql checks the same).
const (
	Present Status = "present"
	Absent  Status = "absent"
	Late    Status = "late" // came in late by some minutes, which are absence
)

// MaxLessonLength bounds a lesson: a school day at most. Its minutes then fit attendance's
// integers whatever the sums add up.
const MaxLessonLength = 10 * time.Hour

// A teacher's timetable is read for TimetableDays days from a date, at most MaxTimetableDays.
const (
	TimetableDays    = 7
	MaxTimetableDays = 31
)

// Lesson is one lesson of the timetable.
type Lesson struct {
	ID          string    `json:"id"`
	Group       string    `json:"group"`
	Teacher     string    `json:"teacher"`
	SubjectCode *string   `json:"subjectCode,omitempty"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
}

// SpanProblem answers what is wrong with a lesson's times, by field, or "" when nothing is: it
// ends after it starts, at most MaxLessonLength later.
func (l Lesson) SpanProblem() (field, detail string) {
	switch {
	case !l.End.After(l.Start):
		return "end", "is not after start"
	case l.End.Sub(l.Start) > MaxLessonLength:
		return "end", fmt.Sprintf("is more than %d hours after start", MaxLessonLength/time.Hour)
	}
	return "", ""
}

// Minutes is the lesson's length in whole minutes: what its registrations record.
func (l Lesson) Minutes() int { return int(l.End.Sub(l.Start).Minutes()) }

// Registration is one pupil's attendance at a lesson.
type Registration struct {
	Person      string `json:"person"`
	Status      Status `json:"status"`                // present, absent or late
	MinutesLate int    `json:"minutesLate,omitempty"` // for late
}

// Minutes are attendance as SS 12000 keeps it: the minutes attended, and those absent with a
// valid reason (a guardian's report, granted leave, a mentor's classification) or without.
// Together they are the minutes scheduled.
type Minutes struct {
	AttendedMinutes       int `json:"attendedMinutes" db:"attended_minutes"`
	ValidAbsenceMinutes   int `json:"validAbsenceMinutes" db:"valid_absence_minutes"`
	InvalidAbsenceMinutes int `json:"invalidAbsenceMinutes" db:"invalid_absence_minutes"`
}

// Row is a pupil's recorded attendance at a lesson.
type Row struct {
	Person string `json:"person" db:"person"`
	Status Status `json:"status" db:"status"`
	Minutes
	Reported   bool `json:"reported" db:"reported"`     // a guardian reported the absence: it is valid
	Registered bool `json:"registered" db:"registered"` // false: filled in from a report, not yet taken
	// AbsenceType is the SS 12000 type of a filled-in absence: 'Anmäld frånvaro' (a guardian's
	// report) or 'Beviljad ledighet' (granted leave); empty for a registration.
	AbsenceType string `json:"absenceType,omitempty" db:"absence_type"`
	// Cause is what the guardian said of a filled-in report: "sick", "other", or "" for not said.
	Cause string `json:"cause,omitempty" db:"cause"`
}

// Problem answers what is wrong with a registration at a lesson of length minutes, by the
// field of the registration, or "" when nothing is: the status is one of the three, and minutes
// late are given for late alone, fewer than the lesson's.
func (r Registration) Problem(length int) (field, detail string) {
	switch r.Status {
	case Present, Absent:
		if r.MinutesLate != 0 {
			return "minutesLate", "is only for status late"
		}
	case Late:
		if r.MinutesLate < 1 || r.MinutesLate >= length {
			return "minutesLate", fmt.Sprintf("must be from 1 to %d for this lesson", length-1)
		}
	default:
		return "status", "must be present, absent or late"
	}
	return "", ""
}

// Row answers the minutes a registration records at a lesson of length minutes: present attends
// them all; absent misses them all, without a known reason until Settle finds one; late misses
// the minutes late.
func (r Registration) Row(length int) Row {
	row := Row{Person: r.Person, Status: r.Status, Registered: true}
	switch r.Status {
	case Present:
		row.AttendedMinutes = length
	case Absent:
		row.InvalidAbsenceMinutes = length
	case Late:
		row.AttendedMinutes, row.InvalidAbsenceMinutes = length-r.MinutesLate, r.MinutesLate
	}
	return row
}

// Pupil is what the register says of a pupil being registered at a lesson.
type Pupil struct {
	Member    bool `db:"member"`     // in the lesson's group on the day of the lesson
	Reported  bool `db:"reported"`   // a guardian's report or granted leave covers the lesson
	WasAbsent bool `db:"was_absent"` // registered absent before: now present or late is a correction
}

// Settle makes the absence a guardian has reported valid absence, and no one is told of it
// again; rows and pupils are in the same order, of a lesson of length minutes.
func Settle(rows []Row, pupils []Pupil, length int) {
	for i, r := range rows {
		if r.Status == Absent && pupils[i].Reported {
			rows[i].ValidAbsenceMinutes, rows[i].InvalidAbsenceMinutes, rows[i].Reported = length, 0, true
		}
	}
}

// Tell answers what the pupils' absence days must hear of a settled registration: each pupil
// absent without a known reason missed the lesson, and each registered absent before but not
// now attended it after all (a correction). A lesson registered again is counted once there.
func Tell(rows []Row, pupils []Pupil) (persons, kinds []string) {
	for i, r := range rows {
		switch {
		case r.Status == Absent && !r.Reported:
			persons, kinds = append(persons, r.Person), append(kinds, outbox.Missed)
		case r.Status != Absent && pupils[i].WasAbsent:
			persons, kinds = append(persons, r.Person), append(kinds, outbox.Attended)
		}
	}
	return persons, kinds
}

// Day is the school day of t, as YYYY-MM-DD: a lesson's is that of its start.
func Day(t time.Time) string { return t.In(register.SchoolDay).Format(time.DateOnly) }

// Correctable reports whether a registration of a lesson that starts at start can be corrected
// at now: only on the day of the lesson.
func Correctable(start, now time.Time) bool { return Day(now) == Day(start) }

// Open reports whether the register of a lesson that starts at start can be taken at now: once
// the lesson has started, and, once taken, corrected only on the lesson's day (Correctable).
func Open(start time.Time, registered bool, now time.Time) bool {
	return !now.Before(start) && (!registered || Correctable(start, now))
}

// Sum is a pupil's attendance over a period, in minutes: the figure a term grade shows.
type Sum struct {
	From             string `json:"from" db:"-"`
	To               string `json:"to" db:"-"`
	ScheduledMinutes int    `json:"scheduledMinutes" db:"scheduled_minutes"`
	Minutes
}

// Per is how a period's attendance is summed: Whole, or one sum per Week or Month.
type Per = string

// The ways to sum.
const (
	Whole Per = ""      // one sum for the whole period
	Week  Per = "week"  // one sum per calendar week, Monday to Sunday
	Month Per = "month" // one sum per calendar month
)

// MaxSplitDays bounds a period summed per week or month, in days.
const MaxSplitDays = 400

// PeriodStart is the Monday of d's week, or the first of d's month.
func PeriodStart(d time.Time, per Per) time.Time {
	if per == Month {
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, d.Location())
	}
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// NextPeriod is the start of the week or month after the one starting at p.
func NextPeriod(p time.Time, per Per) time.Time {
	if per == Month {
		return p.AddDate(0, 1, 0)
	}
	return p.AddDate(0, 0, 7)
}

// Split answers one sum for each week or month the period from `from` to `to` (inclusive dates)
// touches, clipped to it, in order: sums holds the sums by the first day of their week or month
// (YYYY-MM-DD), and a period without one sums to nothing.
func Split(from, to time.Time, per Per, sums map[string]Sum) []Sum {
	out := []Sum{}
	for p := PeriodStart(from, per); !p.After(to); p = NextPeriod(p, per) {
		sum := sums[p.Format(time.DateOnly)]
		sum.From = latest(p, from).Format(time.DateOnly)
		sum.To = earliest(NextPeriod(p, per).AddDate(0, 0, -1), to).Format(time.DateOnly)
		out = append(out, sum)
	}
	return out
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
