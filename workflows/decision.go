package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"
)

// Decision is the smallest process on the task machinery: one person, or whoever holds a role in
// a school, decides about a pupil, within a deadline that reminds and then escalates. It is the
// machinery's reference: the task tests and the task-completion benchmark drive it. Larger
// processes (leave, the investigation) open their tasks on the same machinery directly rather
// than run it as a child.

// DecisionID is the business key of a decision: its kind, the pupil and the parent's own key.
func DecisionID(kind, pupilID, key string) string {
	return "decision:" + kind + ":" + pupilID + ":" + key
}

// DecisionInput says who decides what about whom, and by when.
type DecisionInput struct {
	Kind         string   // e.g. "leave.decide"
	SchoolID     string   // the pupil's school unit
	PupilID      string   // the pupil the decision is about
	DecidedBy    Assignee // a person, or a role in the school (e.g. Rektor)
	Choices      []string // the decisions to choose from, e.g. granted, refused
	Due          time.Duration
	RemindBefore time.Duration
	EscalateTo   []Assignee
	HeldBy       []string // the duty roles in the school that may be given the decision (TaskSpec.HeldBy)
	// DeliveryDeadline bounds the retries of each notification to a person assignee.
	DeliveryDeadline time.Duration
}

// Decision opens the task, waits for it, and returns the decision.
func Decision(ctx workflow.Context, in DecisionInput) (TaskOutcome, error) {
	tasks, err := NewTasks(ctx)
	if err != nil {
		return TaskOutcome{}, err
	}
	id := workflow.GetInfo(ctx).WorkflowExecution.ID
	process := Process{ID: id, Kind: in.Kind, SchoolID: in.SchoolID, SubjectPerson: in.PupilID}
	if _, err := RegisterProcessActivity.Local(ctx, process); err != nil {
		return TaskOutcome{}, err
	}
	task, err := tasks.Open(ctx, TaskSpec{
		Step:          "decide",
		Kind:          in.Kind,
		Assignee:      in.DecidedBy,
		SchoolID:      in.SchoolID,
		SubjectPerson: in.PupilID,
		// Free text stays out: it would live in the workflow's history. A motivation written by
		// a person belongs in the record, kept in PostgreSQL.
		Expects: []Field{
			{Name: "decision", Type: "choice", Choices: in.Choices, Required: true},
		},
		Due:              in.Due,
		RemindBefore:     in.RemindBefore,
		EscalateTo:       in.EscalateTo,
		HeldBy:           in.HeldBy,
		DeliveryDeadline: in.DeliveryDeadline,
	})
	if err != nil {
		return TaskOutcome{}, err
	}
	out, err := tasks.Await(ctx, task)
	if err != nil {
		return TaskOutcome{}, err
	}
	// Let every accepted Update and every notification finish before the process closes.
	err = Finish(ctx, tasks.Settled)
	return out, err
}
