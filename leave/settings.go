package leave

import "github.com/skolflow/skolflow/internal/config"

// The area's settings: how long each step of an application may wait. They are data, given to
// each process as its input.
var (
	AnswerDue = config.DeclareDuration("SKOLFLOW_LEAVE_ANSWER_DUE", "72h",
		"How long each custodial guardian has to agree to a leave application; no answer in time ends it.")
	StepDue = config.DeclareDuration("SKOLFLOW_LEAVE_STEP_DUE", "120h",
		"How long the mentor has to give an opinion on a leave application, and the decider to decide, before the step moves on (opinion) or is escalated (decision).")
)
