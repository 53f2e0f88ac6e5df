// Package incidents is the area of degrading treatment (kränkande behandling, skollagen 6 kap.
// 10 §): a staff member who learns that a pupil may have been subjected to it reports to the
// principal, the principal reports to the organiser (huvudman), and the organiser has it
// investigated and takes measures, each step promptly. Each step is a task with a deadline that
// goes to the organiser's officers when it passes, and each step's deadline and the time it was
// met are on record: the proof the Schools Inspectorate asks for.
package incidents

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// ID is the business key of an incident's process: the report's record id, never a pupil's
// name or number.
func ID(incidentID string) string { return "incident:" + incidentID }

// Input starts an incident's process. Every deadline is data: the handler gives them from the
// settings (settings.go), tests in seconds.
type Input struct {
	IncidentID       string
	SchoolID         string // the school unit whose principal takes the report
	AcknowledgeDue   time.Duration
	ReportDue        time.Duration
	InvestigateDue   time.Duration
	MeasuresDue      time.Duration
	FollowUpAfter    time.Duration // the follow-up opens this long after the measures, due as long again
	DeliveryDeadline time.Duration
}

// Parties is who takes part, as the register says when the process starts.
type Parties struct {
	// Told are the custodial guardians of the pupils concerned, each with their own child: a
	// family is told of its own child only, never who the other party is.
	Told      []GuardianOf
	Organiser string // the school unit's organiser (huvudman), whose officers take over what is late; "" if none
}

// GuardianOf is a custodial guardian and the child of theirs an incident concerns.
type GuardianOf struct {
	Guardian, Pupil string
}

// StepRecord is a step of an incident as the record keeps it: opened with its deadline, or
// done by a person at a time.
type StepRecord struct {
	IncidentID string
	Step       string
	OpenedAt   time.Time
	DueAt      time.Time
	DoneAt     time.Time // zero while open
	DoneBy     string
}

// Outcome is how the incident's process ended: who did each step.
type Outcome struct {
	DoneBy map[string]string // step: person
}

// The process's activities (activities.go), by the names recorded histories carry.
var (
	// PartiesActivity answers the Parties of an incident.
	PartiesActivity = workflows.DeclareActivity[string, Parties]("IncidentParties")
	// RecordStepActivity records a StepRecord. Idempotent.
	RecordStepActivity = workflows.DeclareActivity[StepRecord, workflows.None]("RecordIncidentStep")
)

// The steps, in order, and the duty roles that may hold them.
const (
	StepAcknowledge = "acknowledge" // the principal acknowledges the report
	StepReport      = "report"      // the principal reports to the organiser
	StepInvestigate = "investigate" // the investigation, assigned by the principal
	StepMeasures    = "measures"    // the measures taken, documented
	StepFollowUp    = "follow-up"   // the measures followed up
)

// Incident runs one report of degrading treatment through its steps. Its workflow type is
// "Incident".
func Incident(ctx workflow.Context, in Input) (Outcome, error) {
	tasks, err := workflows.NewTasks(ctx)
	if err != nil {
		return Outcome{}, err
	}
	id := workflow.GetInfo(ctx).WorkflowExecution.ID
	// No subject person: the history is read by those who took part and the principal, never by
	// a family, which would see the other party in it.
	process := workflows.Process{ID: id, Kind: "incident", SchoolID: in.SchoolID}
	if _, err := workflows.RegisterProcessActivity.Local(ctx, process); err != nil {
		return Outcome{}, err
	}
	parties, err := PartiesActivity.Local(ctx, in.IncidentID)
	if err != nil {
		return Outcome{}, err
	}
	var sending workflows.Beside
	for _, g := range parties.Told {
		req := workflows.NotifyRequest{ProcessID: id, Recipient: g.Guardian, Purpose: "incident.reported", Occasion: g.Pupil,
			Params: map[string]string{"pupil": g.Pupil}}
		sending.Go(ctx, func(ctx workflow.Context) {
			_, _ = workflows.Notify(ctx, req, in.DeliveryDeadline)
		})
	}

	i := incident{in: in, tasks: tasks, out: Outcome{DoneBy: map[string]string{}}}
	if parties.Organiser != "" {
		i.escalate = []workflows.Assignee{{Role: dutyOrganiserOfficer, OrgID: parties.Organiser}}
	}
	steps := []struct {
		step    string
		due     time.Duration
		expects []workflows.Field
		holders []string
	}{
		{StepAcknowledge, in.AcknowledgeDue, []workflows.Field{{Name: "note", Type: "text"}}, []string{dutyRektor}},
		{StepReport, in.ReportDue, []workflows.Field{{Name: "organiserReport", Type: "text", Required: true}}, []string{dutyRektor}},
		// The principal assigns the investigation by handing the task to a member of the staff.
		{StepInvestigate, in.InvestigateDue, []workflows.Field{
			{Name: "findings", Type: "text", Required: true},
			{Name: "degrading", Type: "choice", Choices: []string{"yes", "no"}, Required: true},
		}, investigators},
		{StepMeasures, in.MeasuresDue, []workflows.Field{{Name: "measures", Type: "text", Required: true}}, investigators},
	}
	for _, s := range steps {
		if err := i.step(ctx, s.step, s.due, s.expects, s.holders); err != nil {
			return i.out, err
		}
	}
	if err := workflow.Sleep(ctx, in.FollowUpAfter); err != nil {
		return i.out, err
	}
	if err := i.step(ctx, StepFollowUp, in.FollowUpAfter, []workflows.Field{{Name: "evaluation", Type: "text", Required: true}},
		[]string{dutyRektor}); err != nil {
		return i.out, err
	}
	err = workflows.Finish(ctx, sending.Idle, tasks.Settled)
	return i.out, err
}

type incident struct {
	in       Input
	tasks    *workflows.Tasks
	escalate []workflows.Assignee
	out      Outcome
}

// step opens the step's task for the principal, records its deadline, waits for it (escalated
// to the organiser's officers when the deadline passes) and records when and by whom it was done.
func (i *incident) step(ctx workflow.Context, step string, due time.Duration, expects []workflows.Field, holders []string) error {
	opened := workflow.Now(ctx)
	task, err := i.tasks.Open(ctx, workflows.TaskSpec{
		Step: step, Kind: "incident." + step, Assignee: workflows.Assignee{Role: dutyRektor, OrgID: i.in.SchoolID},
		SchoolID: i.in.SchoolID, Expects: expects, Due: due, EscalateTo: i.escalate, HeldBy: holders,
		DeliveryDeadline: i.in.DeliveryDeadline,
	})
	if err != nil {
		return err
	}
	record := StepRecord{IncidentID: i.in.IncidentID, Step: step, OpenedAt: opened, DueAt: opened.Add(due)}
	if _, err := RecordStepActivity.Local(ctx, record); err != nil {
		return err
	}
	answer, err := i.tasks.Await(ctx, task)
	if err != nil {
		return err
	}
	record.DoneAt, record.DoneBy = answer.Completed, answer.By
	i.out.DoneBy[step] = answer.By
	_, err = RecordStepActivity.Local(ctx, record)
	return err
}

// The duty roles the incident's tasks go to (SS 12000 duty roles).
const (
	dutyRektor           = "Rektor"
	dutyOrganiserOfficer = "Övrig arbetsledning" // the organiser's officers, who take over what is late
)

// investigators are the roles an investigation may be handed to.
var investigators = []string{dutyRektor, "Kurator", "Speciallärare/specialpedagog", "Skolpsykolog", "Lärare"}
