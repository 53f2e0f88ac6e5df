package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/skolflow/skolflow/grading"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/leave"
)

// A record whose process cannot start is taken back (api.StartProcess): with Temporal's frontend
// out of reach of an API instance, a guardian's leave application and a principal's grading
// period are answered 503, and neither stays on record.
func TestARecordWhoseProcessCannotStartIsTakenBack(t *testing.T) {
	s := newStack(t)
	_, proxied, metrics := temporalBehindProxy(t, s.ns)
	srv, issuer, _ := newAPI(t, s.db, proxied, metrics, zap.NewNop(), s.queue, s.timings)

	send := func(user, path string, body any) int {
		t.Helper()
		tok, _, err := issuer.Mint(user + "@" + demo.UserDomain)
		if err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, "POST", srv.URL+path, bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	from, to := leaveDays(3)
	if status := send("vh-1", "/api/v1/persons/"+s.id("elev-1")+"/leave-applications", leave.ApplicationInput{From: from, To: to, Reason: "Resa"}); status != http.StatusServiceUnavailable {
		t.Fatalf("applying for leave with the engine out of reach: %d, want 503", status)
	}
	if n := s.count(`SELECT count(*) FROM leave_applications`); n != 0 {
		t.Fatalf("%d leave applications on record without their process", n)
	}
	now := time.Now()
	if status := send("rektor-a", "/api/v1/schools/"+demo.OrgID("a")+"/grading-periods", grading.PeriodRequest{Term: gradingTerm(t, s),
		EntryOpens: now.Add(time.Hour), TeacherDeadline: now.Add(2 * time.Hour), SignOff: now.Add(3 * time.Hour), Publication: now.Add(4 * time.Hour)}); status != http.StatusServiceUnavailable {
		t.Fatalf("opening a grading period with the engine out of reach: %d, want 503", status)
	}
	if n := s.count(`SELECT count(*) FROM grading_periods`); n != 0 {
		t.Fatalf("%d grading periods on record without their process", n)
	}
}
