// Package support is the area of special support (särskilt stöd, skollagen 3 kap.): a teacher or
// mentor signals that a pupil may need it; the principal has the need investigated, promptly;
// the pupil's guardians are given the chance to take part; the principal decides to draw up an
// action programme (åtgärdsprogram) or not to, a decision the principal cannot delegate; the
// guardians are told, with how to appeal; and a programme is followed up and evaluated on its
// dates. The investigation and the decision are documents of the documents area, signed once and
// chained by their hashes.
package support

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/workflows"
)

// ID is the business key of a support case's process: the pupil's and the case's record ids,
// never a name or a civic number.
func ID(pupilID, caseID string) string { return "support:" + pupilID + ":" + caseID }

// Input starts a case's process. The deadlines are data; the follow-up and evaluation dates are
// the action programme's own.
type Input struct {
	CaseID      string
	PupilID     string
	SchoolID    string
	SignalledBy string
	// InvestigationStartedBy is the principal who has already had the need investigated, when
	// the case begins from their answer elsewhere (the grading period's risk of a failing
	// grade): the process begins the investigation at once. "" for a case begun by a signal.
	InvestigationStartedBy string
	InvestigateDue         time.Duration
	ReplyWindow            time.Duration
	DecideDue              time.Duration
	DeliveryDeadline       time.Duration
}

// Parties is who takes part, as the register says when the process starts.
type Parties struct {
	Guardians []string // the pupil's custodial guardians
	Mentor    string   // the pupil's first mentor, who follows a programme up; "" for none
	Organiser string   // the school unit's organiser, whose officers take over what is late; "" for none
}

// Investigation is the investigation document the process begins for the case.
type Investigation struct {
	CaseID string
	By     []string // its staff: the principal who had it started, and whoever signalled the need
}

// Decision is the principal's decision as the case's record holds it.
type Decision struct {
	Kind       string // action-programme or no-programme-decision
	FollowUp   string // YYYY-MM-DD, for a programme
	Evaluation string // YYYY-MM-DD, for a programme
}

// Outcome is how the case's process ended.
type Outcome struct {
	Investigation string // the investigation document's id
	Decision      string // the decision's kind
	Participated  int    // the pupil and guardians who took part
}

// The process's activities (activities.go), by the names recorded histories carry.
var (
	PartiesActivity = workflows.DeclareActivity[Input, Parties]("SupportParties")
	// SignalActivity records a case begun by another process (the risk of a failing grade), once.
	SignalActivity = workflows.DeclareActivity[NewCase, workflows.None]("SignalSupportNeed")
	// BeginInvestigationActivity begins the case's investigation document, once, and answers its id.
	BeginInvestigationActivity = workflows.DeclareActivity[Investigation, string]("BeginSupportInvestigation")
	// DecisionActivity answers the decision the decision's route recorded for the case.
	DecisionActivity = workflows.DeclareActivity[string, Decision]("SupportDecision")
)

// The tasks' kinds and steps.
const (
	KindInvestigate = "support.investigate" // the principal has the need investigated
	KindParticipate = "support.participate" // a guardian takes part
	KindDecide      = "support.decide"      // the principal decides
	KindFollowUp    = "support.follow-up"   // the mentor follows the programme up
	KindEvaluate    = "support.evaluate"    // and evaluates it
	// StepDecide is the decision task's step: the decision's route finds it by it.
	StepDecide = "decide"
)

// Support runs one case. Its workflow type is "Support".
func Support(ctx workflow.Context, in Input) (Outcome, error) {
	tasks, err := workflows.NewTasks(ctx)
	if err != nil {
		return Outcome{}, err
	}
	id := workflow.GetInfo(ctx).WorkflowExecution.ID
	process := workflows.Process{ID: id, Kind: "support", SchoolID: in.SchoolID, SubjectPerson: in.PupilID}
	if _, err := workflows.RegisterProcessActivity.Local(ctx, process); err != nil {
		return Outcome{}, err
	}
	parties, err := PartiesActivity.Local(ctx, in)
	if err != nil {
		return Outcome{}, err
	}
	var escalate []workflows.Assignee
	if parties.Organiser != "" {
		escalate = []workflows.Assignee{{Role: dutyOrganiserOfficer, OrgID: parties.Organiser}}
	}
	principal := workflows.Assignee{Role: dutyRektor, OrgID: in.SchoolID}
	var out Outcome

	// The principal has the need investigated (3 kap. 7 §), unless they have already said so.
	startedBy := in.InvestigationStartedBy
	if startedBy == "" {
		task, err := tasks.Open(ctx, workflows.TaskSpec{Step: "investigate", Kind: KindInvestigate, Assignee: principal,
			SchoolID: in.SchoolID, SubjectPerson: in.PupilID, Expects: []workflows.Field{{Name: "note", Type: "text"}},
			Due: in.InvestigateDue, EscalateTo: escalate, HeldBy: []string{dutyRektor}, DeliveryDeadline: in.DeliveryDeadline})
		if err != nil {
			return out, err
		}
		started, err := tasks.Await(ctx, task)
		if err != nil {
			return out, err
		}
		startedBy = started.By
	}
	if out.Investigation, err = BeginInvestigationActivity.Local(ctx, Investigation{CaseID: in.CaseID,
		By: []string{startedBy, in.SignalledBy}}); err != nil {
		return out, err
	}

	// The pupil and the guardians are given the chance to take part (3 kap. 9 §), each on their
	// own, within the reply window; the decision does not wait for them beyond it.
	var replies workflows.Beside
	for _, g := range append([]string{in.PupilID}, parties.Guardians...) {
		replies.Go(ctx, func(ctx workflow.Context) {
			task, err := tasks.Open(ctx, workflows.TaskSpec{Step: "participate:" + g, Kind: KindParticipate,
				Assignee: workflows.Assignee{PersonID: g}, SchoolID: in.SchoolID, SubjectPerson: in.PupilID,
				Expects: []workflows.Field{{Name: "views", Type: "text"},
					{Name: "participate", Type: "choice", Choices: []string{"yes", "no"}, Required: true}},
				Due: in.ReplyWindow, DeliveryDeadline: in.DeliveryDeadline})
			if err != nil {
				return
			}
			answer, done, err := tasks.AwaitOrWithdraw(ctx, task, in.ReplyWindow, nil)
			if err == nil && done && answer.Payload["participate"] == "yes" {
				out.Participated++
			}
		})
	}
	if err := workflow.Await(ctx, replies.Idle); err != nil {
		return out, err
	}

	// The principal decides, and signs the decision in the documents area; the decision's route
	// records it for the case and completes this task. No one else may hold it (3 kap. 9 §,
	// 11 §).
	task, err := tasks.Open(ctx, workflows.TaskSpec{Step: StepDecide, Kind: KindDecide, Assignee: principal,
		SchoolID: in.SchoolID, SubjectPerson: in.PupilID, Expects: []workflows.Field{{Name: "decision", Type: "record", Required: true}},
		Due: in.DecideDue, EscalateTo: escalate, HeldBy: []string{dutyRektor}, DeliveryDeadline: in.DeliveryDeadline})
	if err != nil {
		return out, err
	}
	if _, err := tasks.Await(ctx, task); err != nil {
		return out, err
	}
	decision, err := DecisionActivity.Local(ctx, in.CaseID)
	if err != nil {
		return out, err
	}
	out.Decision = decision.Kind

	// The guardians are told, each on their own, with how to appeal.
	var sending workflows.Beside
	for _, g := range parties.Guardians {
		req := workflows.NotifyRequest{ProcessID: id, Recipient: g, Purpose: "support.decided", Occasion: decision.Kind,
			Params: map[string]string{"pupil": in.PupilID, "decision": decision.Kind}}
		sending.Go(ctx, func(ctx workflow.Context) {
			_, _ = workflows.Notify(ctx, req, in.DeliveryDeadline)
		})
	}

	// A programme is followed up and evaluated on its dates, by the mentor (the principal's role
	// when the pupil has none).
	if decision.Kind == "action-programme" {
		follower := principal
		if parties.Mentor != "" {
			follower = workflows.Assignee{PersonID: parties.Mentor}
		}
		for _, s := range []struct{ step, kind, date string }{
			{"follow-up", KindFollowUp, decision.FollowUp}, {"evaluate", KindEvaluate, decision.Evaluation},
		} {
			if err := workflow.Sleep(ctx, untilDate(ctx, s.date)); err != nil {
				return out, err
			}
			task, err := tasks.Open(ctx, workflows.TaskSpec{Step: s.step, Kind: s.kind, Assignee: follower,
				SchoolID: in.SchoolID, SubjectPerson: in.PupilID, Expects: []workflows.Field{{Name: "notes", Type: "text", Required: true}},
				HeldBy: []string{dutyRektor, "Lärare", "Speciallärare/specialpedagog"}, DeliveryDeadline: in.DeliveryDeadline})
			if err != nil {
				return out, err
			}
			if _, err := tasks.Await(ctx, task); err != nil {
				return out, err
			}
		}
	}
	err = workflows.Finish(ctx, sending.Idle, tasks.Settled)
	return out, err
}

// untilDate is the time from now to the start of date (YYYY-MM-DD) in the schools' time zone;
// zero for a date that has come.
func untilDate(ctx workflow.Context, date string) time.Duration {
	d, err := time.ParseInLocation(time.DateOnly, date, register.SchoolDay)
	if err != nil {
		return 0
	}
	return max(0, d.Sub(workflow.Now(ctx)))
}

// The duty roles the process's tasks go to (SS 12000 duty roles).
const (
	dutyRektor           = "Rektor"
	dutyOrganiserOfficer = "Övrig arbetsledning"
)
