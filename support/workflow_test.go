package support_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/support"
	"github.com/skolflow/skolflow/workflows"
	"github.com/skolflow/skolflow/workflows/workflowtest"
)

// supportLog stands in for the activities of a support case and records what it was asked.
type supportLog struct {
	env       *testsuite.TestWorkflowEnvironment
	mu        sync.Mutex
	opened    []workflows.Task
	escalated []string // kind@role
	cancelled []string // kind@person
	told      []string // recipient:decision
}

func input() support.Input {
	return support.Input{CaseID: "case-1", PupilID: "pupil-1", SchoolID: "school-a", SignalledBy: "teacher-1",
		InvestigateDue: 7 * 24 * time.Hour, ReplyWindow: 7 * 24 * time.Hour, DecideDue: 14 * 24 * time.Hour, DeliveryDeadline: time.Hour}
}

func newSupportEnv(t *testing.T, decision support.Decision) *supportLog {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: support.ID("pupil-1", "case-1")})
	l := &supportLog{env: env}
	parties := support.Parties{Guardians: []string{"guardian-a", "guardian-b"}, Mentor: "mentor-1", Organiser: "organiser"}
	defaults := workflowtest.Kernel()
	defaults[support.PartiesActivity.Name()] = func(context.Context, support.Input) (support.Parties, error) { return parties, nil }
	defaults[support.BeginInvestigationActivity.Name()] = func(context.Context, support.Investigation) (string, error) { return "doc-1", nil }
	defaults[support.DecisionActivity.Name()] = func(context.Context, string) (support.Decision, error) { return decision, nil }
	workflowtest.Register(t, env, defaults, workflowtest.Stubs{
		workflows.CreateTaskActivity.Name(): func(_ context.Context, task workflows.Task) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.opened = append(l.opened, task)
			return nil
		},
		workflows.ReassignTaskActivity.Name(): func(_ context.Context, ev workflows.TaskEvent) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.escalated = append(l.escalated, ev.Task.Spec.Kind+"@"+ev.Task.Assignee.Role)
			return nil
		},
		workflows.CancelTaskActivity.Name(): func(_ context.Context, ev workflows.TaskEvent) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.cancelled = append(l.cancelled, ev.Task.Spec.Kind+"@"+ev.Task.Assignee.PersonID)
			return nil
		},
		workflows.NotifyActivity.Name(): func(_ context.Context, r workflows.NotifyRequest) (workflows.Notification, error) {
			l.mu.Lock()
			defer l.mu.Unlock()
			if r.Purpose == "support.decided" {
				l.told = append(l.told, r.Recipient+":"+r.Params["decision"])
			}
			return workflows.Notification{ID: r.Recipient + r.Occasion}, nil
		},
	})
	return l
}

// answer completes, after the given time, the open task of kind (for the person, if given).
func (l *supportLog) answer(t *testing.T, after time.Duration, kind, person, by string, payload map[string]any) {
	l.env.RegisterDelayedCallback(func() {
		i := slices.IndexFunc(l.opened, func(task workflows.Task) bool {
			return task.Spec.Kind == kind && (person == "" || task.Assignee.PersonID == person)
		})
		if i < 0 {
			t.Errorf("at %v there is no %s task", after, kind)
			return
		}
		l.env.UpdateWorkflow(workflows.UpdateCompleteTask, kind+person, &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { t.Errorf("%s rejected: %v", kind, err) }, OnComplete: func(any, error) {}},
			workflows.TaskCompletion{TaskID: l.opened[i].ID, By: by, Payload: payload})
	}, after)
}

const day = 24 * time.Hour

// The principal who does not have the need investigated in time, or does not decide in time,
// loses the step to the organiser's officers; the pupil or a guardian who does not take part
// within the window has the task withdrawn, and the decision does not wait for them.
func TestLateStepsGoToTheOfficersAndTheWindowCloses(t *testing.T) {
	l := newSupportEnv(t, support.Decision{Kind: "no-programme-decision"})
	in := input()
	l.answer(t, in.InvestigateDue+day, support.KindInvestigate, "", "officer", map[string]any{})
	l.answer(t, in.InvestigateDue+2*day, support.KindParticipate, "guardian-a", "guardian-a", map[string]any{"participate": "yes"})
	// The window closes for guardian-b a week after the investigation began; the decision is due
	// two weeks after that, and goes to the officers a day later.
	l.answer(t, in.InvestigateDue+day+in.ReplyWindow+in.DecideDue+2*day, support.KindDecide, "", "officer", map[string]any{"decision": "doc-2"})
	l.env.ExecuteWorkflow(support.Support, in)
	if err := l.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	want := []string{support.KindInvestigate + "@Övrig arbetsledning", support.KindDecide + "@Övrig arbetsledning"}
	if !slices.Equal(l.escalated, want) {
		t.Fatalf("escalated %v, want %v", l.escalated, want)
	}
	slices.Sort(l.cancelled)
	if !slices.Equal(l.cancelled, []string{support.KindParticipate + "@guardian-b", support.KindParticipate + "@pupil-1"}) {
		t.Fatalf("withdrawn %v, want the pupil's and guardian-b's participation", l.cancelled)
	}
	var out support.Outcome
	if err := l.env.GetWorkflowResult(&out); err != nil || out.Participated != 1 || out.Decision != "no-programme-decision" {
		t.Fatalf("outcome %+v, %v", out, err)
	}
	slices.Sort(l.told)
	if !slices.Equal(l.told, []string{"guardian-a:no-programme-decision", "guardian-b:no-programme-decision"}) {
		t.Fatalf("told %v", l.told)
	}
	for _, task := range l.opened {
		if task.Spec.Kind == support.KindFollowUp || task.Spec.Kind == support.KindEvaluate {
			t.Fatalf("a %s without a programme", task.Spec.Kind)
		}
	}
}

// A programme's follow-up and evaluation open on its dates, for the mentor, and not before.
func TestAProgrammeIsFollowedUpOnItsDates(t *testing.T) {
	start := time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)
	l := newSupportEnv(t, support.Decision{Kind: "action-programme", FollowUp: "2027-02-01", Evaluation: "2027-03-01"})
	l.env.SetStartTime(start)
	l.answer(t, time.Hour, support.KindInvestigate, "", "principal", map[string]any{})
	l.answer(t, 2*time.Hour, support.KindParticipate, "guardian-a", "guardian-a", map[string]any{"participate": "no"})
	l.answer(t, 3*time.Hour, support.KindParticipate, "guardian-b", "guardian-b", map[string]any{"participate": "yes"})
	l.answer(t, 3*time.Hour, support.KindParticipate, "pupil-1", "pupil-1", map[string]any{"participate": "yes"})
	l.answer(t, 4*time.Hour, support.KindDecide, "", "principal", map[string]any{"decision": "doc-2"})
	var followUpAt, evaluateAt time.Time
	l.env.SetOnLocalActivityStartedListener(func(_ *activity.Info, _ context.Context, args []any) {
		if task, ok := args[0].(workflows.Task); ok {
			switch task.Spec.Kind {
			case support.KindFollowUp:
				followUpAt = l.env.Now()
			case support.KindEvaluate:
				evaluateAt = l.env.Now()
			}
		}
	})
	l.answer(t, 30*day, support.KindFollowUp, "mentor-1", "mentor-1", map[string]any{"notes": "ok"})
	l.answer(t, 60*day, support.KindEvaluate, "mentor-1", "mentor-1", map[string]any{"notes": "ok"})
	l.env.ExecuteWorkflow(support.Support, input())
	if err := l.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	feb, mar := time.Date(2027, 2, 1, 0, 0, 0, 0, register.SchoolDay), time.Date(2027, 3, 1, 0, 0, 0, 0, register.SchoolDay)
	if !followUpAt.Equal(feb) || !evaluateAt.Equal(mar) {
		t.Fatalf("follow-up opened %v, evaluation %v; want on 1 February and 1 March (Stockholm)", followUpAt, evaluateAt)
	}
}
