package grading_test

import (
	"testing"

	"github.com/skolflow/skolflow/grading"
	"github.com/skolflow/skolflow/workflows/replaytest"
)

// Every stored history of the grading area's processes under testdata/ replays against today's
// code: a period where the co-signer decided a disagreement (with a group escalated at the
// teachers' deadline), one at the upper secondary school where the principal decided, and
// those periods' children: the activities' gradings of each branch, a catalogue's sign-off and the telling of the
// publication; a risk
// investigated by the principal and one escalated to the organiser; an Ändring; and a Rättelse
// with two hearings answered and one withdrawn.
func TestReplayStoredHistories(t *testing.T) {
	replaytest.Histories(t, "testdata", grading.GradingPeriod, grading.GradeActivity, grading.SignOffCatalogue, grading.TellPublished, grading.GradeRisk, grading.GradeCorrection)
}
