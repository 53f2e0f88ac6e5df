package support

import "github.com/skolflow/skolflow/internal/config"

// The area's settings: the deadlines given to each case's process as its input.
var (
	InvestigateDue = config.DeclareDuration("SKOLFLOW_SUPPORT_INVESTIGATE_DUE", "168h",
		"How long the principal has to have a pupil's need for special support investigated before it goes to the organiser's officers (promptly, skollagen 3 kap. 7 §).")
	ReplyWindow = config.DeclareDuration("SKOLFLOW_SUPPORT_REPLY_WINDOW", "168h",
		"How long the pupil's custodial guardians have to take part in the investigation before the principal may decide without them.")
	DecideDue = config.DeclareDuration("SKOLFLOW_SUPPORT_DECIDE_DUE", "336h",
		"How long the principal has to decide on an action programme after the investigation before it goes to the organiser's officers.")
)
