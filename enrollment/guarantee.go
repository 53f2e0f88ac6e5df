package enrollment

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// The preschool guarantee (skollagen 8 kap. 14 §): a child whose guardians apply for preschool
// must be offered a place within four months of the application, or from the day they wish if
// that is later. The process keeps the date: when no place is accepted WarnBefore ahead of it,
// the organiser's placement administrators get a task, due on the guarantee date and then the
// officers'. An accepted offer (offer.go) settles it and withdraws the task.

// GuaranteeID is the business key of a child's preschool guarantee from an application in a round.
func GuaranteeID(childID, roundID string) string { return "guarantee:" + childID + ":" + roundID }

// GuaranteeMonths is how long after the application a place must be offered (8 kap. 14 §).
const GuaranteeMonths = 4

// GuaranteeDate is the day a place must be offered by: four months after the application, or
// the wished start if later.
func GuaranteeDate(appliedOn, wishedStart time.Time) time.Time {
	due := appliedOn.AddDate(0, GuaranteeMonths, 0)
	if wishedStart.After(due) {
		return wishedStart
	}
	return due
}

// GuaranteeInput starts a child's guarantee.
type GuaranteeInput struct {
	ChildID          string
	RoundID          string
	Organiser        string
	Date             time.Time // the guarantee date, at the start of the day
	WarnBefore       time.Duration
	DeliveryDeadline time.Duration
}

// SignalPlaced is the signal an accepted preschool offer sends the child's guarantee.
const SignalPlaced = "guarantee.placed"

// GuaranteeStatus is the guarantee's state, as the record keeps it.
type GuaranteeStatus struct {
	ChildID, RoundID string
	Status           string // warned, placed or handled
	At               time.Time
}

// The guarantee's task kind.
const KindGuarantee = "preschool.guarantee"

// dutyAdministrator is the duty role of the organiser's placement administrators.
const dutyAdministrator = "Skoladministratör"

// RecordGuaranteeActivity records where a guarantee stands. Idempotent.
var RecordGuaranteeActivity = workflows.DeclareActivity[GuaranteeStatus, workflows.None]("RecordGuarantee")

// Guarantee keeps a child's preschool guarantee. Its workflow type is "Guarantee".
func Guarantee(ctx workflow.Context, in GuaranteeInput) (string, error) {
	tasks, err := workflows.NewTasks(ctx)
	if err != nil {
		return "", err
	}
	id := workflow.GetInfo(ctx).WorkflowExecution.ID
	process := workflows.Process{ID: id, Kind: "guarantee", SchoolID: in.Organiser, SubjectPerson: in.ChildID}
	if _, err := workflows.RegisterProcessActivity.Local(ctx, process); err != nil {
		return "", err
	}
	placed := false
	signals := workflow.GetSignalChannel(ctx, SignalPlaced)
	workflow.Go(ctx, func(ctx workflow.Context) {
		signals.Receive(ctx, nil)
		placed = true
	})
	record := func(status string) (string, error) {
		_, err := RecordGuaranteeActivity.Local(ctx, GuaranteeStatus{ChildID: in.ChildID, RoundID: in.RoundID, Status: status, At: workflow.Now(ctx)})
		return status, err
	}

	if _, err := workflows.AwaitUntil(ctx, in.Date.Add(-in.WarnBefore), func() bool { return placed }); err != nil {
		return "", err
	}
	if placed {
		return record("placed")
	}
	if _, err := record("warned"); err != nil {
		return "", err
	}
	// Due on the guarantee date; one already passed is due at once.
	due := max(in.Date.Sub(workflow.Now(ctx)), time.Second)
	task, err := tasks.Open(ctx, workflows.TaskSpec{Step: "guarantee", Kind: KindGuarantee,
		Assignee: workflows.Assignee{Role: dutyAdministrator, OrgID: in.Organiser}, SchoolID: in.Organiser, SubjectPerson: in.ChildID,
		Expects: []workflows.Field{{Name: "note", Type: "text", Required: true}},
		Due:     due, EscalateTo: []workflows.Assignee{{Role: dutyOfficer, OrgID: in.Organiser}},
		HeldBy: []string{dutyAdministrator, dutyOfficer}, DeliveryDeadline: in.DeliveryDeadline})
	if err != nil {
		return "", err
	}
	// A place accepted withdraws the task; an administrator who closes it says how it was handled.
	_, done, err := tasks.AwaitOrWithdraw(ctx, task, 0, func() bool { return placed })
	if err != nil {
		return "", err
	}
	status := "placed"
	if done && !placed {
		status = "handled"
	}
	if _, err := record(status); err != nil {
		return "", err
	}
	return status, workflows.Finish(ctx, tasks.Settled)
}
