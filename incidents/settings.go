package incidents

import "github.com/skolflow/skolflow/internal/config"

// The area's settings: each step's deadline, given to each incident's process as its input.
var (
	AcknowledgeDue = config.DeclareDuration("SKOLFLOW_INCIDENT_ACKNOWLEDGE_DUE", "24h",
		"How long the principal has to acknowledge a report of degrading treatment before it goes to the organiser's officers, and never past the end of the day it is reported (the default: the same day).")
	ReportDue = config.DeclareDuration("SKOLFLOW_INCIDENT_REPORT_DUE", "48h",
		"How long the principal has, after acknowledging, to report an incident to the organiser (huvudman).")
	InvestigateDue = config.DeclareDuration("SKOLFLOW_INCIDENT_INVESTIGATE_DUE", "336h",
		"How long the investigation of an incident may take once reported to the organiser.")
	MeasuresDue = config.DeclareDuration("SKOLFLOW_INCIDENT_MEASURES_DUE", "168h",
		"How long after the investigation the measures taken must be documented.")
	FollowUpAfter = config.DeclareDuration("SKOLFLOW_INCIDENT_FOLLOW_UP_AFTER", "720h",
		"How long after the measures the principal follows them up; the follow-up is due as long again.")
)
