package workflows

// All lists every workflow: the worker registers them, and the replay test replays histories
// against them, so a new process cannot be left out of either.
func All() []any {
	return []any{AbsenceDay, Decision, AbsenceReported, AbsenceReview, Investigation}
}
