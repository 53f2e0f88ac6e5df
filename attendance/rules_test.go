package attendance_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/internal/outbox"
	"github.com/skolflow/skolflow/register"
)

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, s, register.SchoolDay)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func minutes(attended, valid, invalid int) attendance.Minutes {
	return attendance.Minutes{AttendedMinutes: attended, ValidAbsenceMinutes: valid, InvalidAbsenceMinutes: invalid}
}

// A lesson ends after it starts, and lasts a school day at most.
func TestALessonEndsAfterItStartsWithinASchoolDay(t *testing.T) {
	start := time.Date(2026, 11, 30, 8, 15, 0, 0, register.SchoolDay)
	for _, c := range []struct {
		name   string
		length time.Duration
		field  string
	}{
		{"forty minutes", 40 * time.Minute, ""},
		{"a whole school day", attendance.MaxLessonLength, ""},
		{"longer than a school day", attendance.MaxLessonLength + time.Minute, "end"},
		{"no time at all", 0, "end"},
		{"ends before it starts", -time.Minute, "end"},
	} {
		l := attendance.Lesson{Start: start, End: start.Add(c.length)}
		if field, detail := l.SpanProblem(); field != c.field {
			t.Errorf("%s: SpanProblem() = %q %q, want field %q", c.name, field, detail, c.field)
		}
	}
	if got := (attendance.Lesson{Start: start, End: start.Add(40*time.Minute + 30*time.Second)}).Minutes(); got != 40 {
		t.Errorf("Minutes() = %d, want the 40 whole minutes", got)
	}
}

// A registration's minutes add up to the lesson's: attended, and absence, invalid until a
// guardian's report makes it valid.
func TestARegistrationRecordsTheLessonsMinutes(t *testing.T) {
	const length = 40
	for _, c := range []struct {
		name  string
		reg   attendance.Registration
		field string
		row   attendance.Row
	}{
		{"present", attendance.Registration{Status: attendance.Present}, "",
			attendance.Row{Status: attendance.Present, Minutes: minutes(40, 0, 0)}},
		{"absent", attendance.Registration{Status: attendance.Absent}, "",
			attendance.Row{Status: attendance.Absent, Minutes: minutes(0, 0, 40)}},
		{"late", attendance.Registration{Status: attendance.Late, MinutesLate: 5}, "",
			attendance.Row{Status: attendance.Late, Minutes: minutes(35, 0, 5)}},
		{"late by all but a minute", attendance.Registration{Status: attendance.Late, MinutesLate: 39}, "",
			attendance.Row{Status: attendance.Late, Minutes: minutes(1, 0, 39)}},
		{"late by the whole lesson", attendance.Registration{Status: attendance.Late, MinutesLate: 40}, "minutesLate", attendance.Row{}},
		{"late by no minutes", attendance.Registration{Status: attendance.Late}, "minutesLate", attendance.Row{}},
		{"present but late", attendance.Registration{Status: attendance.Present, MinutesLate: 5}, "minutesLate", attendance.Row{}},
		{"absent but late", attendance.Registration{Status: attendance.Absent, MinutesLate: 5}, "minutesLate", attendance.Row{}},
		{"no status", attendance.Registration{}, "status", attendance.Row{}},
		{"another status", attendance.Registration{Status: "sick"}, "status", attendance.Row{}},
	} {
		field, detail := c.reg.Problem(length)
		if field != c.field {
			t.Errorf("%s: Problem(%d) = %q %q, want field %q", c.name, length, field, detail, c.field)
		}
		if field != "" {
			continue
		}
		c.row.Registered = true
		if got := c.reg.Row(length); got != c.row {
			t.Errorf("%s: Row(%d) = %+v, want %+v", c.name, length, got, c.row)
		}
		if got := c.row.AttendedMinutes + c.row.ValidAbsenceMinutes + c.row.InvalidAbsenceMinutes; got != length {
			t.Errorf("%s: the minutes add up to %d, want %d", c.name, got, length)
		}
	}
}

// A reported absence is valid and no one is told of it again; an absence without a known
// reason is told as missed, and a pupil registered absent before but not now as attended.
func TestWhatTheAbsenceDaysHear(t *testing.T) {
	const length = 40
	regs := []attendance.Registration{
		{Person: "absent", Status: attendance.Absent},
		{Person: "reported", Status: attendance.Absent},
		{Person: "corrected", Status: attendance.Late, MinutesLate: 5},
		{Person: "still absent", Status: attendance.Absent},
		{Person: "present", Status: attendance.Present},
		{Person: "reported but here", Status: attendance.Present},
	}
	pupils := []attendance.Pupil{
		{Member: true},
		{Member: true, Reported: true},
		{Member: true, WasAbsent: true},
		{Member: true, WasAbsent: true},
		{Member: true},
		{Member: true, Reported: true},
	}
	rows := make([]attendance.Row, len(regs))
	for i, r := range regs {
		rows[i] = r.Row(length)
	}
	attendance.Settle(rows, pupils, length)
	if r := rows[1]; !r.Reported || r.ValidAbsenceMinutes != length || r.InvalidAbsenceMinutes != 0 {
		t.Errorf("a reported absence: %+v, want %d minutes valid", r, length)
	}
	for _, i := range []int{0, 2, 3, 4, 5} {
		if rows[i].Reported || rows[i].ValidAbsenceMinutes != 0 {
			t.Errorf("%s: %+v, want no valid absence", rows[i].Person, rows[i])
		}
	}
	persons, kinds := attendance.Tell(rows, pupils)
	wantPersons := []string{"absent", "corrected", "still absent"}
	wantKinds := []string{outbox.Missed, outbox.Attended, outbox.Missed}
	if !reflect.DeepEqual(persons, wantPersons) || !reflect.DeepEqual(kinds, wantKinds) {
		t.Errorf("Tell = %v %v, want %v %v", persons, kinds, wantPersons, wantKinds)
	}
}

// A registration is corrected on the day of the lesson, in the schools' time zone.
func TestARegistrationIsCorrectedOnTheDayOfTheLesson(t *testing.T) {
	// 2026-10-25 the clocks go back in Stockholm: the day has 25 hours.
	start := time.Date(2026, 10, 25, 8, 0, 0, 0, register.SchoolDay)
	for _, c := range []struct {
		name string
		now  time.Time
		want bool
	}{
		{"during the lesson", start.Add(10 * time.Minute), true},
		{"late in the evening", time.Date(2026, 10, 25, 23, 59, 0, 0, register.SchoolDay), true},
		{"late in the evening, in UTC", time.Date(2026, 10, 25, 22, 30, 0, 0, time.UTC), true},
		{"the next morning", time.Date(2026, 10, 26, 0, 0, 0, 0, register.SchoolDay), false},
		{"the next morning, in UTC", time.Date(2026, 10, 25, 23, 30, 0, 0, time.UTC), false},
	} {
		if got := attendance.Correctable(start, c.now); got != c.want {
			t.Errorf("%s: Correctable = %v, want %v", c.name, got, c.want)
		}
	}
}

// A register is taken once the lesson has started, and corrected on its day only.
func TestARegisterIsOpenFromTheLessonsStartToTheEndOfItsDay(t *testing.T) {
	start := time.Date(2026, 11, 30, 8, 0, 0, 0, register.SchoolDay)
	for _, c := range []struct {
		name       string
		registered bool
		now        time.Time
		want       bool
	}{
		{"before the lesson", false, start.Add(-time.Minute), false},
		{"as it starts", false, start, true},
		{"taken, later that day", true, start.Add(10 * time.Hour), true},
		{"not taken, the next day", false, start.AddDate(0, 0, 1), true},
		{"taken, the next day", true, start.AddDate(0, 0, 1), false},
	} {
		if got := attendance.Open(start, c.registered, c.now); got != c.want {
			t.Errorf("%s: Open = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestPeriodsStartOnMondayOrTheFirst(t *testing.T) {
	for _, c := range []struct {
		d         string
		per       attendance.Per
		start     string
		nextStart string
	}{
		{"2026-12-09", attendance.Week, "2026-12-07", "2026-12-14"},  // a Wednesday
		{"2026-12-07", attendance.Week, "2026-12-07", "2026-12-14"},  // a Monday
		{"2026-12-13", attendance.Week, "2026-12-07", "2026-12-14"},  // a Sunday
		{"2026-12-31", attendance.Week, "2026-12-28", "2027-01-04"},  // across the new year
		{"2026-03-31", attendance.Week, "2026-03-30", "2026-04-06"},  // the week the clocks go forward
		{"2026-12-09", attendance.Month, "2026-12-01", "2027-01-01"}, // December
		{"2026-02-28", attendance.Month, "2026-02-01", "2026-03-01"}, // February
	} {
		start := attendance.PeriodStart(day(t, c.d), c.per)
		next := attendance.NextPeriod(start, c.per)
		if start.Format(time.DateOnly) != c.start || next.Format(time.DateOnly) != c.nextStart {
			t.Errorf("%s per %s: %s to %s, want %s to %s", c.d, c.per, start.Format(time.DateOnly),
				next.Format(time.DateOnly), c.start, c.nextStart)
		}
	}
}

// The sums per week or month cover the period, each clipped to it, and a period without lessons
// sums to nothing.
func TestSumsPerPeriodAreClippedToThePeriod(t *testing.T) {
	sums := map[string]attendance.Sum{
		"2026-09-14": {ScheduledMinutes: 200, Minutes: minutes(160, 0, 40)},
		"2026-09-28": {ScheduledMinutes: 80, Minutes: minutes(0, 80, 0)},
	}
	got := attendance.Split(day(t, "2026-09-16"), day(t, "2026-10-01"), attendance.Week, sums)
	want := []attendance.Sum{
		{From: "2026-09-16", To: "2026-09-20", ScheduledMinutes: 200, Minutes: minutes(160, 0, 40)},
		{From: "2026-09-21", To: "2026-09-27"},
		{From: "2026-09-28", To: "2026-10-01", ScheduledMinutes: 80, Minutes: minutes(0, 80, 0)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("per week:\n got %+v\nwant %+v", got, want)
	}

	got = attendance.Split(day(t, "2026-09-15"), day(t, "2026-10-31"), attendance.Month,
		map[string]attendance.Sum{"2026-10-01": {ScheduledMinutes: 40}})
	want = []attendance.Sum{
		{From: "2026-09-15", To: "2026-09-30"},
		{From: "2026-10-01", To: "2026-10-31", ScheduledMinutes: 40},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("per month:\n got %+v\nwant %+v", got, want)
	}

	got = attendance.Split(day(t, "2026-12-09"), day(t, "2026-12-09"), attendance.Week, nil)
	if len(got) != 1 || got[0].From != "2026-12-09" || got[0].To != "2026-12-09" {
		t.Errorf("one day: %+v, want one empty sum of that day", got)
	}
}
