package workflows_test

import (
	"context"
	"testing"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/workflows"
)

// stubs are a test's own stand-ins for activities, by registered name.
type stubs map[string]any

// stubActivities registers a stand-in for every activity the workflows of this package call,
// the test's own where it gives one: the rest succeed and answer nothing (Notify answers a
// notification with no channel beyond the inbox). A stand-in under a name that is not among
// them fails the test, so it cannot silently miss its activity. (The leave workflow's tests keep their
// own stand-ins until leave moves into its own package.)
func stubActivities(t *testing.T, env *testsuite.TestWorkflowEnvironment, own stubs) {
	t.Helper()
	ok := func(context.Context, any) error { return nil }
	all := stubs{
		workflows.RegisterProcessActivity: func(context.Context, workflows.Process) error { return nil },
		workflows.CreateTaskActivity:      func(context.Context, workflows.Task) error { return nil },
		workflows.CompleteTaskActivity:    func(context.Context, workflows.Task, workflows.TaskOutcome) error { return nil },
		workflows.ReassignTaskActivity:    ok,
		workflows.RemindTaskActivity:      ok,
		workflows.CancelTaskActivity:      ok,
		workflows.NotifyActivity: func(_ context.Context, r workflows.NotifyRequest) (workflows.Notification, error) {
			return workflows.Notification{ID: r.Recipient + r.Occasion}, nil
		},
		workflows.DeliverActivity:            ok,
		workflows.DeliveryFailedActivity:     ok,
		workflows.StoreAbsenceNoticeActivity: ok,
		workflows.CustodialGuardiansActivity: func(context.Context, string) ([]string, error) { return nil, nil },
		workflows.NoticesSoFarActivity:       func(context.Context, string) (int, error) { return 0, nil },
		workflows.PupilContactsActivity:      func(context.Context, string) (workflows.PupilContacts, error) { return workflows.PupilContacts{}, nil },
		workflows.ClassifyAbsenceActivity:    ok,
		workflows.FindAbsencePatternsActivity: func(context.Context, workflows.AbsencePatternQuery) ([]workflows.AbsencePattern, error) {
			return nil, nil
		},
		workflows.RecordInvestigationActivity: ok,
		workflows.OrganiserOfActivity:         func(context.Context, string) (string, error) { return "", nil },
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
