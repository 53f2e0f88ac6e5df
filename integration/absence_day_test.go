package integration

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/register"
)

// No guardian can be reached: the email server does not answer, and the guardian chose email
// only. At the cut-off (here the notice window after the notice) the mentor gets a task to
// reach them another way; the mentor does, and the day closes with the task done.
func TestNobodyReachedGivesTheMentorATask(t *testing.T) {
	s := newStack(t, func(c *stackConfig) {
		c.smtpAddr = freeAddr(t)
		c.timings = func(tm *durations) { tm.DeliveryDeadline = 4 * time.Second }
	})
	c, _ := absentFromALesson(t, s, "lo")
	pupil := c.ids["lo"]
	task := taskFor(t, s, "larare-a1", "absence.reach-guardians", pupil)
	if d := deliveryOf(t, s, c.ids["lo-1"], "email"); d.state == "sent" {
		t.Fatalf("the guardian's email is %+v, yet the mentor was asked to reach them", d)
	}
	completeTask(t, s, "larare-a1", task, map[string]any{"outcome": "reached"})

	day := absence.AbsenceDayID(pupil, time.Now().In(register.SchoolDay).Format(time.DateOnly))
	var state absence.AbsenceDayState
	closed(t, s, day, s.timings.AbsenceDayLength+30*time.Second, &state)
	if state.ReachTask != task.ID || len(state.Notices) != 1 {
		t.Fatalf("the day closed with %+v, want one notice and the mentor's task %s", state, task.ID)
	}
	if d := deliveryOf(t, s, c.ids["lo-1"], "email"); d.state != "failed" {
		t.Errorf("the guardian's email is %+v, want failed once its deadline passed", d)
	}
	recordHistory(t, s, day, "", "absence/testdata/absence_day_reach_task.json")
}

// A day that closed opens again for an absence registered after it (a teacher taking
// yesterday's register this morning), and its notice goes on from the earlier one's: a
// follow-up, numbered after it.
func TestAClosedDayOpensAgain(t *testing.T) {
	s := newStack(t, func(c *stackConfig) { c.timings = func(tm *durations) { tm.AbsenceDayLength = 4 * time.Second } })
	c := newClass(t, s, map[string][]string{"mio": {"mio-1"}})
	pupil, date := c.ids["mio"], randomPastDay()
	day := date.Format(time.DateOnly)
	morning, afternoon := uuid.NewString(), uuid.NewString()
	doc := attendance.LessonImport{Lessons: []attendance.Lesson{
		{ID: morning, Group: c.group, Teacher: s.id("larare-a1"), Start: clock(date, 8, 0), End: clock(date, 8, 40)},
		{ID: afternoon, Group: c.group, Teacher: s.id("larare-a1"), Start: clock(date, 13, 0), End: clock(date, 13, 40)},
	}}
	if r := s.as("admin-a").do("POST", "/api/v1/schools/"+demo.OrgID("a")+"/lessons", doc, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("the timetable: %d", r.StatusCode)
	}
	report := func(lesson string) {
		t.Helper()
		if r := s.as("larare-a1").do("POST", "/api/v1/persons/"+pupil+"/absences", absence.AbsenceReport{Day: day, LessonID: lesson}, nil); r.StatusCode != http.StatusAccepted {
			t.Fatalf("reporting the absence: %d", r.StatusCode)
		}
	}
	id := absence.AbsenceDayID(pupil, day)
	report(morning)
	closed(t, s, id, 30*time.Second, nil)
	report(afternoon)
	var state absence.AbsenceDayState
	closed(t, s, id, 30*time.Second, &state)
	if len(state.Notices) != 1 || state.Notices[0].Sequence != 2 || !slices.Equal(state.Notices[0].LessonIDs, []string{afternoon}) {
		t.Fatalf("the reopened day told %+v, want notice 2 listing the afternoon's lesson", state.Notices)
	}
	view := get[absence.AbsenceDayView](s.as(c.user("mio-1")), "/api/v1/persons/"+pupil+"/absence-days/"+day)
	if view.Open || len(view.Notices) != 2 || view.Notices[0].Sequence != 1 || view.Notices[1].Sequence != 2 {
		t.Fatalf("the guardian sees %+v, want the day closed with notices 1 and 2", view)
	}
	var subjects []string
	for _, m := range mailTo(s, c.user("mio-1")) {
		subjects = append(subjects, m.Subject)
	}
	if len(subjects) != 2 || !strings.HasPrefix(subjects[0], "Frånvaro idag") || !strings.HasPrefix(subjects[1], "Mer frånvaro idag") {
		t.Fatalf("the guardian got %q, want a notice, then a follow-up", subjects)
	}
	recordHistory(t, s, id, "", "absence/testdata/absence_day_reopened.json")
}

// An absence day whose notice reached the guardian at the first attempt costs the Temporal
// server three workflow tasks (its start, the end of the notice window, its close) and no
// activity: the notice's rows and its email go in local activities inside the second task. Of
// its three timers, the notice window and the day's close fire; the reach check's is cancelled
// in the task that started it, once the email went. Before the version "costs-less"
// (workflows/await.go), the same day cost four workflow tasks, four timers that all fired and an
// activity per channel: absence/testdata/absence_day_reopened.json was recorded then.
func TestAnAbsenceDayToldAtOnceCostsTheServerLittle(t *testing.T) {
	s := newStack(t, func(c *stackConfig) { c.timings = func(tm *durations) { tm.AbsenceDayLength = 4 * time.Second } })
	c, _ := absentFromALesson(t, s, "ada")
	day := absence.AbsenceDayID(c.ids["ada"], time.Now().In(register.SchoolDay).Format(time.DateOnly))
	eventually(t, 30*time.Second, "the outbox to empty", func() bool { return s.count(`SELECT count(*) FROM absence_outbox`) == 0 })
	var state absence.AbsenceDayState
	closed(t, s, day, 30*time.Second, &state)
	if len(state.Notices) != 1 || len(state.Reports) != 1 || len(state.Reports[0].Delivered) != 2 || state.ReachTask != "" {
		t.Fatalf("the day closed with %+v, want one notice delivered by email and in the app", state)
	}
	// The day's local activities: its earlier notices, the notice, the guardians, the
	// notification, its email.
	want := serverCost{WorkflowTasks: 3, Timers: 3, TimersFired: 2, Activities: 0, LocalActivities: 5}
	if got := costOf(t, s, day); got != want {
		t.Fatalf("the day cost the server %+v, want %+v", got, want)
	}
}
