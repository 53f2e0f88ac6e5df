package workflows_test

import (
	"testing"

	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/workflows/workflowtest"
)

// stubs are a test's own stand-ins for activities, by registered name.
type stubs = workflowtest.Stubs

// stubActivities registers a stand-in for every activity the kernel's processes call
// (workflowtest.Register), the test's own where it gives one: the rest succeed and answer
// nothing.
func stubActivities(t *testing.T, env *testsuite.TestWorkflowEnvironment, own stubs) {
	t.Helper()
	workflowtest.Register(t, env, workflowtest.Kernel(), own)
}
