package workflows

import (
	"errors"
	"time"

	enums "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Notifications: a process tells a person something through the channels that person chose.
// The in-app inbox always gets it; email and SMS are each a delivery, retried with backoff until
// it goes or its deadline passes, and then reported to the process, which decides what to do.

var (
	NotifyActivity         = DeclareActivity[NotifyRequest, Notification]("Notify")
	DeliverActivity        = DeclareActivity[Delivery, None]("Deliver")
	DeliveryFailedActivity = DeclareActivity[DeliveryFailure, None]("DeliveryFailed")
)

// NotifyRequest asks to tell Recipient about Purpose (a template name) with Params: ids, dates
// and codes only. Params["pupil"] names the pupil the message is about, if any: what it may say
// of them, and on which channels, depends on who they and the recipient are (notify.Compose).
// (process, recipient, purpose, occasion) is the idempotency key: a process tells a person a
// thing once, however often an activity runs; Occasion tells apart the times a process has the
// same thing to say again (a second reminder).
type NotifyRequest struct {
	ProcessID string
	Recipient string
	Purpose   string
	Occasion  string
	Params    map[string]string
}

// Notification is a stored notification and the channels it is to be delivered on.
type Notification struct {
	ID       string
	Channels []string
}

// Delivery is one notification on one channel.
type Delivery struct {
	NotificationID string
	Channel        string
}

// DeliveryFailure is a delivery given up on, with the reason in words (no addresses).
type DeliveryFailure struct {
	NotificationID string
	Channel        string
	Reason         string
}

// NotifyReport tells the process what reached the person.
type NotifyReport struct {
	NotificationID string
	Delivered      []string // channels that delivered (the in-app inbox always does)
	Failed         []DeliveryFailure
}

// Reached reports whether anything beyond the in-app inbox delivered, or nothing was asked of
// other channels.
func (r NotifyReport) Reached() bool { return len(r.Failed) == 0 || len(r.Delivered) > 1 }

// deliveryAttemptTimeout bounds one attempt to deliver.
const deliveryAttemptTimeout = 20 * time.Second

// Notify stores the notification, delivers it on every channel the recipient chose, and reports.
// A delivery is retried with backoff for up to deadline.
func Notify(ctx workflow.Context, req NotifyRequest, deadline time.Duration) (NotifyReport, error) {
	return NotifyEach(ctx, req, deadline, nil)
}

// NotifyEach is Notify that also calls delivered, if not nil, as each channel delivers: a process
// may act on the first message that reached the person without waiting for a channel still
// being retried.
func NotifyEach(ctx workflow.Context, req NotifyRequest, deadline time.Duration, delivered func(channel string)) (NotifyReport, error) {
	return notify(ctx, req, deadline, nil, delivered)
}

// NotifyWhenStored is Notify that also calls stored, if not nil, once the notification is in
// the recipient's inbox, before its deliveries: a process that tells thousands at once can bound
// how many it stores at a time without waiting on deliveries still being retried.
func NotifyWhenStored(ctx workflow.Context, req NotifyRequest, deadline time.Duration, stored func()) (NotifyReport, error) {
	return notify(ctx, req, deadline, stored, nil)
}

func notify(ctx workflow.Context, req NotifyRequest, deadline time.Duration, stored func(), delivered func(channel string)) (NotifyReport, error) {
	var n Notification
	n, err := NotifyActivity.Local(ctx, req)
	if stored != nil {
		stored()
	}
	if err != nil {
		return NotifyReport{}, err
	}
	report := NotifyReport{NotificationID: n.ID, Delivered: []string{"inapp"}}
	deliver := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		// One attempt is one SMTP conversation or gateway call; a worker that dies in one is
		// noticed after this long and the delivery tried again.
		StartToCloseTimeout:    deliveryAttemptTimeout,
		ScheduleToCloseTimeout: deadline,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 5 * time.Minute,
		},
	})
	// The channels are taken as they finish, not in order: an email that went is news at once,
	// whatever an SMS still being retried does.
	sel := workflow.NewSelector(ctx)
	var failed error
	locallyFirst := CostsLess(ctx)
	for _, ch := range n.Channels {
		d := Delivery{NotificationID: n.ID, Channel: ch}
		var delivery workflow.Future
		if locallyFirst {
			delivery = deliverFirstLocally(ctx, deliver, d, deadline)
		} else {
			delivery = DeliverActivity.Start(deliver, d).Future
		}
		sel.AddFuture(delivery, func(f workflow.Future) {
			err := f.Get(ctx, nil)
			if err == nil {
				report.Delivered = append(report.Delivered, ch)
				if delivered != nil {
					delivered(ch)
				}
				return
			}
			failure := DeliveryFailure{NotificationID: n.ID, Channel: ch, Reason: failureReason(err)}
			if _, err := DeliveryFailedActivity.Local(ctx, failure); err != nil {
				failed = err
				return
			}
			report.Failed = append(report.Failed, failure)
		})
	}
	for range n.Channels {
		sel.Select(ctx)
		if failed != nil {
			return report, failed
		}
	}
	return report, nil
}

// deliverFirstLocally tries the delivery once as a local activity, in the workflow task that
// stored the notification: most deliveries go at the first attempt, and then the server
// schedules, starts and completes no activity for them and wakes the process for none. A
// delivery whose first attempt fails with an error that a retry may mend goes on as a regular
// activity, retried with backoff until the
// deadline from now is spent. Its future is ready with the delivery's outcome.
func deliverFirstLocally(ctx, deliver workflow.Context, d Delivery, deadline time.Duration) workflow.Future {
	f, set := workflow.NewFuture(ctx)
	began := workflow.Now(ctx)
	workflow.Go(ctx, func(ctx workflow.Context) {
		_, err := DeliverActivity.Attempt(ctx, d, deliveryAttemptTimeout)
		var appErr *temporal.ApplicationError
		if err == nil || (errors.As(err, &appErr) && appErr.NonRetryable()) {
			set.Set(nil, err)
			return
		}
		left := deadline - workflow.Now(ctx).Sub(began)
		if left <= 0 {
			set.Set(nil, temporal.NewTimeoutError(enums.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE, err))
			return
		}
		retry := workflow.WithScheduleToCloseTimeout(deliver, left)
		_, err = DeliverActivity.Start(retry, d).Result(ctx)
		set.Set(nil, err)
	})
	return f
}

// failureReason says why a delivery was given up on. The activities word their errors without
// addresses or names, so the reason can be stored and shown.
func failureReason(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Message()
	}
	var timeout *temporal.TimeoutError
	if errors.As(err, &timeout) {
		return "not delivered before the delivery deadline"
	}
	return "could not be delivered"
}
