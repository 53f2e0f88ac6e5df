package grading

import "github.com/skolflow/skolflow/internal/config"

// The area's settings: durations given to each period's process as its input (the four dates
// of a period are the principal's, given when it opens).
var (
	RemindBefore = config.DeclareDuration("SKOLFLOW_GRADING_REMIND_BEFORE", "72h",
		"How long before a grading period's teacher deadline each teacher with grades missing is reminded.")
	StepDue = config.DeclareDuration("SKOLFLOW_GRADING_STEP_DUE", "72h",
		"How long a co-signer has to co-sign an uncertified teacher's grades, and the principal to decide a disagreement, before the step goes to the principal.")
)
