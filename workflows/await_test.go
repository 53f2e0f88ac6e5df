package workflows_test

import (
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// awaitThree waits three ways: for a condition that holds at once, for one that comes true by a
// signal before the timeout, and for one that never does; it answers each outcome and when the
// last wait ended, in minutes from the start.
func awaitThree(ctx workflow.Context) ([]any, error) {
	start := workflow.Now(ctx)
	now, err := workflows.AwaitWithTimeout(ctx, time.Hour, func() bool { return true })
	if err != nil {
		return nil, err
	}
	signalled := false
	workflow.Go(ctx, func(ctx workflow.Context) {
		workflow.GetSignalChannel(ctx, "go").Receive(ctx, nil)
		signalled = true
	})
	bySignal, err := workflows.AwaitWithTimeout(ctx, time.Hour, func() bool { return signalled })
	if err != nil {
		return nil, err
	}
	never, err := workflows.AwaitUntil(ctx, workflow.Now(ctx).Add(30*time.Minute), func() bool { return false })
	if err != nil {
		return nil, err
	}
	return []any{now, bySignal, never, workflow.Now(ctx).Sub(start).Minutes()}, nil
}

// AwaitWithTimeout answers whether the condition held, and a wait that ended by the condition
// does not hold the process up until its timeout.
func TestAwaitWithTimeoutEndsWithTheCondition(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflow(awaitThree)
	env.RegisterDelayedCallback(func() { env.SignalWorkflow("go", nil) }, 10*time.Minute)
	env.ExecuteWorkflow(awaitThree)
	var got []any
	if err := env.GetWorkflowResult(&got); err != nil {
		t.Fatal(err)
	}
	// 10 minutes to the signal, then 30 of waiting for nothing: the first wait's hour never ran.
	if len(got) != 4 || got[0] != true || got[1] != true || got[2] != false || got[3] != 40.0 {
		t.Fatalf("got %v; want [true true false 40]", got)
	}
}
