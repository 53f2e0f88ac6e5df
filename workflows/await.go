package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"
)

// costsLess is the version at which processes cost the Temporal server less, for the city's
// morning (issue 18):
//   - AwaitWithTimeout starts no timer when its condition holds already, and cancels its timer
//     once the condition holds. The SDK's own left its timer running, and the server woke the
//     process once more when it fired, for nothing.
//   - A delivery's first attempt runs as a local activity (notify.go).
//
// One change ID carries both, so that a process records one version marker (and the SDK one
// search-attribute upsert with it), not one per change. Histories recorded before it replay
// through the old code.
const costsLess = 1

// CostsLess reports whether the process runs at the costsLess version or later.
func CostsLess(ctx workflow.Context) bool {
	return workflow.GetVersion(ctx, "costs-less", workflow.DefaultVersion, costsLess) >= costsLess
}

// AwaitWithTimeout waits until cond holds or timeout has passed, and answers whether cond
// held. A timeout of zero or less only looks at cond.
func AwaitWithTimeout(ctx workflow.Context, timeout time.Duration, cond func() bool) (bool, error) {
	if !CostsLess(ctx) {
		return workflow.AwaitWithTimeout(ctx, timeout, cond)
	}
	if cond() {
		return true, nil
	}
	if timeout <= 0 {
		return false, nil
	}
	timerCtx, cancel := workflow.WithCancel(ctx)
	defer cancel() // a timer not yet fired is cancelled: the server never wakes the process for it
	timer := workflow.NewTimer(timerCtx, timeout)
	err := workflow.Await(ctx, func() bool { return cond() || timer.IsReady() })
	if err != nil {
		return false, err
	}
	return cond(), nil
}

// AwaitUntil is AwaitWithTimeout until a moment: it answers whether cond held before until.
func AwaitUntil(ctx workflow.Context, until time.Time, cond func() bool) (bool, error) {
	return AwaitWithTimeout(ctx, until.Sub(workflow.Now(ctx)), cond)
}
