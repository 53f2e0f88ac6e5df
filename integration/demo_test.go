package integration

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/demo"
)

// The demo `make run` starts with is the register's own: its lessons are in the register, so
// the welcome text's report of the next missed lesson is taken, and loading it again (every
// restart) changes nothing.
func TestTheWelcomesAbsenceReportIsTaken(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	opts := demo.Options{TaskQueue: s.queue, NoticeWindow: time.Minute, DayLength: time.Hour, Deadline: time.Minute,
		TaskDue: time.Hour, ReachCutoff: 15 * time.Hour, Today: clock(randomPastDay(), 12, 0)}
	var data demo.Data
	for range 2 {
		var err error
		if data, err = demo.Load(ctx, s.temporal, s.db, opts); err != nil {
			t.Fatal(err)
		}
	}
	var lessons int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM lessons WHERE (start_time AT TIME ZONE 'Europe/Stockholm')::date = $1::date`,
		data.Day).Scan(&lessons); err != nil {
		t.Fatal(err)
	}
	if lessons != 2 {
		t.Fatalf("%d demo lessons on %s after two loads, want 2", lessons, data.Day)
	}
	var p api.Problem
	res := s.as("larare-a1").do("POST", "/api/v1/persons/"+data.StudentID+"/absences",
		absence.AbsenceReport{Day: data.Day, LessonID: data.NextLessonID}, &p)
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("the welcome's report: %d %+v, want 202", res.StatusCode, p)
	}
}
