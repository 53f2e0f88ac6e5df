// Package replaytest replays recorded workflow histories against today's workflow code, for
// the kernel's processes and every area's: a change that would break running processes (a new
// activity or timer where a history has another) fails its test, and needs workflow.GetVersion.
// Histories are recorded from the real dev server with `make record-histories`.
package replaytest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// Histories replays every history dir/*.json against the workflows. Each history has, beside
// it, a .id file with the workflow ID it ran under: a business key that the workflow derives
// task IDs from, so the replay runs under it. A dir without histories fails.
func Histories(t *testing.T, dir string, workflows ...any) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no histories under %s: record them with `make record-histories`", dir)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			for _, wf := range workflows {
				r.RegisterWorkflow(wf)
			}
			data, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer data.Close()
			history, err := client.HistoryFromJSON(data, client.HistoryJSONOptions{})
			if err != nil {
				t.Fatal(err)
			}
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
