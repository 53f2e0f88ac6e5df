package support_test

import (
	"testing"

	"github.com/skolflow/skolflow/support"
	"github.com/skolflow/skolflow/workflows/replaytest"
)

// Every stored history of a support case under testdata/ replays against today's code.
func TestReplayStoredHistories(t *testing.T) {
	replaytest.Histories(t, "testdata", support.Support)
}
