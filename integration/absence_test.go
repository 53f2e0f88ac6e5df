package integration

import (
	"context"
	"errors"
	"flag"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/serviceerror"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/register"
)

var recordHistories = flag.Bool("record-histories", false, "write the histories of this run to workflows/testdata and the areas' testdata for the replay tests")

// A teacher reports a pupil absent from two lessons (one of them twice): after the window the
// API call has started a process on the real Temporal server, the activity has written one
// notice listing both lessons to PostgreSQL, and the absence day shows it.
func TestAbsenceReportWritesOneNoticeThroughTheRealStack(t *testing.T) {
	s := newStack(t).as("larare-a1") // teaches and mentors 7A
	student, day := s.id("elev-1"), randomDay()
	lesson1, lesson2 := lessonOn(t, s, day, 8), lessonOn(t, s, day, 9)
	days := "/api/v1/persons/" + student + "/absence-days/" + day

	for _, lesson := range []string{lesson1, lesson2, lesson1} {
		var accepted struct{ ProcessID, StatusURL string }
		res := s.do("POST", "/api/v1/persons/"+student+"/absences", absence.AbsenceReport{Day: day, LessonID: lesson}, &accepted)
		if res.StatusCode != http.StatusAccepted {
			t.Fatalf("POST /api/v1/absences = %d, want 202", res.StatusCode)
		}
		if accepted.ProcessID != absence.AbsenceDayID(student, day) || accepted.StatusURL != days {
			t.Fatalf("accepted = %+v, want the business key and %s", accepted, days)
		}
	}

	// Before the window has passed, the lessons are pending and nothing is stored.
	var view absence.AbsenceDayView
	if res := s.do("GET", days, nil, &view); res.StatusCode != http.StatusOK {
		t.Fatalf("GET absence day = %d", res.StatusCode)
	}
	if !view.Open || len(view.Notices) != 0 {
		t.Fatalf("right after the report: %+v, want open with no notice yet", view)
	}

	var lessons []string
	eventually(t, 15*time.Second, "the notice row", func() bool {
		err := s.db.QueryRow(context.Background(),
			`SELECT lesson_ids::text[] FROM absence_notices WHERE student_id = $1 AND day = $2 AND sequence = 1`,
			student, day).Scan(&lessons)
		return err == nil
	})
	slices.Sort(lessons)
	want := []string{lesson1, lesson2}
	slices.Sort(want)
	if !slices.Equal(lessons, want) {
		t.Fatalf("notice lists %v, want each lesson once: %v", lessons, want)
	}
	if count := s.count(`SELECT count(*) FROM absence_notices WHERE student_id = $1`, student); count != 1 {
		t.Fatalf("%d notices stored, want 1", count)
	}

	// A custodial guardian follows it too; the process takes in the stored notice a moment after
	// the row is written.
	eventually(t, 5*time.Second, "the day to show the notice", func() bool {
		view = get[absence.AbsenceDayView](s.as("vh-2"), days)
		return len(view.Notices) == 1 && len(view.PendingLessonIDs) == 0
	})
	if len(view.Notices[0].LessonIDs) != 2 {
		t.Fatalf("absence day after the window = %+v, want one notice with two lessons", view)
	}
	// Both custodial guardians are told, each through their own channels and language; the
	// grandfather without custody is not.
	eventually(t, 10*time.Second, "the guardians' messages", func() bool {
		return len(mailTo(s, "vh-1")) == 1 && len(mailTo(s, "vh-2")) == 1 && len(mailTo(s, "sms")) == 1
	})
	if m := mailTo(s, "vh-1")[0]; m.Subject != "Frånvaro idag: Maja" {
		t.Errorf("vh-1 (Swedish) got %q", m.Subject)
	}
	if m := mailTo(s, "vh-2")[0]; m.Subject != "Absence today: Maja" {
		t.Errorf("vh-2 (English) got %q", m.Subject)
	}
	if len(mailTo(s, "annan-1")) != 0 {
		t.Error("the responsible adult without custody was told")
	}

	// A lesson missed later that day gives one follow-up notice.
	lesson3 := lessonOn(t, s, day, 13)
	if r := s.as("larare-a1").do("POST", "/api/v1/persons/"+student+"/absences", absence.AbsenceReport{Day: day, LessonID: lesson3}, nil); r.StatusCode != http.StatusAccepted {
		t.Fatalf("reporting a lesson later that day: %d", r.StatusCode)
	}
	eventually(t, 15*time.Second, "the follow-up notice", func() bool {
		view = get[absence.AbsenceDayView](s, days)
		return len(view.Notices) == 2
	})
	if view.Notices[1].Sequence != 2 || !slices.Equal(view.Notices[1].LessonIDs, []string{lesson3}) {
		t.Fatalf("follow-up = %+v, want sequence 2 listing only the new lesson", view.Notices[1])
	}

	recordHistory(t, s, view.ProcessID, "", "absence/testdata/absence_day_with_follow_up.json")
}

// An absence day nobody reported is not found, and its problem names no internals.
func TestUnknownAbsenceDayIsNotFound(t *testing.T) {
	s := newStack(t).as("larare-a1")
	var p api.Problem
	res := s.do("GET", "/api/v1/persons/"+s.id("elev-1")+"/absence-days/2026-10-30", nil, &p)
	if res.StatusCode != http.StatusNotFound || p.Status != http.StatusNotFound || p.Type != "urn:skolflow:problem:not-found" {
		t.Fatalf("unknown absence day = %d %+v, want a 404 problem", res.StatusCode, p)
	}
}

// recordHistory, when this run records histories (-record-histories), waits for the process
// id to close and writes its history as JSON at path, from the repository's root (such as
// workflows/testdata/x.json or leave/testdata/x.json), for the replay test there. runID names
// one run, e.g. one that continued as new; "" the latest.
func recordHistory(t *testing.T, s *stack, id, runID, path string) {
	t.Helper()
	if !*recordHistories {
		return
	}
	closed(t, s, id, 2*time.Minute, nil)
	iter := s.temporal.GetWorkflowHistory(context.Background(), id, runID, false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var h historypb.History
	for iter.HasNext() {
		e, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		h.Events = append(h.Events, e)
	}
	data, err := protojson.MarshalOptions{Indent: "  "}.Marshal(&h)
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join("..", filepath.FromSlash(path))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// The replay runs under the original workflow ID (the business key tasks derive from).
	if err := os.WriteFile(strings.TrimSuffix(path, ".json")+".id", []byte(id+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d events)", path, len(h.Events))
}

// /metrics carries the Temporal SDK's metrics beside the API's own.
func TestMetricsIncludeTemporalSDK(t *testing.T) {
	s := newStack(t).as("larare-a1")
	day := randomDay()
	if r := s.do("POST", "/api/v1/persons/"+s.id("elev-3")+"/absences", absence.AbsenceReport{Day: day, LessonID: lessonOn(t, s, day, 8)}, nil); r.StatusCode != http.StatusAccepted {
		t.Fatalf("reporting an absence: %d", r.StatusCode)
	}
	res, err := http.Get(s.api.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, want := range []string{"temporal_request", `skolflow_http_request_duration_seconds_count{method="POST",route="/api/v1/persons/:personId/absences",status="202"}`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if t.Failed() {
		t.Logf("metrics:\n%s", body)
	}
}

// randomDay is randomPastDay as YYYY-MM-DD.
func randomDay() string { return randomPastDay().Format(time.DateOnly) }

// clock is hour:minute on day's date in the schools' time zone. Adding hours to midnight would
// miss by one on the days the clocks change, and randomPastDay picks those too.
func clock(day time.Time, hour, minute int) time.Time {
	d := day.In(register.SchoolDay)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, register.SchoolDay)
}

// lessonOn adds a 40-minute lesson of larare-a1 for class 7A at school A on day (YYYY-MM-DD),
// at the hour in the schools' time zone.
func lessonOn(t testing.TB, s *stack, day string, hour int) string {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, day, register.SchoolDay)
	if err != nil {
		t.Fatal(err)
	}
	return lessonAt(t, s, clock(d, hour, 0))
}

// lessonAt adds a 40-minute lesson of larare-a1 for class 7A at school A from start.
func lessonAt(t testing.TB, s *stack, start time.Time) string {
	t.Helper()
	id := uuid.NewString()
	if _, err := s.db.Exec(context.Background(), `INSERT INTO lessons (id, group_id, school_id, teacher_id, start_time, end_time)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, demo.GroupID("7a"), demo.OrgID("a"), s.id("larare-a1"), start, start.Add(40*time.Minute)); err != nil {
		t.Fatal(err)
	}
	return id
}

// A teacher's report must match the register: the lesson exists, is of a group the pupil is in,
// is on the day reported, has begun, and is not registered with the pupil attending. Before, a
// lesson no one had, a day in 2099 or year 0, or a pupil registered present still told the
// guardians. Every refusal is 422 naming the field, and no absence day starts.
func TestAbsenceReportMustMatchTheRegister(t *testing.T) {
	s := newStack(t).as("larare-a1")
	ctx := context.Background()
	pupil, day := s.id("elev-1"), randomDay()
	lesson := lessonOn(t, s, day, 8)
	present := lessonOn(t, s, day, 9)
	if _, err := s.db.Exec(ctx, `INSERT INTO attendance (lesson_id, person_id, status, attended_minutes, invalid_absence_minutes, registered_by)
		VALUES ($1, $2, 'present', 40, 0, $3)`, present, pupil, s.id("larare-a1")); err != nil {
		t.Fatal(err)
	}
	tomorrow := lessonAt(t, s, time.Now().Add(24*time.Hour))
	var otherGroup string
	if err := s.db.QueryRow(ctx, `INSERT INTO lessons (id, group_id, school_id, teacher_id, start_time, end_time)
		SELECT gen_random_uuid(), $1, school_id, teacher_id, start_time, end_time FROM lessons WHERE id = $2
		RETURNING id::text`, demo.GroupID("7b"), lesson).Scan(&otherGroup); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, day, lesson, field string
	}{
		{"a lesson no one has", day, uuid.NewString(), "lessonId"},
		{"a lesson of a group the pupil is not in", day, otherGroup, "lessonId"},
		{"a day in 2099", "2099-01-01", lesson, "day"},
		{"year 0", "0000-01-01", lesson, "day"},
		{"the day after the lesson", time.Now().AddDate(0, 0, 1).Format(time.DateOnly), lesson, "day"},
		{"a lesson that has not begun", time.Now().Add(24 * time.Hour).In(register.SchoolDay).Format(time.DateOnly), tomorrow, "lessonId"},
		{"a lesson the pupil is registered present at", day, present, "lessonId"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var p api.Problem
			res := s.do("POST", "/api/v1/persons/"+pupil+"/absences", absence.AbsenceReport{Day: c.day, LessonID: c.lesson}, &p)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("%d %+v, want 422", res.StatusCode, p)
			}
			if len(p.Errors) != 1 || p.Errors[0].Field != c.field {
				t.Fatalf("%+v, want one error naming %s", p.Errors, c.field)
			}
			// Nothing was sent: the pupil has no absence day for it.
			for _, d := range []string{day, c.day} {
				_, err := s.temporal.DescribeWorkflowExecution(ctx, absence.AbsenceDayID(pupil, d), "")
				if !errors.As(err, new(*serviceerror.NotFound)) {
					t.Fatalf("the absence day of %s: %v, want none", d, err)
				}
			}
		})
	}
	var notified int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM notifications`).Scan(&notified); err != nil {
		t.Fatal(err)
	}
	if notified != 0 {
		t.Fatalf("%d notifications after refused reports, want none", notified)
	}
	// The lesson the pupil missed is reported.
	if res := s.do("POST", "/api/v1/persons/"+pupil+"/absences", absence.AbsenceReport{Day: day, LessonID: lesson}, nil); res.StatusCode != http.StatusAccepted {
		t.Fatalf("the missed lesson: %d, want 202", res.StatusCode)
	}
}

// randomPastDay is a day of its own for a test's absence process: tests share one Temporal
// server, and the process ID is the business key absence:<pupil>:<day>. It lies in the demo
// register's school year and before today: its lessons have begun, the demo's pupils were in
// their classes, and their register can be taken late.
func randomPastDay() time.Time {
	first := time.Date(2026, 8, 17, 0, 0, 0, 0, register.SchoolDay) // the demo's group memberships start
	return first.AddDate(0, 0, rand.IntN(max(1, int(time.Since(first).Hours()/24))))
}
