// Package workflowtest stands in for the activities a process calls, in the workflow tests of
// the kernel and of every area, so that each test gives only the activities it is about.
package workflowtest

import (
	"context"
	"testing"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/workflows"
)

// Stubs are stand-ins for activities, by registered name.
type Stubs map[string]any

// Kernel answers stand-ins for the kernel's activities, which every process with tasks or
// messages calls: each succeeds and answers nothing (Notify answers a notification with no
// channel beyond the inbox).
func Kernel() Stubs {
	ok := func(context.Context, any) error { return nil }
	return Stubs{
		workflows.RegisterProcessActivity: func(context.Context, workflows.Process) error { return nil },
		workflows.CreateTaskActivity:      func(context.Context, workflows.Task) error { return nil },
		workflows.CompleteTaskActivity:    func(context.Context, workflows.Task, workflows.TaskOutcome) error { return nil },
		workflows.ReassignTaskActivity:    ok,
		workflows.RemindTaskActivity:      ok,
		workflows.CancelTaskActivity:      ok,
		workflows.NotifyActivity: func(_ context.Context, r workflows.NotifyRequest) (workflows.Notification, error) {
			return workflows.Notification{ID: r.Recipient + r.Occasion}, nil
		},
		workflows.DeliverActivity:        ok,
		workflows.DeliveryFailedActivity: ok,
	}
}

// Register registers a stand-in for every activity in defaults, the test's own (in own) where
// it gives one. A stand-in in own under a name that is not in defaults fails the test, so a
// test cannot silently miss the activity it means.
func Register(t testing.TB, env *testsuite.TestWorkflowEnvironment, defaults, own Stubs) {
	t.Helper()
	all := Stubs{}
	for name, fn := range defaults {
		all[name] = fn
	}
	for name, fn := range own {
		if _, known := all[name]; !known {
			t.Fatalf("a stand-in for %q, which no workflow here calls", name)
		}
		all[name] = fn
	}
	for name, fn := range all {
		env.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name})
	}
}
