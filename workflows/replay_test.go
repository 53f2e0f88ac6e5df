package workflows_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// Every stored history under testdata/ must replay against today's workflow code. A change that
// would break running processes (a new activity or timer where history has another) fails here;
// such a change needs workflow.GetVersion. Histories are recorded from the real dev server with
//
//	make record-histories
func TestReplayStoredHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no histories under testdata/: record them with `make record-histories`")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			for _, wf := range workflows.All() {
				r.RegisterWorkflow(wf)
			}
			history, err := client.HistoryFromJSON(mustOpen(t, f), client.HistoryJSONOptions{})
			if err != nil {
				t.Fatal(err)
			}
			// The workflow ID is a business key that the workflow derives task IDs from, so the
			// replay runs under the original ID, kept beside the history.
			id, err := os.ReadFile(strings.TrimSuffix(f, ".json") + ".id")
			if err != nil {
				t.Fatalf("%s has no .id file beside it: %v", f, err)
			}
			err = r.ReplayWorkflowHistoryWithOptions(nil, history, worker.ReplayWorkflowHistoryOptions{
				OriginalExecution: workflow.Execution{ID: strings.TrimSpace(string(id)), RunID: uuid.NewString()},
			})
			if err != nil {
				t.Fatalf("%s no longer replays: %v", f, err)
			}
		})
	}
}

func mustOpen(t *testing.T, path string) io.Reader {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
