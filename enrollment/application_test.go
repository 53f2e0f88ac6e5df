package enrollment_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/enrollment"
	"github.com/skolflow/skolflow/workflows"
	"github.com/skolflow/skolflow/workflows/workflowtest"
)

// applicationLog stands in for the activities of an application and records what it asked.
type applicationLog struct {
	env      *testsuite.TestWorkflowEnvironment
	mu       sync.Mutex
	opened   []workflows.Task
	consents []enrollment.Consent
	statuses []enrollment.ApplicationStatus
	told     []string // purpose to recipient
}

// The round closes a week after the test's clock starts.
const week = 7 * 24 * time.Hour

func newApplicationEnv(t *testing.T, guardians ...string) (*testsuite.TestWorkflowEnvironment, *applicationLog, enrollment.ApplicationInput) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: enrollment.ApplicationID("child-1", "round-1")})
	l := &applicationLog{env: env}
	defaults := workflowtest.Kernel()
	defaults[enrollment.GuardiansActivity.Name()] = func(context.Context, string) ([]string, error) { return guardians, nil }
	defaults[enrollment.RecordConsentActivity.Name()] = func(context.Context, enrollment.Consent) error { return nil }
	defaults[enrollment.RecordApplicationStatusActivity.Name()] = func(context.Context, enrollment.ApplicationStatus) error { return nil }
	workflowtest.Register(t, env, defaults, workflowtest.Stubs{
		workflows.CreateTaskActivity.Name(): func(_ context.Context, task workflows.Task) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.opened = append(l.opened, task)
			return nil
		},
		enrollment.RecordConsentActivity.Name(): func(_ context.Context, c enrollment.Consent) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.consents = append(l.consents, c)
			return nil
		},
		enrollment.RecordApplicationStatusActivity.Name(): func(_ context.Context, s enrollment.ApplicationStatus) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.statuses = append(l.statuses, s)
			return nil
		},
		workflows.NotifyActivity.Name(): func(_ context.Context, r workflows.NotifyRequest) (workflows.Notification, error) {
			l.mu.Lock()
			defer l.mu.Unlock()
			if r.Purpose != "task.assigned" {
				l.told = append(l.told, r.Purpose+" to "+r.Recipient)
			}
			return workflows.Notification{ID: r.Recipient + r.Occasion}, nil
		},
	})
	in := enrollment.ApplicationInput{ApplicationID: "application-1", ChildID: "child-1", RoundID: "round-1",
		Organiser: "organiser", AppliedBy: "vh-1", ClosesAt: env.Now().Add(week)}
	return env, l, in
}

// answer has the guardian answer their open consent task of the given version after the given time.
func (l *applicationLog) answer(t *testing.T, after time.Duration, guardian string, version int, answer string) {
	l.env.RegisterDelayedCallback(func() {
		i := slices.IndexFunc(l.opened, func(task workflows.Task) bool {
			return task.Assignee.PersonID == guardian && task.Spec.Step == "consent:"+guardian+":"+string(rune('0'+version))
		})
		if i < 0 {
			t.Errorf("at %v there is no consent task of version %d for %s; opened %+v", after, version, guardian, l.opened)
			return
		}
		l.env.UpdateWorkflow(workflows.UpdateCompleteTask, guardian+answer, &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { t.Errorf("%s's answer rejected: %v", guardian, err) }, OnComplete: func(any, error) {}},
			workflows.TaskCompletion{TaskID: l.opened[i].ID, By: guardian, Payload: map[string]any{"consent": answer}})
	}, after)
}

// change has a guardian write the next version after the given time; the process takes it or
// refuses it, as accept says.
func (l *applicationLog) change(t *testing.T, after time.Duration, by string, version int, accept bool) {
	l.env.RegisterDelayedCallback(func() {
		l.env.UpdateWorkflow(enrollment.UpdateChange, by+string(rune('0'+version)), &testsuite.TestUpdateCallback{
			OnAccept: func() {
				if !accept {
					t.Errorf("version %d accepted, want it refused", version)
				}
			},
			OnReject: func(err error) {
				if accept {
					t.Errorf("version %d refused: %v", version, err)
				} else if workflowtest.ErrType(err) != workflows.ErrTaskConflict {
					t.Errorf("version %d refused with %v, want a conflict", version, err)
				}
			},
			OnComplete: func(any, error) {}},
			enrollment.Change{Version: version, By: by})
	}, after)
}

func (l *applicationLog) outcome(t *testing.T) enrollment.ApplicationOutcome {
	t.Helper()
	if !l.env.IsWorkflowCompleted() {
		t.Fatal("the process did not end with the round")
	}
	var out enrollment.ApplicationOutcome
	if err := l.env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// With joint custody the other guardian is asked, agrees, and the first version counts; both
// are told it is complete.
func TestBothGuardiansAgree(t *testing.T) {
	env, l, in := newApplicationEnv(t, "vh-1", "vh-2")
	l.answer(t, time.Hour, "vh-2", 1, enrollment.Agree)
	env.ExecuteWorkflow(enrollment.Application, in)
	if out := l.outcome(t); out.Status != enrollment.Complete || out.Agreed != 1 {
		t.Fatalf("outcome %+v, want complete with version 1", out)
	}
	if len(l.opened) != 1 || l.opened[0].Assignee.PersonID != "vh-2" || !l.opened[0].DueAt.Equal(in.ClosesAt) {
		t.Fatalf("tasks %+v, want vh-2's alone, due when the round closes", l.opened)
	}
	if len(l.consents) != 1 || l.consents[0].Guardian != "vh-2" || l.consents[0].Answer != enrollment.Agree {
		t.Fatalf("consents %+v", l.consents)
	}
	if want := []string{"application.complete to vh-1", "application.complete to vh-2"}; !slices.Equal(sorted(l.told), want) {
		t.Fatalf("told %v, want %v", l.told, want)
	}
}

// With sole custody the applicant's own application is complete at once: there is no one to ask.
func TestSoleCustodyNeedsOne(t *testing.T) {
	env, l, in := newApplicationEnv(t, "vh-1")
	env.ExecuteWorkflow(enrollment.Application, in)
	if out := l.outcome(t); out.Status != enrollment.Complete || out.Agreed != 1 || len(l.opened) != 0 {
		t.Fatalf("outcome %+v with tasks %+v, want complete at once", out, l.opened)
	}
}

// A refusal leaves the application incomplete, and every guardian is told; a new version agreed
// by all then counts.
func TestARefusalThenAChangeAgreed(t *testing.T) {
	env, l, in := newApplicationEnv(t, "vh-1", "vh-2")
	l.answer(t, time.Hour, "vh-2", 1, enrollment.Refuse)
	l.change(t, 2*time.Hour, "vh-2", 2, true)
	l.answer(t, 3*time.Hour, "vh-1", 2, enrollment.Agree)
	env.ExecuteWorkflow(enrollment.Application, in)
	if out := l.outcome(t); out.Status != enrollment.Complete || out.Agreed != 2 {
		t.Fatalf("outcome %+v, want complete with version 2", out)
	}
	want := []string{"application.complete to vh-1", "application.complete to vh-2", "application.refused to vh-1", "application.refused to vh-2"}
	if !slices.Equal(sorted(l.told), want) {
		t.Fatalf("told %v, want %v", sorted(l.told), want)
	}
	if got := l.statuses[1]; got.Status != enrollment.Incomplete || got.Agreed != 0 {
		t.Fatalf("after the refusal the record says %+v, want incomplete", got)
	}
}

// A change withdraws the question about the version before; when the change is not answered by
// the close, the version every guardian agreed to earlier is the one that counts, and the
// guardians are told so. A change after the close is refused.
func TestTheLastAgreedVersionCounts(t *testing.T) {
	env, l, in := newApplicationEnv(t, "vh-1", "vh-2")
	l.answer(t, time.Hour, "vh-2", 1, enrollment.Agree)
	l.change(t, 2*time.Hour, "vh-1", 2, true)
	l.change(t, 3*time.Hour, "vh-1", 3, true) // version 2's question is withdrawn, unanswered
	env.ExecuteWorkflow(enrollment.Application, in)
	if out := l.outcome(t); out.Status != enrollment.Complete || out.Agreed != 1 {
		t.Fatalf("outcome %+v, want complete with version 1", out)
	}
	steps := []string{}
	for _, task := range l.opened {
		steps = append(steps, task.Spec.Step)
	}
	if !slices.Equal(steps, []string{"consent:vh-2:1", "consent:vh-2:2", "consent:vh-2:3"}) {
		t.Fatalf("tasks %v", steps)
	}
	if want := []string{"application.complete to vh-1", "application.complete to vh-2",
		"application.unanswered to vh-1", "application.unanswered to vh-2"}; !slices.Equal(sorted(l.told), want) {
		t.Fatalf("told %v, want %v", sorted(l.told), want)
	}
}

// Without an answer by the close, an application never agreed is incomplete, and the guardians
// learn it; a change that is not newer than the latest is refused.
func TestNoAnswerByTheClose(t *testing.T) {
	env, l, in := newApplicationEnv(t, "vh-1", "vh-2")
	l.change(t, time.Hour, "vh-1", 1, false) // not newer than the first
	env.ExecuteWorkflow(enrollment.Application, in)
	if out := l.outcome(t); out.Status != enrollment.Incomplete || out.Agreed != 0 {
		t.Fatalf("outcome %+v, want incomplete", out)
	}
	if want := []string{"application.unanswered to vh-1", "application.unanswered to vh-2"}; !slices.Equal(sorted(l.told), want) {
		t.Fatalf("told %v, want %v", sorted(l.told), want)
	}
	if len(l.consents) != 0 {
		t.Fatalf("consents %+v recorded without an answer", l.consents)
	}
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
