package enrollment_test

import (
	"testing"

	"github.com/skolflow/skolflow/enrollment"
	"github.com/skolflow/skolflow/workflows/replaytest"
)

// Every stored history of an application or a round under testdata/ replays against today's code.
func TestReplayStoredHistories(t *testing.T) {
	replaytest.Histories(t, "testdata", enrollment.Application, enrollment.PlacementRound, enrollment.Offer, enrollment.Reconsider, enrollment.Guarantee)
}
