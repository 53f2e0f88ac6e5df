package integration

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/workflows"
)

// Who may be given a task is part of the task. A custodial guardian's consent is theirs alone:
// before, a principal could reassign a guardian's leave consent to himself and agree in the
// guardian's place (skollagen 7 kap. 18 §, joint custody). A staff task goes only to staff of
// its school in a role that could hold that kind of task. Each row is a task kind, the new
// assignee, and the answer the school's principal gets; a refusal changes nothing.
func TestReassignmentByTaskKindAndRole(t *testing.T) {
	s := newStack(t)
	pupil := s.id("elev-1") // Maja in 7A: guardians vh-1 and vh-2, mentor larare-a1
	schoolA, schoolB := demo.OrgID("a"), demo.OrgID("b")
	person := func(key string) workflows.Assignee { return workflows.Assignee{PersonID: s.id(key)} }
	role := func(r, org string) workflows.Assignee { return workflows.Assignee{Role: r, OrgID: org} }

	// A week's leave (five school days, no delegation: the principal decides), and an absence
	// investigation of another pupil.
	from, to := leaveDays(5)
	app := applyForLeave(s, "vh-1", pupil, from, to, "Resa")
	investigation := absence.InvestigationID(s.id("elev-2"), "2026-11")
	if _, err := s.temporal.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: investigation, TaskQueue: s.queue},
		absence.Investigation, absence.InvestigationInput{Due: time.Hour, DeliveryDeadline: time.Minute,
			Pattern: absence.AbsencePattern{PupilID: s.id("elev-2"), SchoolID: schoolA, Month: "2026-11", InvalidDays: 3}}); err != nil {
		t.Fatal(err)
	}

	type row struct {
		to     workflows.Assignee
		who    string
		status int
	}
	steps := []struct {
		kind, holder, pupil string // the task's kind, who holds it now, and the pupil it is about
		rows                []row
		by                  string         // who holds it after the rows, and completes it so the next opens
		payload             map[string]any // "" by: left open
	}{
		{"leave.consent", "vh-2", pupil, []row{
			{person("rektor-a"), "the principal himself", http.StatusForbidden},
			{person("larare-a1"), "the mentor", http.StatusForbidden},
			{person("vh-1"), "the other guardian", http.StatusForbidden},
			{role("Rektor", schoolA), "the principal's role", http.StatusForbidden},
		}, "vh-2", map[string]any{"consent": "agree"}},
		{"leave.opinion", "larare-a1", pupil, []row{
			{person("rektor-a"), "the principal, who decides", http.StatusUnprocessableEntity},
			{person("admin-a"), "the school's administrator", http.StatusUnprocessableEntity},
			{person("larare-b1"), "a teacher of another school", http.StatusUnprocessableEntity},
			{person("vh-1"), "a guardian", http.StatusUnprocessableEntity},
			{role("Skoladministratör", schoolA), "the administrators' role", http.StatusUnprocessableEntity},
			{role("Lärare", schoolB), "the teachers of another school", http.StatusUnprocessableEntity},
			{person("larare-a2"), "another teacher of the school", http.StatusOK},
		}, "larare-a2", map[string]any{"opinion": "supports"}},
		{"leave.decide", "rektor-a", pupil, []row{
			{person("larare-a1"), "the mentor, without delegation", http.StatusUnprocessableEntity},
			{role("Lärare", schoolA), "the school's teachers", http.StatusUnprocessableEntity},
			{person("rektor-b"), "another school's principal", http.StatusUnprocessableEntity},
			{role("Rektor", schoolB), "another school's principal's role", http.StatusUnprocessableEntity},
			{person("forvaltning"), "the organiser's officer", http.StatusUnprocessableEntity},
			{person("rektor-a"), "the principal in person", http.StatusOK},
		}, "rektor-a", map[string]any{"decision": "granted"}},
		{"absence.investigate", "rektor-a", s.id("elev-2"), []row{
			{person("larare-a1"), "a teacher", http.StatusUnprocessableEntity},
			{person("admin-a"), "the school's administrator", http.StatusUnprocessableEntity},
			{role("Skoladministratör", schoolA), "the administrators' role", http.StatusUnprocessableEntity},
			{person("rektor-a"), "the principal in person", http.StatusOK},
		}, "", nil},
	}
	for _, step := range steps {
		task := taskFor(t, s, step.holder, step.kind, step.pupil)
		for _, r := range step.rows {
			t.Run(fmt.Sprintf("%s to %s", step.kind, r.who), func(t *testing.T) {
				before := assignmentOf(t, s, task.ID)
				var p api.Problem
				res := s.as("rektor-a").do("POST", "/api/v1/tasks/"+task.ID+"/reassign", api.TaskReassignmentRequest{Assignee: r.to}, &p)
				if res.StatusCode != r.status {
					t.Fatalf("%d %+v, want %d", res.StatusCode, p, r.status)
				}
				if r.status != http.StatusOK {
					if after := assignmentOf(t, s, task.ID); after != before {
						t.Fatalf("a refused reassignment moved the task: %+v, then %+v", before, after)
					}
				}
			})
		}
		if step.by != "" {
			// The holder acts: a refused reassignment took nothing from them.
			completeTask(t, s, step.by, taskFor(t, s, step.by, step.kind, step.pupil), step.payload)
		}
	}
	// The guardian's consent is in the history as theirs, and no one was ever given it.
	var history store.ProcessView
	if r := s.as("rektor-a").do("GET", "/api/v1/processes/"+app.ProcessID, nil, &history); r.StatusCode != http.StatusOK {
		t.Fatalf("reading the leave's history: %d", r.StatusCode)
	}
	for _, e := range history.Events {
		if e.Kind == "completed" && e.Actor != nil && *e.Actor == s.id("rektor-a") && e.TaskID != nil {
			var kind string
			if err := s.db.QueryRow(context.Background(), `SELECT kind FROM tasks WHERE id = $1`, *e.TaskID).Scan(&kind); err != nil {
				t.Fatal(err)
			}
			if kind == "leave.consent" {
				t.Fatal("the principal completed the guardian's consent")
			}
		}
	}
}

// assignment is a task's assignee and the number of times it was handed on, as recorded.
type assignment struct {
	person, role, org string
	handedOn          int
}

func assignmentOf(t *testing.T, s *stack, task string) assignment {
	t.Helper()
	var a assignment
	err := s.db.QueryRow(context.Background(), `SELECT coalesce(t.assignee_id::text, ''), coalesce(t.assignee_role, ''),
		  coalesce(t.assignee_org::text, ''), (SELECT count(*) FROM process_events e WHERE e.task_id = t.id AND e.kind = 'reassigned')
		FROM tasks t WHERE t.id = $1`, task).Scan(&a.person, &a.role, &a.org, &a.handedOn)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
