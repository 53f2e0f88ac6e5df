package leave_test

import (
	"testing"

	"github.com/skolflow/skolflow/leave"
	"github.com/skolflow/skolflow/workflows/replaytest"
)

// Every stored history of a leave application under testdata/ replays against today's code.
func TestReplayStoredHistories(t *testing.T) {
	replaytest.Histories(t, "testdata", leave.Leave)
}
