// Package workflowtest stands in for the activities a process calls, in the workflow tests of
// the kernel and of every area, so that each test gives only the activities it is about.
package workflowtest

import (
	"context"
	"reflect"
	"testing"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/workflows"
)

// Stubs are stand-ins for activities, by registered name.
type Stubs map[string]any

// Kernel answers stand-ins for the kernel's activities, which every process with tasks or
// messages calls: each succeeds and answers nothing (RoleHolders answers no one; Notify answers a notification with no
// channel beyond the inbox).
func Kernel() Stubs {
	ok := func(context.Context, any) error { return nil }
	return Stubs{
		workflows.RegisterProcessActivity.Name(): func(context.Context, workflows.Process) error { return nil },
		workflows.CreateTaskActivity.Name():      func(context.Context, workflows.Task) error { return nil },
		workflows.CompleteTaskActivity.Name():    func(context.Context, workflows.CompletedTask) error { return nil },
		workflows.ReassignTaskActivity.Name():    ok,
		workflows.RemindTaskActivity.Name():      ok,
		workflows.CancelTaskActivity.Name():      ok,
		workflows.RoleHoldersActivity.Name(): func(context.Context, workflows.Assignee) ([]string, error) {
			return nil, nil // no one holds a role: a test that means them gives its own
		},
		workflows.NotifyActivity.Name(): func(_ context.Context, r workflows.NotifyRequest) (workflows.Notification, error) {
			return workflows.Notification{ID: r.Recipient + r.Occasion}, nil
		},
		workflows.DeliverActivity.Name():        ok,
		workflows.DeliveryFailedActivity.Name(): ok,
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
	declared := map[string]workflows.Signature{}
	for _, sig := range workflows.DeclaredActivities() {
		declared[sig.Name] = sig
	}
	for name, fn := range all {
		sig, ok := declared[name]
		if !ok {
			t.Fatalf("a stand-in for %q, which is not a declared activity (workflows.DeclareActivity)", name)
		}
		// A stand-in that takes any input stands for every activity; the others must have the
		// declared activity's types, as the registered method must.
		ft := reflect.TypeOf(fn)
		if anyIn := ft.NumIn() == 2 && ft.In(1) == reflect.TypeFor[any](); !anyIn && !sig.Matches(ft) {
			t.Fatalf("the stand-in for %q is %v; the activity takes %v and answers %v", name, ft, sig.In, sig.Out)
		}
		env.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name})
	}
}
