package integration

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/workflows"
)

// startDecision starts a decision on the real server and waits for its task to reach the inbox:
// about in.PupilID for the principal of in.SchoolID, or, if no school is given, about elev-1 for
// the principal of school A.
func startDecision(t testing.TB, s *stack, in workflows.DecisionInput) (processID, taskID string) {
	t.Helper()
	in.Kind = "leave.decide"
	if in.SchoolID == "" {
		in.SchoolID, in.PupilID = demo.OrgID("a"), s.id("elev-1")
	}
	if in.DecidedBy == (workflows.Assignee{}) {
		in.DecidedBy = workflows.Assignee{Role: "Rektor", OrgID: in.SchoolID}
	}
	in.Choices = []string{"granted", "refused"}
	if in.HeldBy == nil {
		in.HeldBy = []string{"Rektor", "Lärare"}
	}
	processID = workflows.DecisionID(in.Kind, in.PupilID, uuid.NewString())
	if _, err := s.temporal.ExecuteWorkflow(context.Background(),
		client.StartWorkflowOptions{ID: processID, TaskQueue: s.queue}, workflows.Decision, in); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the task in the inbox", func() bool {
		return s.db.QueryRow(context.Background(), `SELECT id::text FROM tasks WHERE process_id = $1`, processID).Scan(&taskID) == nil
	})
	return processID, taskID
}

func taskIDs(tasks []store.TaskView) []string {
	var ids []string
	for _, t := range tasks {
		ids = append(ids, t.ID)
	}
	return ids
}

// A task assigned to the principal's role reaches the principal's inbox and no one else's; the
// principal completes it over HTTP and the answer is the workflow's. Bad input and the wrong
// person change nothing.
func TestCompleteATaskThroughTheAPI(t *testing.T) {
	s := newStack(t)
	process, task := startDecision(t, s, workflows.DecisionInput{})
	complete := "/api/v1/tasks/" + task + "/complete"

	inbox := get[[]store.TaskView](s.as("rektor-a"), "/api/v1/tasks?school="+demo.OrgID("a")+"&kind=leave.decide")
	if !slices.Contains(taskIDs(inbox), task) || inbox[0].Expects[0].Name != "decision" {
		t.Fatalf("the principal's inbox = %+v", inbox)
	}
	if other := get[[]store.TaskView](s.as("rektor-b"), "/api/v1/tasks"); slices.Contains(taskIDs(other), task) {
		t.Fatal("the task is in school B's principal's inbox")
	}
	told(t, s, "rektor-a", process, "task.assigned") // the role's holder hears of it, not only in the inbox
	var p api.Problem
	if r := s.as("rektor-a").do("GET", "/api/v1/tasks?state=done&dueBefore=soon", nil, &p); r.StatusCode != 422 || len(p.Errors) != 2 {
		t.Fatalf("bad filters: %d %+v", r.StatusCode, p)
	}

	cases := []struct {
		user    string
		payload map[string]any
		status  int
		field   string
	}{
		{"larare-a1", map[string]any{"decision": "granted"}, 403, ""},
		{"rektor-b", map[string]any{"decision": "granted"}, 403, ""}, // a task of another school
		{"rektor-a", map[string]any{"decision": "maybe"}, 422, "payload/decision"},
		{"rektor-a", map[string]any{}, 422, "payload/decision"}, // the required decision is missing
		{"rektor-a", map[string]any{"decision": "granted", "mood": "good"}, 422, "payload/mood"},
	}
	for _, c := range cases {
		p = api.Problem{}
		r := s.as(c.user).do("POST", complete, api.TaskCompletionRequest{Payload: c.payload}, &p)
		if r.StatusCode != c.status || (c.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != c.field)) {
			t.Fatalf("%s completing with %v: %d %+v, want %d naming %q", c.user, c.payload, r.StatusCode, p, c.status, c.field)
		}
	}
	if r := s.as("rektor-a").do("POST", "/api/v1/tasks/"+uuid.NewString()+"/complete",
		api.TaskCompletionRequest{Payload: map[string]any{"decision": "granted"}}, nil); r.StatusCode != 404 {
		t.Fatalf("an unknown task: %d, want 404", r.StatusCode)
	}

	// Two completions at once: exactly one wins (see TestTwoCompletionsAtOnceOneWins).
	completeTwiceAtOnce(t, s, task)
	if r := s.as("rektor-a").do("POST", complete, api.TaskCompletionRequest{Payload: map[string]any{"decision": "granted"}}, nil); r.StatusCode != 409 {
		t.Fatalf("completing a completed task: %d, want 409", r.StatusCode)
	}
	closed(t, s, process, 10*time.Second, nil)
	if r := s.as("rektor-a").do("POST", complete, api.TaskCompletionRequest{Payload: map[string]any{"decision": "granted"}}, nil); r.StatusCode != 409 {
		t.Fatalf("completing the task of a closed process: %d, want 409", r.StatusCode)
	}
	// The process settles its notices before it closes: whoever was not told by now never will be.
	if told := purposesFor(s, "rektor-b", process); len(told) != 0 {
		t.Fatalf("school B's principal was told %v of school A's task", told)
	}

	// The history: who decided what, readable by those who may see the pupil, not by others.
	var history store.ProcessView
	if r := s.as("vh-1").do("GET", "/api/v1/processes/"+process, nil, &history); r.StatusCode != 200 {
		t.Fatalf("the pupil's guardian reading the history: %d", r.StatusCode)
	}
	var kinds []string
	for _, e := range history.Events {
		kinds = append(kinds, e.Kind)
	}
	if !slices.Equal(kinds, []string{"created", "assigned", "notified", "completed"}) || *history.Events[3].Actor != s.id("rektor-a") {
		t.Fatalf("history = %+v", history.Events)
	}
	if r := s.as("vh-4").do("GET", "/api/v1/processes/"+process, nil, nil); r.StatusCode != 404 {
		t.Fatalf("another family's guardian reading the history: %d, want 404", r.StatusCode)
	}
	recordHistory(t, s, process, "", "workflows/testdata/decision_completed.json")
}

// completeTwiceAtOnce has the principal complete the task twice at the same moment, granting
// and refusing, and fails the test unless exactly one completion wins (200, with the workflow's
// answer naming the winner's decision) and the other is refused as done (409).
func completeTwiceAtOnce(t *testing.T, s *stack, task string) {
	t.Helper()
	complete := "/api/v1/tasks/" + task + "/complete"
	decisions := []string{"granted", "refused"}
	headers, bodies := make([]http.Header, 2), make([][]byte, 2)
	for i, decision := range decisions {
		headers[i] = s.bearer("rektor-a")
		body, err := json.Marshal(api.TaskCompletionRequest{Payload: map[string]any{"decision": decision}})
		if err != nil {
			t.Fatal(err)
		}
		bodies[i] = body
	}
	answers := make([]*http.Response, 2)
	atOnce(
		func() { answers[0] = s.doRaw("POST", complete, bodies[0], headers[0], nil) },
		func() { answers[1] = s.doRaw("POST", complete, bodies[1], headers[1], nil) },
	)
	if answers[0] == nil || answers[1] == nil {
		t.Fatal("a completion got no answer")
	}
	statuses := []int{answers[0].StatusCode, answers[1].StatusCode}
	winner := slices.Index(statuses, http.StatusOK)
	if sorted := slices.Sorted(slices.Values(statuses)); !slices.Equal(sorted, []int{http.StatusOK, http.StatusConflict}) {
		t.Fatalf("two completions at once answered %v, want one 200 and one 409", statuses)
	}
	outcome := decoded[workflows.TaskOutcome](t, answers[winner], http.StatusOK)
	if outcome.By != s.id("rektor-a") || outcome.TaskID != task || outcome.Payload["decision"] != decisions[winner] {
		t.Fatalf("the workflow's answer %+v, want the winner's decision %q by the principal", outcome, decisions[winner])
	}
}

// Two completions of one task that truly overlap, released together from a barrier, twenty
// times over: each time exactly one wins and the other is told the step is done.
func TestTwoCompletionsAtOnceOneWins(t *testing.T) {
	s := newStack(t)
	for range 20 {
		_, task := startDecision(t, s, workflows.DecisionInput{})
		completeTwiceAtOnce(t, s, task)
	}
}

// A principal hands a task to a teacher of the school; the teacher completes it; no one outside
// the school can take it.
func TestReassignATask(t *testing.T) {
	s := newStack(t)
	_, task := startDecision(t, s, workflows.DecisionInput{})
	reassign := "/api/v1/tasks/" + task + "/reassign"
	to := func(person string) api.TaskReassignmentRequest {
		return api.TaskReassignmentRequest{Assignee: workflows.Assignee{PersonID: s.id(person)}}
	}
	if r := s.as("rektor-a").do("POST", reassign, to("larare-b1"), nil); r.StatusCode != 422 {
		t.Fatalf("to a teacher of another school: %d, want 422", r.StatusCode)
	}
	if r := s.as("admin-a").do("POST", reassign, to("larare-a1"), nil); r.StatusCode != 403 {
		t.Fatalf("by an administrator: %d, want 403", r.StatusCode)
	}
	if r := s.as("rektor-a").do("POST", reassign, to("larare-a1"), nil); r.StatusCode != 200 {
		t.Fatalf("by the principal: %d", r.StatusCode)
	}
	if inbox := get[[]store.TaskView](s.as("larare-a1"), "/api/v1/tasks"); !slices.Contains(taskIDs(inbox), task) {
		t.Fatal("the task is not in the new assignee's inbox")
	}
	done := api.TaskCompletionRequest{Payload: map[string]any{"decision": "refused"}}
	if r := s.as("larare-a2").do("POST", "/api/v1/tasks/"+task+"/complete", done, nil); r.StatusCode != 403 {
		t.Fatalf("another teacher completing: %d, want 403", r.StatusCode)
	}
	if r := s.as("larare-a1").do("POST", "/api/v1/tasks/"+task+"/complete", done, nil); r.StatusCode != 200 {
		t.Fatalf("the new assignee completing: %d", r.StatusCode)
	}
}

// A step not done in time reminds, then escalates to the next responsible person, on the real
// server with the deadline compressed to seconds; the history records both.
func TestDeadlineRemindsAndEscalates(t *testing.T) {
	s := newStack(t)
	process, task := startDecision(t, s, workflows.DecisionInput{
		Due: 2 * time.Second, RemindBefore: time.Second,
		EscalateTo: []workflows.Assignee{{PersonID: s.id("larare-a1")}},
	})
	eventually(t, 10*time.Second, "the escalation", func() bool {
		inbox := get[[]store.TaskView](s.as("larare-a1"), "/api/v1/tasks")
		return slices.Contains(taskIDs(inbox), task)
	})
	if r := s.as("larare-a1").do("POST", "/api/v1/tasks/"+task+"/complete",
		api.TaskCompletionRequest{Payload: map[string]any{"decision": "granted"}}, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("the escalated-to teacher completing: %d", r.StatusCode)
	}
	// The principal is told of the task and reminded of it, the teacher told of it when it is
	// theirs. The notifications run beside the process, so the last may come before or after
	// the completion.
	var kinds []string
	notified := 0
	eventually(t, 10*time.Second, "the history with the notification", func() bool {
		history := get[store.ProcessView](s.as("rektor-a"), "/api/v1/processes/"+process)
		kinds, notified = nil, 0
		for _, e := range history.Events {
			if e.Kind == "notified" {
				notified++
				continue
			}
			kinds = append(kinds, e.Kind)
		}
		return notified == 3 && len(kinds) == 5
	})
	if !slices.Equal(kinds, []string{"created", "assigned", "reminded", "escalated", "completed"}) {
		t.Fatalf("history kinds = %v, want the steps in order", kinds)
	}
	recordHistory(t, s, process, "", "workflows/testdata/decision_reminded_escalated.json")
}
