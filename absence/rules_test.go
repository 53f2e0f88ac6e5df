package absence_test

import (
	"testing"
	"time"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/register"
)

// Repeated invalid absence, or absence of a share of the registered time, calls for an
// investigation; the share is rounded down, and a month with nothing registered has none.
func TestThresholds(t *testing.T) {
	th := absence.Thresholds{SharePercent: 10, Repeats: 3}
	for _, c := range []struct {
		name string
		m    absence.MonthOfAbsence
		want bool
	}{
		{"invalid absence on as many days as repeats", absence.MonthOfAbsence{InvalidDays: 3, AbsentMinutes: 120, RegisteredMinutes: 10000}, true},
		{"on fewer days, and a small share", absence.MonthOfAbsence{InvalidDays: 2, AbsentMinutes: 120, RegisteredMinutes: 10000}, false},
		{"the share reached exactly", absence.MonthOfAbsence{AbsentMinutes: 100, RegisteredMinutes: 1000}, true},
		{"just under the share: rounded down", absence.MonthOfAbsence{AbsentMinutes: 99, RegisteredMinutes: 999}, false},
		{"nothing registered", absence.MonthOfAbsence{}, false},
	} {
		if got := th.Reached(c.m); got != c.want {
			t.Errorf("%s: Reached = %v, want %v", c.name, got, c.want)
		}
	}
	if p, ok := (absence.MonthOfAbsence{AbsentMinutes: 199, RegisteredMinutes: 1000}).AbsentPercent(); p != 19 || !ok {
		t.Errorf("AbsentPercent = %d, %v; want 19, true", p, ok)
	}
	// A share of nothing is no share, even with a threshold of zero.
	if (absence.Thresholds{SharePercent: 0, Repeats: 1}).Reached(absence.MonthOfAbsence{}) {
		t.Error("a month with nothing registered reached a share")
	}
}

// The month of a moment is the schools' calendar month: the last evening of a month in UTC is
// already the next month in Stockholm.
func TestCalendarMonth(t *testing.T) {
	start, month := absence.CalendarMonth(time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC))
	if month != "2026-11" || !start.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, register.SchoolDay)) {
		t.Fatalf("CalendarMonth = %v %s, want 2026-11 from its midnight in Stockholm", start, month)
	}
}

// A whole day ends at the next midnight, whatever the day's length: 25 hours the day the clocks
// go back.
func TestReportedPeriod(t *testing.T) {
	start, end := absence.ReportedPeriod("2026-10-25", "", "2026-10-25", "")
	if end.Sub(start) != 25*time.Hour || start.In(register.SchoolDay).Hour() != 0 {
		t.Fatalf("the day the clocks go back runs %v from %v", end.Sub(start), start)
	}
	start, end = absence.ReportedPeriod("2026-11-30", "08:15", "2026-12-01", "12:00")
	if want := time.Date(2026, 11, 30, 8, 15, 0, 0, register.SchoolDay); !start.Equal(want) {
		t.Errorf("start %v, want %v", start, want)
	}
	if want := time.Date(2026, 12, 1, 12, 0, 0, 0, register.SchoolDay); !end.Equal(want) {
		t.Errorf("end %v, want %v", end, want)
	}
}

// A report or a reply sent again has the id it had: ids already on record keep matching, so the
// namespaces never change.
func TestReportAndReplyIDsAreStable(t *testing.T) {
	start, end := absence.ReportedPeriod("2026-11-30", "", "2026-11-30", "")
	const pupil = "6f1d3c7a-0b5e-4c1e-9a53-2d4b8f0e7a10"
	if id := absence.ReportID(pupil, start, end); id != "ed9e93b2-79b5-5961-94f6-3f1daa0533f1" {
		t.Errorf("ReportID = %s", id)
	}
	if absence.ReportID(pupil, start, end) == absence.ReportID(pupil, start, end.Add(time.Minute)) {
		t.Error("two periods have one report id")
	}
	if id := absence.ReplyID(absence.AbsenceDayID(pupil, "2026-11-30"), "guardian", "Sjuk"); id != "f5d4c161-2496-5667-80bc-bca15ab063ce" {
		t.Errorf("ReplyID = %s", id)
	}
}

// The register must agree with a teacher's report that a pupil missed a lesson.
func TestMissedLessonProblem(t *testing.T) {
	present, absent := "present", "absent"
	ok := absence.MissedLesson{Day: "2026-11-30", Member: true, Started: true}
	for _, c := range []struct {
		name         string
		lesson       absence.MissedLesson
		found        bool
		field, cause string
	}{
		{"a lesson not registered yet", ok, true, "", ""},
		{"registered absent", with(ok, func(l *absence.MissedLesson) { l.Status = &absent }), true, "", ""},
		{"no such lesson", absence.MissedLesson{}, false, "lessonId", "is not a lesson of the pupil's groups"},
		{"another group's lesson", with(ok, func(l *absence.MissedLesson) { l.Member = false }), true, "lessonId", "is not a lesson of the pupil's groups"},
		{"another day's", with(ok, func(l *absence.MissedLesson) { l.Day = "2026-12-01" }), true, "day", "is not the lesson's day (2026-12-01)"},
		{"not begun", with(ok, func(l *absence.MissedLesson) { l.Started = false }), true, "lessonId",
			"has not started: a pupil is reported absent from a lesson once it has begun"},
		{"registered present", with(ok, func(l *absence.MissedLesson) { l.Status = &present }), true, "lessonId",
			"is registered with the pupil present; correct the register instead"},
	} {
		field, cause := absence.MissedLessonProblem(c.lesson, c.found, "2026-11-30")
		if field != c.field || cause != c.cause {
			t.Errorf("%s: %q %q, want %q %q", c.name, field, cause, c.field, c.cause)
		}
	}
}

func with(l absence.MissedLesson, change func(*absence.MissedLesson)) absence.MissedLesson {
	change(&l)
	return l
}

// The guardians hear of the day's first notice, a follow-up, or a correction; the record keeps
// a correction apart from a notice.
func TestNoticePurposeAndKind(t *testing.T) {
	if p := absence.NoticePurpose(false, 1); p != "absence.notice" {
		t.Errorf("first notice: %s", p)
	}
	if p := absence.NoticePurpose(false, 2); p != "absence.follow-up" {
		t.Errorf("second notice: %s", p)
	}
	if p := absence.NoticePurpose(true, 3); p != "absence.correction" {
		t.Errorf("correction: %s", p)
	}
	if absence.NoticeKind(true) != absence.KindCorrection || absence.NoticeKind(false) != absence.KindNotice {
		t.Error("the kinds of notice")
	}
}
