package ss12000

import "github.com/skolflow/skolflow/internal/config"

// The area's settings: how long a subscription lives before it is renewed, how its deliveries
// are retried, and where a subscription may have Skolflow call.
var (
	SubscriptionLifetime = config.DeclareDuration("SKOLFLOW_SUBSCRIPTION_LIFETIME", "720h",
		"How long an SS 12000 subscription lives (its expires) from when it is made or renewed (PATCH); after that its notifications wait until it is renewed.")
	DeliveryBackoff = config.DeclareDuration("SKOLFLOW_SUBSCRIPTION_BACKOFF", "5m",
		"The longest wait between two tries of a notification to an SS 12000 subscriber whose server does not take it; tries go on, with doubling waits up to this, until it does.")
	DeliveryPoll = config.DeclareDuration("SKOLFLOW_SUBSCRIPTION_POLL", "1m",
		"How often a subscription's delivery looks for changes it was not told of (a notification of the database lost while no instance listened).")
	CallbackHosts = config.DeclareList("SKOLFLOW_SUBSCRIPTION_HOSTS", "",
		"The hosts an SS 12000 subscription's callback (target) may name, separated by commas: a name, or *.domain for every name under it. Nothing else is called, so that no subscription makes Skolflow call an internal address. Empty: no subscriptions.")
)
