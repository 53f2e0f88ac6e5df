package integration

import (
	"context"
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
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/workflows"
)

var recordHistories = flag.Bool("record-histories", false, "write the histories of this run to workflows/testdata for the replay test")

// A teacher reports a pupil absent from two lessons (one of them twice): after the window the
// API call has started a process on the real Temporal server, the activity has written one
// notice listing both lessons to PostgreSQL, and the absence day shows it.
func TestAbsenceReportWritesOneNoticeThroughTheRealStack(t *testing.T) {
	s := newStack(t).as("larare-a1") // teaches and mentors 7A
	student, day := s.id("elev-1"), randomDay()
	lesson1, lesson2 := uuid.NewString(), uuid.NewString()
	days := "/api/v1/persons/" + student + "/absence-days/" + day

	for _, lesson := range []string{lesson1, lesson2, lesson1} {
		var accepted struct{ ProcessID, StatusURL string }
		res := s.do("POST", "/api/v1/persons/"+student+"/absences", api.AbsenceReport{Day: day, LessonID: lesson}, &accepted)
		if res.StatusCode != http.StatusAccepted {
			t.Fatalf("POST /api/v1/absences = %d, want 202", res.StatusCode)
		}
		if accepted.ProcessID != workflows.AbsenceDayID(student, day) || accepted.StatusURL != days {
			t.Fatalf("accepted = %+v, want the business key and %s", accepted, days)
		}
	}

	// Before the window has passed, the lessons are pending and nothing is stored.
	var view api.AbsenceDayView
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
	var count int
	s.db.QueryRow(context.Background(), `SELECT count(*) FROM absence_notices WHERE student_id = $1`, student).Scan(&count)
	if count != 1 {
		t.Fatalf("%d notices stored, want 1", count)
	}

	// A custodial guardian follows it too; the process takes in the stored notice a moment after
	// the row is written.
	eventually(t, 5*time.Second, "the day to show the notice", func() bool {
		s.as("vh-2").do("GET", days, nil, &view)
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
	lesson3 := uuid.NewString()
	s.as("larare-a1").do("POST", "/api/v1/persons/"+student+"/absences", api.AbsenceReport{Day: day, LessonID: lesson3}, nil)
	eventually(t, 15*time.Second, "the follow-up notice", func() bool {
		s.do("GET", days, nil, &view)
		return len(view.Notices) == 2
	})
	if view.Notices[1].Sequence != 2 || !slices.Equal(view.Notices[1].LessonIDs, []string{lesson3}) {
		t.Fatalf("follow-up = %+v, want sequence 2 listing only the new lesson", view.Notices[1])
	}

	if *recordHistories {
		eventually(t, 30*time.Second, "the absence day to close", func() bool {
			d, err := s.temporal.DescribeWorkflowExecution(context.Background(), view.ProcessID, "")
			return err == nil && d.WorkflowExecutionInfo.Status == enums.WORKFLOW_EXECUTION_STATUS_COMPLETED
		})
		writeHistory(t, s, view.ProcessID, "absence_day_with_follow_up.json")
	}
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

// writeHistory stores a closed workflow's history as JSON for workflows/replay_test.go.
func writeHistory(t *testing.T, s *stack, id, file string) {
	t.Helper()
	iter := s.temporal.GetWorkflowHistory(context.Background(), id, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
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
	path := filepath.Join("..", "workflows", "testdata", file)
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
	s.do("POST", "/api/v1/persons/"+s.id("elev-3")+"/absences", api.AbsenceReport{Day: randomDay(), LessonID: uuid.NewString()}, nil)
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

// randomDay is a school day of its own for a test's absence process: tests share one Temporal
// server, and the process ID is the business key absence:<pupil>:<day>.
func randomDay() string {
	return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rand.IntN(3650)).Format(time.DateOnly)
}

// randomPastDay is a day of its own, as randomDay, in the demo register's school year and before
// today: its lessons have begun, and their register can be taken late.
func randomPastDay() time.Time {
	first := time.Date(2026, 8, 17, 0, 0, 0, 0, register.SchoolDay) // the demo's group memberships start
	return first.AddDate(0, 0, rand.IntN(max(1, int(time.Since(first).Hours()/24))))
}
