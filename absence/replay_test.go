package absence_test

import (
	"testing"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/workflows/replaytest"
)

// Every stored history of the absence processes under testdata/ replays against today's code:
// the absence day, a guardian's report, the review and the investigation.
func TestReplayStoredHistories(t *testing.T) {
	replaytest.Histories(t, "testdata", absence.AbsenceDay, absence.AbsenceReported, absence.AbsenceReview, absence.Investigation)
}
