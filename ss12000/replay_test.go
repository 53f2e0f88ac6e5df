package ss12000_test

import (
	"testing"

	"github.com/skolflow/skolflow/ss12000"
	"github.com/skolflow/skolflow/workflows/replaytest"
)

// Every stored history of a subscription's deliveries under testdata/ replays against today's code.
func TestReplayStoredHistories(t *testing.T) {
	replaytest.Histories(t, "testdata", ss12000.SubscriptionDelivery)
}
