package enrollment

import "github.com/skolflow/skolflow/internal/config"

// The area's settings, given to each round's process as its input.
var (
	SettleAfterClose = config.DeclareDuration("SKOLFLOW_PLACEMENT_SETTLE_AFTER_CLOSE", "5m",
		"How long after a round closes its placement waits, so that a guardian's answer given in the round's last moment is recorded before the applications are read.")
	ApproveDue = config.DeclareDuration("SKOLFLOW_PLACEMENT_APPROVE_DUE", "72h",
		"How long the organiser's officers have to review and approve a round's placement; each of them is reminded a quarter of it before it is due.")
	OfferAnswerDue = config.DeclareDuration("SKOLFLOW_OFFER_ANSWER_DUE", "336h",
		"How long each custodial guardian has to answer the offer of a place, with a reminder a third of it before; no answer by then accepts it.")
	GuaranteeWarnBefore = config.DeclareDuration("SKOLFLOW_GUARANTEE_WARN_BEFORE", "720h",
		"How long before a child's preschool guarantee date (four months after the application, or the wished start if later) the organiser's placement administrators get a task if no place is accepted; it goes to the organiser's officers on the date.")
	ReconsiderDue = config.DeclareDuration("SKOLFLOW_APPEAL_RECONSIDER_DUE", "168h",
		"How long the organiser's officers have to reconsider a placement decision a guardian appealed (omprövning) before it goes on, with a reminder a quarter of it before.")
)
