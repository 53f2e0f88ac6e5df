package grading

import "github.com/skolflow/skolflow/internal/config"

// The settings of the risk and correction processes: how long the principal has to have the
// need for special support investigated, and how long the pupil and the guardians have to be
// heard before a Rättelse. They are data, given to each process as its input.
var (
	SupportDue = config.DeclareDuration("SKOLFLOW_GRADING_SUPPORT_DUE", "168h",
		"How long the principal has to have the need for special support investigated after a teacher flags a pupil at risk of a failing grade, before it is escalated to the organiser (huvudman).")
	HearingWindow = config.DeclareDuration("SKOLFLOW_GRADING_HEARING_WINDOW", "240h",
		"How long the pupil and each custodial guardian have to be heard before the principal corrects a grade (Rättelse); a hearing not answered in time is withdrawn.")
)
