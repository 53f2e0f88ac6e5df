package ss12000

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// A subscription's deliveries are one durable process, ss12000-subscription:<id>: it tells the
// receiver of the changes pending for the subscription, one notification at a time and in order,
// each tried again with doubling waits until the receiver takes it. While the subscription is
// expired it tells nothing, and goes on when the subscription is renewed; when it is deleted the
// process ends. The changes wait in PostgreSQL (ss12000_pending), not in the process, so none
// is lost while the receiver, a worker or the platform is down.

// DeliveryID is the delivery process of a subscription.
func DeliveryID(subscription string) string { return "ss12000-subscription:" + subscription }

// The delivery process's signals: changes are pending (from the notifier, or a deletion of the
// subscription), and the subscription was renewed.
const (
	SignalChanged = "changed"
	SignalRenewed = "renewed"
)

// DeliveryInput is a subscription's delivery process: the subscription, the longest wait
// between two tries of a notification, and how often to look for changes without a signal.
type DeliveryInput struct {
	Subscription string
	Backoff      time.Duration
	Poll         time.Duration
}

// DeliverRequest asks for the changes pending for a subscription to be told.
type DeliverRequest struct {
	Subscription string
}

// Delivered is what a delivery did: how many pending changes it told, or that the subscription
// has expired or is gone.
type Delivered struct {
	Told    int
	Expired bool
	Gone    bool
}

// DeliverActivity tells a subscription's receiver of its pending changes (Activities.DeliverSubscription).
var DeliverActivity = workflows.DeclareActivity[DeliverRequest, Delivered]("DeliverSubscription")

// roundsPerRun bounds a run's history: a long-lived subscription continues as new after them.
const roundsPerRun = 200

// SubscriptionDelivery is the delivery process of one subscription.
func SubscriptionDelivery(ctx workflow.Context, in DeliveryInput) error {
	changed := workflow.GetSignalChannel(ctx, SignalChanged)
	renewed := workflow.GetSignalChannel(ctx, SignalRenewed)
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		// Tried until the receiver takes it: nothing is given up.
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: in.Backoff},
	})
	drain := func() {
		for changed.ReceiveAsync(nil) || renewed.ReceiveAsync(nil) {
		}
	}
	for round := 0; ; round++ {
		drain() // what is pending now is read by this round
		d, err := DeliverActivity.Start(actx, DeliverRequest{Subscription: in.Subscription}).Result(ctx)
		if err != nil {
			return err
		}
		if d.Gone {
			return nil
		}
		if round >= roundsPerRun {
			return workflow.NewContinueAsNewError(ctx, SubscriptionDelivery, in)
		}
		if d.Told > 0 && !d.Expired {
			continue // more may be pending
		}
		// Wait for news: a change, a renewal, or (when not expired) the poll.
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(changed, func(workflow.ReceiveChannel, bool) {})
		sel.AddReceive(renewed, func(workflow.ReceiveChannel, bool) {})
		if !d.Expired {
			sel.AddFuture(workflow.NewTimer(ctx, in.Poll), func(workflow.Future) {})
		}
		sel.Select(ctx)
	}
}
