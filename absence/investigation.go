package absence

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// The absence investigation (utredning av frånvaro, skollagen 7 kap. 19 a §): when a pupil's
// absence repeats or is substantial, the principal must see that it is investigated at once,
// and the pupil's home municipality must be told (anmälan till hemkommunen). The principal gets
// two steps, the investigation and the report, each with a deadline; a step not done in time is
// escalated to the organiser (huvudmannen).

// InvestigationID is the business key: one investigation per pupil and calendar month.
func InvestigationID(pupilID, month string) string { return "investigation:" + pupilID + ":" + month }

// AbsencePattern is a pupil's absence in a month that calls for an investigation.
type AbsencePattern struct {
	PupilID       string
	SchoolID      string // the school unit of the pupil's latest registered lesson
	Month         string // YYYY-MM
	InvalidDays   int    // days with invalid absence
	AbsentPercent int    // valid and invalid absence, as a percentage of registered time
}

// InvestigationInput starts an investigation. Due is the time each step has.
type InvestigationInput struct {
	Pattern          AbsencePattern
	Due              time.Duration
	DeliveryDeadline time.Duration
}

// InvestigationRecord is what the record keeps of an investigation at each step.
type InvestigationRecord struct {
	ProcessID  string
	Pattern    AbsencePattern
	Status     string // InvestigationSteps: open, investigated, closed
	Conclusion string
	At         time.Time
}

var (
	// RecordInvestigationActivity records an InvestigationRecord.
	RecordInvestigationActivity = workflows.DeclareActivity[InvestigationRecord, workflows.None]("RecordInvestigation")
	// OrganiserOfActivity answers the organiser (huvudman) above a school unit, "" if none.
	OrganiserOfActivity = workflows.DeclareActivity[string, string]("OrganiserOf")
)

// Investigation runs one investigation to its end and answers its conclusion.
func Investigation(ctx workflow.Context, in InvestigationInput) (string, error) {
	tasks, err := workflows.NewTasks(ctx)
	if err != nil {
		return "", err
	}
	id := workflow.GetInfo(ctx).WorkflowExecution.ID
	p := in.Pattern
	record := func(status, conclusion string) error {
		r := InvestigationRecord{ProcessID: id, Pattern: p, Status: status, Conclusion: conclusion, At: workflow.Now(ctx)}
		_, err := RecordInvestigationActivity.Local(ctx, r)
		return err
	}
	process := workflows.Process{ID: id, Kind: "absence.investigation", SchoolID: p.SchoolID, SubjectPerson: p.PupilID}
	if _, err := workflows.RegisterProcessActivity.Local(ctx, process); err != nil {
		return "", err
	}
	if err := record(InvestigationOpen, ""); err != nil {
		return "", err
	}
	organiser, err := OrganiserOfActivity.Local(ctx, p.SchoolID)
	if err != nil {
		return "", err
	}
	var escalate []workflows.Assignee
	if organiser != "" {
		escalate = []workflows.Assignee{{Role: OrganiserRole, OrgID: organiser}}
	}
	step := func(name, kind string, field workflows.Field) (workflows.TaskOutcome, error) {
		task, err := tasks.Open(ctx, workflows.TaskSpec{
			Step: name, Kind: kind, Assignee: workflows.Assignee{Role: PrincipalRole, OrgID: p.SchoolID},
			SchoolID: p.SchoolID, SubjectPerson: p.PupilID, Expects: []workflows.Field{field},
			// The investigation is the principal's duty (7 kap. 19 a §): only a principal is given it.
			Due: in.Due, RemindBefore: in.Due / 4, EscalateTo: escalate, HeldBy: []string{PrincipalRole},
			DeliveryDeadline: in.DeliveryDeadline,
		})
		if err != nil {
			return workflows.TaskOutcome{}, err
		}
		return tasks.Await(ctx, task)
	}

	investigated, err := step("investigate", "absence.investigate",
		workflows.Field{Name: "conclusion", Type: "choice", Choices: []string{"measures-taken", "no-measures-needed"}, Required: true})
	if err != nil {
		return "", err
	}
	conclusion, _ := investigated.Payload["conclusion"].(string)
	if err := record(Investigated, conclusion); err != nil {
		return "", err
	}
	if _, err := step("report", "absence.report-home-municipality",
		workflows.Field{Name: "report", Type: "choice", Choices: []string{"reported"}, Required: true}); err != nil {
		return "", err
	}
	if err := record(InvestigationClosed, conclusion); err != nil {
		return "", err
	}
	err = workflows.Finish(ctx, tasks.Settled)
	return conclusion, err
}
