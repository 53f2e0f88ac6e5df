package incidents_test

import (
	"testing"

	"github.com/skolflow/skolflow/incidents"
	"github.com/skolflow/skolflow/workflows/replaytest"
)

// Every stored history of an incident under testdata/ replays against today's code.
func TestReplayStoredHistories(t *testing.T) {
	replaytest.Histories(t, "testdata", incidents.Incident)
}
