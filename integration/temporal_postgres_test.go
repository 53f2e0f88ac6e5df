package integration

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/internal/pgtest"
	"github.com/skolflow/skolflow/internal/temporaltest"
)

// Production runs Temporal Server on a database, not the dev server: here Temporal Server
// v1.29.1 (built from tools/go.mod) persists in PostgreSQL, with its schemas set up by its SQL
// tool, and one absence day runs through it end to end. A teacher reports a pupil absent; the
// notice is stored, both custodial guardians are told in their own language, and the day closes.
func TestAnAbsenceDayOnTemporalServerPersistingInPostgreSQL(t *testing.T) {
	server, err := temporaltest.StartPostgres(pgtest.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := server.Stop(); err != nil {
			t.Error(err)
		}
	})
	s := newStack(t, func(c *stackConfig) {
		c.temporal = server
		c.timings = func(tm *durations) { tm.AbsenceDayLength = 5 * time.Second }
	}).as("larare-a1")
	student, day := s.id("elev-1"), randomDay()
	lesson := lessonOn(t, s, day, 8)
	if r := s.do("POST", "/api/v1/persons/"+student+"/absences", absence.AbsenceReport{Day: day, LessonID: lesson}, nil); r.StatusCode != http.StatusAccepted {
		t.Fatalf("POST absences = %d, want 202", r.StatusCode)
	}

	var state absence.AbsenceDayState
	closed(t, s, absence.AbsenceDayID(student, day), time.Minute, &state)
	if len(state.Notices) != 1 || len(state.Notices[0].LessonIDs) != 1 || state.Notices[0].LessonIDs[0] != lesson {
		t.Fatalf("the closed day told %+v, want one notice listing the lesson", state.Notices)
	}
	if n := s.count(`SELECT count(*) FROM absence_notices WHERE student_id = $1 AND day = $2`, student, day); n != 1 {
		t.Fatalf("%d notices stored, want 1", n)
	}
	eventually(t, 10*time.Second, "both guardians' messages", func() bool {
		return len(mailTo(s, "vh-1")) == 1 && len(mailTo(s, "vh-2")) == 1
	})
	if m := mailTo(s, "vh-1")[0]; m.Subject != "Frånvaro idag: Maja" {
		t.Errorf("vh-1 (Swedish) got %q", m.Subject)
	}
	if m := mailTo(s, "vh-2")[0]; m.Subject != "Absence today: Maja" {
		t.Errorf("vh-2 (English) got %q", m.Subject)
	}

	// The process and its history are kept in Temporal's own database.
	temporalDB, err := pgx.Connect(context.Background(), server.DatabaseURL())
	if err != nil {
		t.Fatal(err)
	}
	defer temporalDB.Close(context.Background())
	var runs, nodes int
	if err := temporalDB.QueryRow(context.Background(), `SELECT count(*) FROM current_executions WHERE workflow_id = $1`,
		absence.AbsenceDayID(student, day)).Scan(&runs); err != nil {
		t.Fatal(err)
	}
	if err := temporalDB.QueryRow(context.Background(), `SELECT count(*) FROM history_node`).Scan(&nodes); err != nil {
		t.Fatal(err)
	}
	if runs != 1 || nodes == 0 {
		t.Fatalf("Temporal's database holds %d runs of the day and %d history nodes, want 1 and some", runs, nodes)
	}
}
