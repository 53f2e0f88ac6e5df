package grading

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// PerTelling is how many of the publication's recipients one child process tells. A process
// waiting on deliveries wakes every one of them on each event, so the batches keep that small;
// a school unit's thousands make a few dozen batches.
const PerTelling = 100

// Telling is a batch of a period's recipients to tell of the publication.
type Telling struct {
	PeriodProcess    string // the period's process: the notices are its own
	Recipients       []Recipient
	DeliveryDeadline time.Duration
}

// TellPublished tells each recipient of the batch, once, through their channels, that a pupil's
// grades are published: the pupil of their own, a custodial guardian of their child. Its
// workflow type is "TellPublished"; its process ID is TellingProcessID.
func TellPublished(ctx workflow.Context, in Telling) error {
	var sending workflows.Beside // messages still being delivered
	busy := 0                    // messages being stored, now
	for _, r := range in.Recipients {
		req := workflows.NotifyRequest{ProcessID: in.PeriodProcess, Recipient: r.Person, Purpose: "grading.published",
			Occasion: r.Pupil, Params: map[string]string{"pupil": r.Pupil}}
		if r.Person == r.Pupil {
			req.Purpose, req.Params = "grading.published.self", map[string]string{} // the pupil reads of their own grades
		}
		// atOnce stored at a time: begun all at once, they would hold one step of the workflow
		// past the SDK's deadlock detection (a second).
		if err := workflow.Await(ctx, func() bool { return busy < atOnce }); err != nil {
			return err
		}
		busy++
		sending.Go(ctx, func(ctx workflow.Context) {
			// A delivery given up on is in the inbox still. The slot goes back once the message is
			// stored: deliveries being retried hold up no one else's.
			_, _ = workflows.NotifyWhenStored(ctx, req, in.DeliveryDeadline, func() { busy-- })
		})
	}
	return workflows.Finish(ctx, sending.Idle)
}

// atOnce bounds how many messages a batch stores at the same time.
const atOnce = 20

// batch is the n-th run of up to size items.
type batch[T any] struct {
	n     int
	items []T
}

// batches cuts items into runs of up to size, in order.
func batches[T any](items []T, size int) []batch[T] {
	var out []batch[T]
	for i := 0; i < len(items); i += size {
		out = append(out, batch[T]{n: len(out), items: items[i:min(i+size, len(items))]})
	}
	return out
}
