package workflows_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// notifyOnce runs Notify inside a workflow, so the test can drive it.
func notifyOnce(ctx workflow.Context, deadline time.Duration) (workflows.NotifyReport, error) {
	return workflows.Notify(ctx, workflows.NotifyRequest{ProcessID: "p", Recipient: "guardian", Purpose: "task.assigned"}, deadline)
}

func notifyEnv(t *testing.T, deliver func(context.Context, workflows.Delivery) error) (*testsuite.TestWorkflowEnvironment, *[]workflows.DeliveryFailure) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflow(notifyOnce)
	var failed []workflows.DeliveryFailure
	stubActivities(t, env, stubs{
		workflows.NotifyActivity.Name(): func(context.Context, workflows.NotifyRequest) (workflows.Notification, error) {
			return workflows.Notification{ID: "n1", Channels: []string{"email", "sms"}}, nil
		},
		workflows.DeliverActivity.Name(): deliver,
		workflows.DeliveryFailedActivity.Name(): func(_ context.Context, f workflows.DeliveryFailure) error {
			failed = append(failed, f)
			return nil
		},
	})
	return env, &failed
}

// A channel that is down for a while is retried with backoff and delivers when it returns.
func TestNotifyRetriesUntilTheChannelReturns(t *testing.T) {
	var mu sync.Mutex
	attempts := map[string]int{}
	env, failed := notifyEnv(t, func(_ context.Context, d workflows.Delivery) error {
		mu.Lock()
		defer mu.Unlock()
		attempts[d.Channel]++
		if d.Channel == "email" && attempts["email"] < 4 {
			return temporal.NewApplicationError("the email server did not answer", "unreachable")
		}
		return nil
	})
	env.ExecuteWorkflow(notifyOnce, time.Hour)
	var report workflows.NotifyReport
	if err := env.GetWorkflowResult(&report); err != nil {
		t.Fatal(err)
	}
	if attempts["email"] != 4 || len(*failed) != 0 || len(report.Delivered) != 3 || !report.Reached() {
		t.Fatalf("attempts %v, failed %v, report %+v", attempts, *failed, report)
	}
}

// A channel that never works is given up on at the deadline (or at once for a permanent
// refusal), recorded as failed with the reason, and reported to the process.
func TestNotifyReportsWhatNeverArrived(t *testing.T) {
	var mu sync.Mutex
	smsAttempts := 0
	env, failed := notifyEnv(t, func(_ context.Context, d workflows.Delivery) error {
		if d.Channel == "sms" {
			mu.Lock()
			defer mu.Unlock()
			smsAttempts++
			return temporal.NewNonRetryableApplicationError("the platform has no sms channel configured", "not-configured", nil)
		}
		return errors.New("connection refused")
	})
	env.ExecuteWorkflow(notifyOnce, 10*time.Minute)
	var report workflows.NotifyReport
	if err := env.GetWorkflowResult(&report); err != nil {
		t.Fatal(err)
	}
	if len(report.Failed) != 2 || len(*failed) != 2 || report.Reached() {
		t.Fatalf("report %+v, recorded failures %v; want both channels failed", report, *failed)
	}
	reasons := map[string]string{}
	for _, f := range report.Failed {
		reasons[f.Channel] = f.Reason
	}
	if reasons["sms"] != "the platform has no sms channel configured" || reasons["email"] == "" {
		t.Errorf("reasons = %v", reasons)
	}
	if smsAttempts != 1 {
		t.Errorf("the refused channel was tried %d times; a permanent refusal is not retried", smsAttempts)
	}
}
