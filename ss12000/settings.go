package ss12000

import "github.com/skolflow/skolflow/internal/config"

// The area's settings: how long a subscription lives before it is renewed, how its deliveries
// are retried, where a subscription may have Skolflow call, and the sync from a source register.
var (
	SubscriptionLifetime = config.DeclareDuration("SKOLFLOW_SUBSCRIPTION_LIFETIME", "720h",
		"How long an SS 12000 subscription lives (its expires) from when it is made or renewed (PATCH); after that its notifications wait until it is renewed.")
	DeliveryBackoff = config.DeclareDuration("SKOLFLOW_SUBSCRIPTION_BACKOFF", "5m",
		"The longest wait between two tries of a notification to an SS 12000 subscriber whose server does not take it; tries go on, with doubling waits up to this, until it does.")
	DeliveryPoll = config.DeclareDuration("SKOLFLOW_SUBSCRIPTION_POLL", "1m",
		"How often a subscription's delivery looks for changes it was not told of (a notification of the database lost while no instance listened).")
	CallbackHosts = config.DeclareList("SKOLFLOW_SUBSCRIPTION_HOSTS", "",
		"The hosts an SS 12000 subscription's callback (target) may name, separated by commas: a name, or *.domain for every name under it. Nothing else is called, so that no subscription makes Skolflow call an internal address. Empty: no subscriptions.")

	// The sync from a source register (sync.go): by `skolflow sync`, and by a schedule when
	// SKOLFLOW_SYNC_FROM is set.
	SyncFrom = config.DeclareText("SKOLFLOW_SYNC_FROM", "",
		"The SS 12000 server (its base URL, such as https://register.example/ss12000/v2.1) the register is synced from on a schedule; empty: no scheduled sync (`skolflow sync --from URL` runs one).")
	SyncEvery = config.DeclareDuration("SKOLFLOW_SYNC_EVERY", "15m",
		"How often the scheduled sync from SKOLFLOW_SYNC_FROM runs; each run reads what changed since the last.")
	SyncTokenURL = config.DeclareText("SKOLFLOW_SYNC_TOKEN_URL", "",
		"The token endpoint of the source register's OAuth 2.0 issuer, where the sync gets its token with client credentials.")
	SyncClientID = config.DeclareText("SKOLFLOW_SYNC_CLIENT_ID", "",
		"The sync's client id at the source register (granted every resource, and persons with a protection marking).")
	SyncClientSecret = config.DeclareText("SKOLFLOW_SYNC_CLIENT_SECRET", "",
		"The sync's client secret at the source register's issuer.")
)
