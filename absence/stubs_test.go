package absence_test

import (
	"context"
	"testing"

	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/workflows/workflowtest"
)

// stubs are a test's own stand-ins for activities, by registered name.
type stubs = workflowtest.Stubs

// stubActivities registers a stand-in for every activity the absence processes call, the
// kernel's and the area's (workflowtest.Register), the test's own where it gives one: the rest
// succeed and answer nothing.
func stubActivities(t *testing.T, env *testsuite.TestWorkflowEnvironment, own stubs) {
	t.Helper()
	ok := func(context.Context, any) error { return nil }
	all := workflowtest.Kernel()
	for name, fn := range (stubs{
		absence.StoreAbsenceNoticeActivity.Name(): ok,
		absence.CustodialGuardiansActivity.Name(): func(context.Context, string) ([]string, error) { return nil, nil },
		absence.NoticesSoFarActivity.Name():       func(context.Context, string) (int, error) { return 0, nil },
		absence.PupilContactsActivity.Name():      func(context.Context, string) (absence.PupilContacts, error) { return absence.PupilContacts{}, nil },
		absence.ClassifyAbsenceActivity.Name():    ok,
		absence.FindAbsencePatternsActivity.Name(): func(context.Context, absence.AbsencePatternQuery) ([]absence.AbsencePattern, error) {
			return nil, nil
		},
		absence.RecordInvestigationActivity.Name(): ok,
		absence.OrganiserOfActivity.Name():         func(context.Context, string) (string, error) { return "", nil },
	}) {
		all[name] = fn
	}
	workflowtest.Register(t, env, all, own)
}
