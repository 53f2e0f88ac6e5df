package workflows_test

import (
	"testing"

	"github.com/skolflow/skolflow/workflows"
	"github.com/skolflow/skolflow/workflows/replaytest"
)

// Every stored history under testdata/ replays against today's workflow code (see replaytest).
func TestReplayStoredHistories(t *testing.T) {
	replaytest.Histories(t, "testdata", workflows.All()...)
}
