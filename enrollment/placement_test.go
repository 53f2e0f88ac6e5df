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

// A round closes on its date, is placed with a seed drawn then, waits for an officer's approval
// and is published on its date, when its offers go out: each step when its time comes, in order.
func TestARoundsStepsInOrder(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: enrollment.PlacementID("organiser", "round-1")})
	var mu sync.Mutex
	var steps []string
	var at []time.Time
	var placedWith uint64
	var approval workflows.Task
	defaults := workflowtest.Kernel()
	defaults[enrollment.PlaceActivity.Name()] = func(context.Context, enrollment.RoundPlacement) (enrollment.RoundStats, error) {
		return enrollment.RoundStats{}, nil
	}
	defaults[enrollment.RecordRoundStatusActivity.Name()] = func(context.Context, enrollment.RoundStatus) error { return nil }
	defaults[enrollment.PublishActivity.Name()] = func(context.Context, enrollment.RoundPublication) (int, error) { return 0, nil }
	workflowtest.Register(t, env, defaults, workflowtest.Stubs{
		enrollment.PlaceActivity.Name(): func(_ context.Context, p enrollment.RoundPlacement) (enrollment.RoundStats, error) {
			mu.Lock()
			defer mu.Unlock()
			steps, at, placedWith = append(steps, "placed"), append(at, env.Now()), p.Seed
			return enrollment.RoundStats{Applicants: 3, Complete: 2, ByChoice: 2, FirstChoice: 1, NearHome: 1}, nil
		},
		enrollment.RecordRoundStatusActivity.Name(): func(_ context.Context, st enrollment.RoundStatus) error {
			mu.Lock()
			defer mu.Unlock()
			steps, at = append(steps, st.Status+" "+st.By), append(at, env.Now())
			return nil
		},
		enrollment.PublishActivity.Name(): func(_ context.Context, p enrollment.RoundPublication) (int, error) {
			mu.Lock()
			defer mu.Unlock()
			steps, at = append(steps, "offers"), append(at, env.Now())
			return 3, nil
		},
		workflows.CreateTaskActivity.Name(): func(_ context.Context, task workflows.Task) error {
			approval = task
			return nil
		},
	})
	start := env.Now()
	in := enrollment.PlacementInput{RoundID: "round-1", Organiser: "organiser", ClosesAt: start.Add(24 * time.Hour),
		PublishesAt: start.Add(7 * 24 * time.Hour), SettleAfterClose: time.Minute, ApproveDue: 72 * time.Hour}
	env.RegisterDelayedCallback(func() {
		if approval.Spec.Kind != enrollment.KindApprove || approval.Assignee.Role != "Övrig arbetsledning" || approval.Assignee.OrgID != "organiser" {
			t.Errorf("the approval task: %+v, want the organiser's officers'", approval)
		}
		env.UpdateWorkflow(workflows.UpdateCompleteTask, "approve", &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { t.Errorf("the approval rejected: %v", err) }, OnComplete: func(any, error) {}},
			workflows.TaskCompletion{TaskID: approval.ID, By: "officer-1", Payload: map[string]any{"decision": "approve"}})
	}, 48*time.Hour)
	env.ExecuteWorkflow(enrollment.PlacementRound, in)
	if !env.IsWorkflowCompleted() {
		t.Fatal("the round's process did not end")
	}
	var out enrollment.PlacementOutcome
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	if want := []string{"closed ", "placed", "approved officer-1", "published ", "offers"}; !slices.Equal(steps, want) {
		t.Fatalf("steps %v, want %v", steps, want)
	}
	if !at[0].Equal(in.ClosesAt) || !at[1].Equal(in.ClosesAt.Add(in.SettleAfterClose)) || !at[2].Equal(start.Add(48*time.Hour)) || !at[3].Equal(in.PublishesAt) {
		t.Fatalf("the steps came at %v", at)
	}
	if out.Seed != placedWith || out.ApprovedBy != "officer-1" || out.Stats.ByChoice != 2 || out.Offers != 3 {
		t.Fatalf("outcome %+v, placed with seed %d", out, placedWith)
	}
}
