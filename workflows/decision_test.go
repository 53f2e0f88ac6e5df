package workflows_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/workflows"
	"github.com/skolflow/skolflow/workflows/workflowtest"
)

// taskLog stands in for the task activities and records what the process asked of them, with the
// (test) time at which it asked.
type taskLog struct {
	env      *testsuite.TestWorkflowEnvironment
	events   []string
	at       []time.Duration
	start    time.Time
	last     workflows.TaskEvent
	notified []string
	taskID   string              // the task the process opened
	holders  map[string][]string // who holds each role ("Rektor@school-a") today
	mu       sync.Mutex          // the test environment runs activities side by side
}

func (l *taskLog) add(what string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, what)
	l.at = append(l.at, l.env.Now().Sub(l.start))
}

func newDecisionEnv(t *testing.T) (*testsuite.TestWorkflowEnvironment, *taskLog) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: workflows.DecisionID("leave.decide", "pupil-1", "2026-12-01")})
	l := &taskLog{env: env, start: env.Now()}
	stubActivities(t, env, stubs{
		workflows.RegisterProcessActivity.Name(): func(context.Context, workflows.Process) error { l.add("registered"); return nil },
		workflows.CreateTaskActivity.Name(): func(_ context.Context, task workflows.Task) error {
			l.taskID = task.ID
			l.add("created")
			return nil
		},
		workflows.CompleteTaskActivity.Name(): func(_ context.Context, c workflows.CompletedTask) error {
			o := c.Outcome
			l.add("completed by " + o.By)
			return nil
		},
		workflows.RemindTaskActivity.Name(): func(_ context.Context, ev workflows.TaskEvent) error { l.add("reminded"); return nil },
		workflows.ReassignTaskActivity.Name(): func(_ context.Context, ev workflows.TaskEvent) error {
			l.last = ev
			l.add("assigned to " + ev.Task.Assignee.PersonID + ev.Task.Assignee.Role)
			return nil
		},
		workflows.CancelTaskActivity.Name(): func(context.Context, workflows.TaskEvent) error { l.add("cancelled"); return nil },
		workflows.RoleHoldersActivity.Name(): func(_ context.Context, role workflows.Assignee) ([]string, error) {
			return l.holders[role.Role+"@"+role.OrgID], nil
		},
		workflows.NotifyActivity.Name(): func(_ context.Context, r workflows.NotifyRequest) (workflows.Notification, error) {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.notified = append(l.notified, r.Purpose+" to "+r.Recipient)
			return workflows.Notification{ID: "n-" + r.Occasion, Channels: []string{"email"}}, nil
		},
	})
	return env, l
}

func decisionInput() workflows.DecisionInput {
	return workflows.DecisionInput{
		Kind: "leave.decide", SchoolID: "school-a", PupilID: "pupil-1",
		DecidedBy: workflows.Assignee{Role: "Rektor", OrgID: "school-a"},
		Choices:   []string{"granted", "refused"},
	}
}

// complete sends the completion Update at the given time and records how it was answered.
func complete(env *testsuite.TestWorkflowEnvironment, log *taskLog, after time.Duration, by string, payload map[string]any, answer *error) {
	env.RegisterDelayedCallback(func() {
		task := log.taskID
		env.UpdateWorkflow(workflows.UpdateCompleteTask, by+after.String(), &testsuite.TestUpdateCallback{
			OnAccept:   func() {},
			OnReject:   func(err error) { *answer = err },
			OnComplete: func(_ interface{}, err error) { *answer = err },
		}, workflows.TaskCompletion{TaskID: task, By: by, Payload: payload})
	}, after)
}

// A payload that does not fit the step is rejected by the validator and changes nothing; a
// fitting one completes the decision; a second completion of the same step is a conflict.
func TestDecisionValidatesCompletions(t *testing.T) {
	env, log := newDecisionEnv(t)
	var wrong, unknown, good, second error
	complete(env, log, time.Minute, "rektor", map[string]any{"decision": "maybe"}, &wrong)
	complete(env, log, 2*time.Minute, "rektor", map[string]any{"decision": "granted", "mood": "good"}, &unknown)
	complete(env, log, 3*time.Minute, "rektor", map[string]any{"decision": "granted"}, &good)
	complete(env, log, 3*time.Minute, "rektor-2", map[string]any{"decision": "refused"}, &second)
	env.ExecuteWorkflow(workflows.Decision, decisionInput())

	if workflowtest.ErrType(wrong) != workflows.ErrTaskInvalid || workflowtest.ErrType(unknown) != workflows.ErrTaskInvalid {
		t.Errorf("ill-fitting payloads answered %v and %v, want %s", wrong, unknown, workflows.ErrTaskInvalid)
	}
	if good != nil {
		t.Errorf("the good completion answered %v", good)
	}
	if workflowtest.ErrType(second) != workflows.ErrTaskConflict {
		t.Errorf("the second completion answered %v, want %s", second, workflows.ErrTaskConflict)
	}
	var out workflows.TaskOutcome
	if err := env.GetWorkflowResult(&out); err != nil || out.By != "rektor" || out.Payload["decision"] != "granted" {
		t.Fatalf("result %+v, %v; want rektor's grant", out, err)
	}
	if got := log.events; len(got) != 3 || got[2] != "completed by rektor" {
		t.Errorf("activities: %v, want registered, created, completed by rektor (once)", got)
	}
}

// A step due in 2 hours reminds 30 minutes before, escalates at the due time to the next
// responsible person with a fresh deadline, and then to the role after them.
func TestDecisionRemindsThenEscalates(t *testing.T) {
	env, log := newDecisionEnv(t)
	in := decisionInput()
	in.Due, in.RemindBefore = 2*time.Hour, 30*time.Minute
	in.EscalateTo = []workflows.Assignee{{PersonID: "deputy"}, {PersonID: "deputy-2"}}
	var answer, stale error
	complete(env, log, 4*time.Hour+30*time.Minute, "deputy", map[string]any{"decision": "granted"}, &stale) // after it moved on
	complete(env, log, 5*time.Hour, "deputy-2", map[string]any{"decision": "refused"}, &answer)
	env.ExecuteWorkflow(workflows.Decision, in)
	if workflowtest.ErrType(stale) != workflows.ErrTaskConflict {
		t.Errorf("the previous assignee completing after the escalation answered %v, want a conflict", stale)
	}

	want := []struct {
		event string
		at    time.Duration
	}{
		{"registered", 0}, {"created", 0}, {"reminded", 90 * time.Minute},
		{"assigned to deputy", 2 * time.Hour}, {"assigned to deputy-2", 4 * time.Hour},
		{"completed by deputy-2", 5 * time.Hour},
	}
	if len(log.events) != len(want) {
		t.Fatalf("activities %v at %v", log.events, log.at)
	}
	for i, w := range want {
		if log.events[i] != w.event || log.at[i] != w.at {
			t.Errorf("step %d: %s at %v, want %s at %v", i, log.events[i], log.at[i], w.event, w.at)
		}
	}
	if answer != nil || !env.IsWorkflowCompleted() {
		t.Fatalf("completion answered %v", answer)
	}
	// Person assignees are told of the task when it reaches them (no one holds the role here).
	if want := []string{"task.assigned to deputy", "task.assigned to deputy-2"}; strings.Join(log.notified, ",") != strings.Join(want, ",") {
		t.Errorf("notified %v, want %v", log.notified, want)
	}
}

// A task given to a role tells each of the role's holders today, when it is given and when it is
// soon due, each once: the principal learns of it at once, not when they next open their inbox.
func TestARolesHoldersAreToldOfItsTask(t *testing.T) {
	env, log := newDecisionEnv(t)
	log.holders = map[string][]string{"Rektor@school-a": {"rektor", "biträdande-rektor"}}
	in := decisionInput()
	in.Due, in.RemindBefore = 2*time.Hour, 30*time.Minute
	var answer error
	complete(env, log, 100*time.Minute, "rektor", map[string]any{"decision": "granted"}, &answer)
	env.ExecuteWorkflow(workflows.Decision, in)
	if answer != nil || !env.IsWorkflowCompleted() {
		t.Fatalf("completion answered %v", answer)
	}
	got := slices.Clone(log.notified)
	slices.Sort(got)
	want := []string{"task.assigned to biträdande-rektor", "task.assigned to rektor", "task.reminder to biträdande-rektor", "task.reminder to rektor"}
	if !slices.Equal(got, want) {
		t.Errorf("notified %v, want %v", log.notified, want)
	}
}

// Completed in time: no reminder, no escalation.
func TestDecisionCompletedInTimeNeverEscalates(t *testing.T) {
	env, log := newDecisionEnv(t)
	in := decisionInput()
	in.Due, in.RemindBefore = 2*time.Hour, 30*time.Minute
	in.EscalateTo = []workflows.Assignee{{PersonID: "deputy"}}
	var answer error
	complete(env, log, time.Hour, "rektor", map[string]any{"decision": "granted"}, &answer)
	env.ExecuteWorkflow(workflows.Decision, in)
	if answer != nil || len(log.events) != 3 {
		t.Fatalf("answer %v, activities %v; want a plain completion", answer, log.events)
	}
}
