package grading

import (
	"time"

	"github.com/google/uuid"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/support"
	"github.com/skolflow/skolflow/workflows"
)

// The risk of a failing grade (skollagen 3 kap. 7 §): during a grading period a teacher of an
// activity flags a pupil at risk of not reaching the pass level. The pupil's custodial guardians
// are told, each on their own, and the principal gets a task to have the need for special
// support (särskilt stöd) investigated, due in a time that is data and escalated to the
// organiser's officers when not done. That task is where the documentation of special support
// (utredning, åtgärdsprogram) will begin. The flag is a record (grade_risks); the process holds
// ids and the principal's answer.

// RiskID is the business key of a flagged risk's process: the risk's record id, never a
// pupil's name or number.
func RiskID(riskID string) string { return "grade-risk:" + riskID }

// RiskInput starts a risk's process. SupportDue is the time the principal has for the task.
type RiskInput struct {
	RiskID           string
	PeriodID         string
	ActivityID       string
	PupilID          string
	SchoolID         string // the activity's school unit, whose principal has the need investigated
	FlaggedBy        string // the teacher who flagged it: the support case's signal is theirs
	SupportDue       time.Duration
	DeliveryDeadline time.Duration
	// The support case's deadlines (support's settings), for the case an investigation begins.
	SupportReplyWindow, SupportDecideDue time.Duration
}

// RiskQuery asks who takes part in a risk's process.
type RiskQuery struct {
	PupilID, SchoolID, ActivityID string
}

// RiskParties is who takes part, as the register says when the process starts.
type RiskParties struct {
	Guardians []string // the pupil's custodial guardians
	Organiser string   // the school unit's organiser (huvudman), "" if none
	Subject   string   // the activity's subject or course, as the guardians read it (not personal)
}

// RiskOutcome is the principal's answer to the support task.
type RiskOutcome struct {
	Support     string // SupportInvestigationStarted or SupportNotNeeded
	By          string // the person who answered
	SupportCase string // the support case the investigation began (support/), "" for none
}

// The answers to the support task.
const (
	SupportInvestigationStarted = "investigation-started"
	SupportNotNeeded            = "no-need"
)

// RiskPartiesActivity answers the RiskParties of a pupil's risk in an activity at a school.
var RiskPartiesActivity = workflows.DeclareActivity[RiskQuery, RiskParties]("GradeRiskParties")

// GradeRisk runs one flagged risk to the principal's answer. Its workflow type is "GradeRisk".
func GradeRisk(ctx workflow.Context, in RiskInput) (RiskOutcome, error) {
	tasks, err := workflows.NewTasks(ctx)
	if err != nil {
		return RiskOutcome{}, err
	}
	id := workflow.GetInfo(ctx).WorkflowExecution.ID
	process := workflows.Process{ID: id, Kind: "grading.risk", SchoolID: in.SchoolID, SubjectPerson: in.PupilID}
	if _, err := workflows.RegisterProcessActivity.Local(ctx, process); err != nil {
		return RiskOutcome{}, err
	}
	parties, err := RiskPartiesActivity.Local(ctx, RiskQuery{PupilID: in.PupilID, SchoolID: in.SchoolID, ActivityID: in.ActivityID})
	if err != nil {
		return RiskOutcome{}, err
	}

	// Each guardian is told on their own, through their own channels and in their language:
	// nothing about one reaches another.
	var sending workflows.Beside
	for _, g := range parties.Guardians {
		req := workflows.NotifyRequest{ProcessID: id, Recipient: g, Purpose: "grading.risk", Occasion: "flagged",
			Params: map[string]string{"pupil": in.PupilID, "subject": parties.Subject}}
		sending.Go(ctx, func(ctx workflow.Context) {
			_, _ = workflows.Notify(ctx, req, in.DeliveryDeadline)
		})
	}

	var escalate []workflows.Assignee
	if parties.Organiser != "" {
		escalate = []workflows.Assignee{{Role: dutyOrganiserOfficer, OrgID: parties.Organiser}}
	}
	// The note comes first: on a form that shows the fields in order, it is written before the
	// choice's buttons send it. Deciding that no investigation is needed must say why.
	task, err := tasks.Open(ctx, workflows.TaskSpec{
		Step: "support", Kind: "grading.support", Assignee: workflows.Assignee{Role: dutyRektor, OrgID: in.SchoolID},
		SchoolID: in.SchoolID, SubjectPerson: in.PupilID,
		Expects: []workflows.Field{
			{Name: "supportNote", Type: "text", RequiredWhen: &workflows.FieldValue{Field: "support", Value: SupportNotNeeded}},
			{Name: "support", Type: "choice", Choices: []string{SupportInvestigationStarted, SupportNotNeeded}, Required: true},
		},
		// Having the need investigated is the principal's duty (3 kap. 7 §): only a principal holds it.
		Due: in.SupportDue, RemindBefore: in.SupportDue / 4, EscalateTo: escalate, HeldBy: []string{dutyRektor},
		DeliveryDeadline: in.DeliveryDeadline,
	})
	if err != nil {
		return RiskOutcome{}, err
	}
	answer, err := tasks.Await(ctx, task)
	if err != nil {
		return RiskOutcome{}, err
	}
	out := RiskOutcome{By: answer.By}
	out.Support, _ = answer.Payload["support"].(string)
	// An investigation started is a special support case of its own (support/), begun with the
	// principal's answer: the case's process runs on after this one ends. Histories recorded
	// before it began none.
	if workflow.GetVersion(ctx, "support-case", workflow.DefaultVersion, 1) == 1 && out.Support == SupportInvestigationStarted {
		if out.SupportCase, err = beginSupportCase(ctx, in, parties, answer.By); err != nil {
			return out, err
		}
	}
	err = workflows.Finish(ctx, sending.Idle, tasks.Settled)
	return out, err
}

// beginSupportCase records the pupil's support case, signalled by the flagging teacher, and
// starts its process with the investigation begun by the principal who answered; it answers the
// case's id, derived from the risk's so that a retry begins the same case.
func beginSupportCase(ctx workflow.Context, in RiskInput, parties RiskParties, principal string) (string, error) {
	id := SupportCaseID(in.RiskID)
	n := support.NewCase{ID: id, PupilID: in.PupilID, SchoolID: in.SchoolID, SignalledBy: in.FlaggedBy,
		Concern: "Risk att inte nå godkänt betyg i " + parties.Subject + " (betygsvarning)."}
	if _, err := support.SignalActivity.Local(ctx, n); err != nil {
		return "", err
	}
	child := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{WorkflowID: support.ID(in.PupilID, id),
		ParentClosePolicy: enums.PARENT_CLOSE_POLICY_ABANDON})
	f := workflow.ExecuteChildWorkflow(child, support.Support, support.Input{CaseID: id, PupilID: in.PupilID, SchoolID: in.SchoolID,
		SignalledBy: in.FlaggedBy, InvestigationStartedBy: principal, ReplyWindow: in.SupportReplyWindow,
		DecideDue: in.SupportDecideDue, DeliveryDeadline: in.DeliveryDeadline})
	return id, f.GetChildWorkflowExecution().Get(ctx, nil)
}

// SupportCaseID is the id of the support case a risk's investigation begins.
func SupportCaseID(riskID string) string {
	return uuid.NewSHA1(supportCases, []byte(riskID)).String()
}

// supportCases is the namespace of the support cases' ids that risks begin.
var supportCases = uuid.MustParse("5e0b9b5c-6f43-4bb4-9a53-0c1e5b1f7a21")

// The duty roles the grading processes give tasks to (SS 12000 duty roles).
const (
	dutyRektor           = "Rektor"
	dutyOrganiserOfficer = "Övrig arbetsledning" // the organiser's officers, who take over what is late
)
