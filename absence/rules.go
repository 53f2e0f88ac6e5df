// Package absence is the area of absence (frånvaro): a pupil absent without a reason the school
// knows of is the guardians' to hear of the same day (skollagen 7 kap. 17 §), through the
// pupil's absence day; a guardian reports a child absent (sjukanmälan) or answers a notice with
// a reason, which the mentor classifies; and the daily review opens an investigation of
// absence that repeats or is substantial (skollagen 7 kap. 19 a §).
//
// The folder holds the whole area: its rules (this file), its SQL (store.go), its processes
// (day.go with its client, reach and reply; reported.go; review.go; investigation.go), their
// activities (activities.go), its HTTP handlers (http.go), the Module that plugs it into the
// platform (module.go) with the review's schedule (schedule.go), its tables (migrations/), its
// routes' policy rows (policy.csv), its messages (templates/), and their tests and recorded
// histories.
package absence

import (
	"time"

	"github.com/google/uuid"

	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/register"
)

// The kinds of a notice to the guardians, as the record keeps them.
const (
	KindNotice     = "notice"     // lessons missed: the day's first notice or a follow-up
	KindCorrection = "correction" // lessons a notice listed were attended after all
)

// NoticeKind is the kind of a notice.
func NoticeKind(correction bool) string {
	if correction {
		return KindCorrection
	}
	return KindNotice
}

// NoticePurpose is the message a notice is sent as (templates/): the day's first notice,
// a follow-up of lessons missed later, or a correction.
func NoticePurpose(correction bool, sequence int) string {
	switch {
	case correction:
		return "absence.correction"
	case sequence > 1:
		return "absence.follow-up"
	}
	return "absence.notice"
}

// The SS 12000 duty roles the absence processes give their tasks to: the principal (rektor);
// the pupil's mentor, as a teacher; and the organiser's officers, who get an investigation's
// step the principal did not do in time.
const (
	PrincipalRole = "Rektor"
	TeacherRole   = "Lärare"
	OrganiserRole = "Övrig arbetsledning"
)

// MissedLesson is what the register says of a lesson a teacher reports a pupil absent from.
type MissedLesson struct {
	Day     string  // the lesson's day in the schools' time zone, YYYY-MM-DD
	Member  bool    // the pupil is in the lesson's group on that day
	Started bool    // the lesson has begun
	Status  *string // the pupil's registered attendance of the lesson (attendance.Status); nil when not registered
}

// MissedLessonProblem answers what is wrong with a teacher's report that the pupil missed a
// lesson on day, as the field and what to say of it, or "" when the report matches the
// register: a lesson of a group the pupil is in (a lesson not found and one of another group get
// the same answer), on its day, begun, and not registered with the pupil present or late.
func MissedLessonProblem(l MissedLesson, found bool, day string) (field, detail string) {
	switch {
	case !found || !l.Member:
		return "lessonId", "is not a lesson of the pupil's groups"
	case l.Day != day:
		return "day", "is not the lesson's day (" + l.Day + ")"
	case !l.Started:
		return "lessonId", "has not started: a pupil is reported absent from a lesson once it has begun"
	case l.Status != nil && *l.Status != attendance.Absent:
		return "lessonId", "is registered with the pupil " + *l.Status + "; correct the register instead"
	}
	return "", ""
}

// MaxReportedDays bounds a guardian's report: longer absence is leave, applied for separately.
const MaxReportedDays = 31

// ReportedPeriod is the time a guardian's report covers, in the schools' time zone: from
// fromClock (HH:MM) on the day from, or its midnight, to toClock on the day to, or the end of
// that day. The dates and clocks are well formed.
func ReportedPeriod(from, fromClock, to, toClock string) (start, end time.Time) {
	return at(from, fromClock, "00:00"), at(to, toClock, "24:00")
}

// at is the moment of date at the clock time (or def) in the schools' time zone; 24:00 is the
// next day's midnight, whatever the length of the day.
func at(date, clock, def string) time.Time {
	if clock == "" {
		clock = def
	}
	d, _ := time.ParseInLocation(time.DateOnly, date, register.SchoolDay)
	if clock == "24:00" {
		return d.AddDate(0, 0, 1)
	}
	t, _ := time.Parse("15:04", clock)
	return time.Date(d.Year(), d.Month(), d.Day(), t.Hour(), t.Minute(), 0, 0, register.SchoolDay)
}

// reportNamespace derives a report's id from what it says, so sending it twice is one report.
var reportNamespace = uuid.MustParse("c4e8a2f1-7b3d-4a59-8e21-6f0d9b3c5a77")

// ReportID is the id of a guardian's report of the pupil's absence over a period: the same
// report sent again has the same id, and is one report.
func ReportID(pupil string, start, end time.Time) string {
	return uuid.NewSHA1(reportNamespace, []byte(pupil+"|"+start.Format(time.RFC3339)+"|"+end.Format(time.RFC3339))).String()
}

// replyNamespace derives a reply's id from the process, the guardian and the reason.
var replyNamespace = uuid.MustParse("9b1d4e27-3c85-4f0a-b6e2-71a8d05c4f93")

// ReplyID is the id of a guardian's reply to an absence day's notice: sending the same reply
// again is the same reply, which the process takes once.
func ReplyID(process, guardian, reason string) string {
	return uuid.NewSHA1(replyNamespace, []byte(process+"\x00"+guardian+"\x00"+reason)).String()
}

// Thresholds are what makes a pupil's absence in a calendar month call for an investigation
// (skollagen 7 kap. 19 a §): invalid absence on Repeats days or more ("upprepad"), or absence,
// valid and invalid together, of SharePercent of the registered time or more ("betydande").
type Thresholds struct {
	SharePercent int
	Repeats      int
}

// MonthOfAbsence is a pupil's registered attendance in a calendar month, summed.
type MonthOfAbsence struct {
	InvalidDays       int   // days with invalid absence
	AbsentMinutes     int64 // valid and invalid absence
	RegisteredMinutes int64 // attended and absent: the lessons' length, for the lessons registered
}

// AbsentPercent is the absence as a whole percentage of the registered time, rounded down; ok is
// false when no time is registered, and then there is no share to speak of.
func (m MonthOfAbsence) AbsentPercent() (percent int, ok bool) {
	if m.RegisteredMinutes == 0 {
		return 0, false
	}
	return int(100 * m.AbsentMinutes / m.RegisteredMinutes), true
}

// Reached reports whether the month calls for an investigation.
func (t Thresholds) Reached(m MonthOfAbsence) bool {
	percent, ok := m.AbsentPercent()
	return m.InvalidDays >= t.Repeats || ok && percent >= t.SharePercent
}

// CompulsorySchoolTypes are the SS 12000 school types of the compulsory school (skolplikt),
// whose pupils' absence is investigated: förskoleklass, grundskola, anpassad grundskola,
// specialskola and sameskola.
var CompulsorySchoolTypes = []string{"FKLASS", "GR", "GRS", "SP", "SAM"}

// CalendarMonth is the calendar month of t in the schools' time zone: its first moment, and its
// name as YYYY-MM, the month an investigation is of.
func CalendarMonth(t time.Time) (start time.Time, month string) {
	local := t.In(register.SchoolDay)
	return time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, register.SchoolDay), local.Format("2006-01")
}

// The steps of an investigation, in order, as the record keeps them; a record never goes back a
// step.
const (
	InvestigationOpen   = "open"
	Investigated        = "investigated" // the principal has concluded
	InvestigationClosed = "closed"       // reported to the home municipality
)

// InvestigationSteps are the steps in order.
var InvestigationSteps = []string{InvestigationOpen, Investigated, InvestigationClosed}
