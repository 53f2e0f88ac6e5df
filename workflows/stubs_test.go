package workflows_test

import (
	"context"
	"testing"

	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/workflows"
	"github.com/skolflow/skolflow/workflows/workflowtest"
)

// stubs are a test's own stand-ins for activities, by registered name.
type stubs = workflowtest.Stubs

// stubActivities registers a stand-in for every activity the workflows of this package call
// (workflowtest.Register), the test's own where it gives one: the rest succeed and answer
// nothing.
func stubActivities(t *testing.T, env *testsuite.TestWorkflowEnvironment, own stubs) {
	t.Helper()
	ok := func(context.Context, any) error { return nil }
	all := workflowtest.Kernel()
	for name, fn := range (stubs{
		workflows.StoreAbsenceNoticeActivity.Name(): ok,
		workflows.CustodialGuardiansActivity.Name(): func(context.Context, string) ([]string, error) { return nil, nil },
		workflows.NoticesSoFarActivity.Name():       func(context.Context, string) (int, error) { return 0, nil },
		workflows.PupilContactsActivity.Name():      func(context.Context, string) (workflows.PupilContacts, error) { return workflows.PupilContacts{}, nil },
		workflows.ClassifyAbsenceActivity.Name():    ok,
		workflows.FindAbsencePatternsActivity.Name(): func(context.Context, workflows.AbsencePatternQuery) ([]workflows.AbsencePattern, error) {
			return nil, nil
		},
		workflows.RecordInvestigationActivity.Name(): ok,
		workflows.OrganiserOfActivity.Name():         func(context.Context, string) (string, error) { return "", nil },
	}) {
		all[name] = fn
	}
	workflowtest.Register(t, env, all, own)
}
