package absence

import "github.com/skolflow/skolflow/internal/config"

// The area's settings: the absence day's timings, and the daily review's time and thresholds.
// They are data, given to each process as its input.
var (
	NoticeWindow = config.DeclareDuration("SKOLFLOW_ABSENCE_NOTICE_WINDOW", "10m",
		"How long the absence process collects further lessons before it writes the guardians' notice.")
	DayLength = config.DeclareDuration("SKOLFLOW_ABSENCE_DAY_LENGTH", "12h",
		"How long after the first absence a pupil's absence day stays open for follow-up notices.")
	TaskDue = config.DeclareDuration("SKOLFLOW_ABSENCE_TASK_DUE", "24h",
		"How long a mentor has for a task of the absence day (classify an absence a guardian answered, reach guardians nobody reached), before the principal gets it.")
	ReachCutoff = config.DeclareClock("SKOLFLOW_ABSENCE_REACH_CUTOFF", "15:00",
		"Time of day (Europe/Stockholm) by which a custodial guardian must have been reached with the day's absence notice; if none was, the pupil's mentor gets a task to reach them.")

	// The absence investigation (skollagen 7 kap. 19 a §): when the daily review runs, what
	// opens an investigation, and how long the principal has.
	ReviewAt = config.DeclareClock("SKOLFLOW_ABSENCE_REVIEW_AT", "18:00",
		"Time of day (Europe/Stockholm) the daily absence review runs and opens investigations.")
	InvestigationShare = config.DeclareNumber("SKOLFLOW_INVESTIGATION_SHARE", "10",
		"Percent of scheduled time absent in a calendar month (valid and invalid absence together) that opens an absence investigation.", 1, 100)
	InvestigationRepeats = config.DeclareNumber("SKOLFLOW_INVESTIGATION_REPEATS", "3",
		"Days with invalid absence in a calendar month that open an absence investigation.", 1, 31)
	InvestigationDue = config.DeclareDuration("SKOLFLOW_INVESTIGATION_DUE", "168h",
		"How long the principal has for each step of an absence investigation before it is escalated to the organiser (huvudman).")
)
