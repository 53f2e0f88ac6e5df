package leave

import (
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// The leave process: every other custodial guardian must agree, each through a task of their
// own; a refusal, or no answer by the deadline, ends the application. Then the mentor gives an
// opinion and the principal decides; the principal may delegate decisions on short leave to
// the mentor, but leave of more than ten school days is always the principal's decision. The
// guardians are told of the outcome. The reason a guardian gives stays in PostgreSQL; the
// process holds ids, dates and choices, and the decider's reasons, which come to it with the
// decision.

// ID is the business key of a leave application's process.
func ID(applicationID string) string { return "leave:" + applicationID }

// Input starts a leave application. The durations are data: a guardian's deadline to agree,
// and the time the mentor has for an opinion and the decider for a decision.
type Input struct {
	ApplicationID    string
	PupilID          string
	AppliedBy        string // the custodial guardian who applied: their application is their consent
	SchoolID         string // the school unit that decides
	FirstDay         string // YYYY-MM-DD
	LastDay          string // YYYY-MM-DD
	SchoolDays       int    // weekdays from FirstDay to LastDay
	AnswerDue        time.Duration
	StepDue          time.Duration
	DeliveryDeadline time.Duration
}

// Parties is who takes part, as the register says when the application starts.
type Parties struct {
	Guardians     []string // the pupil's custodial guardians
	Mentors       []string // the pupil's mentors
	MentorMaxDays int      // the school's delegation to mentors, in school days; 0: none
	// AdjoiningDays are the school days of the pupil's other leave, applied for or granted, that
	// runs on from this application's (a weekend between counts as running on): together they
	// are one leave when it comes to who decides.
	AdjoiningDays int
	// ApplicantProtected: the applicant has a protection marking. What they wrote, and the
	// decider's reasons, which may well speak of it, are told to them alone of the guardians.
	ApplicantProtected bool
}

// StatusRecord is a step of the application as the record keeps it.
type StatusRecord struct {
	ApplicationID string
	Status        Status // awaiting-decision, refused-by-guardian, expired, granted, denied
	Opinion       string // the mentor's opinion, when given
	DecidedBy     string // the person who decided, for granted and denied
	Reason        string // the decider's reasons, for granted and denied, when given
	At            time.Time
}

// Outcome is how the application ended.
type Outcome struct {
	Status    Status
	Opinion   string
	DecidedBy string
	Reason    string             // the decider's reasons, when given (trimmed); "" for none
	Decider   workflows.Assignee // who was to decide: the principal's role, or a mentor by delegation
}

// The process's activities (activities.go), by the names recorded histories carry.
var (
	// PartiesActivity answers the Parties of a pupil's application at a school.
	PartiesActivity = workflows.DeclareActivity[PartiesQuery, Parties]("LeaveParties")
	// RecordStatusActivity records a StatusRecord; granted leave becomes valid absence.
	RecordStatusActivity = workflows.DeclareActivity[StatusRecord, workflows.None]("RecordLeaveStatus")
)

// PartiesQuery asks for the parties of one application.
type PartiesQuery struct {
	PupilID, SchoolID, ApplicationID string
}

// Leave runs one application to its end. Its workflow type is "Leave".
func Leave(ctx workflow.Context, in Input) (Outcome, error) {
	tasks, err := workflows.NewTasks(ctx)
	if err != nil {
		return Outcome{}, err
	}
	l := &leave{in: in, tasks: tasks, id: workflow.GetInfo(ctx).WorkflowExecution.ID}
	out, err := l.run(ctx)
	if err != nil {
		return out, err
	}
	// The guardians' messages and every accepted Update finish before the process closes.
	err = workflows.Finish(ctx, l.sending.Idle, tasks.Settled)
	return out, err
}

type leave struct {
	in      Input
	id      string
	tasks   *workflows.Tasks
	parties Parties
	sending workflows.Beside // messages to the guardians still being delivered
}

func (l *leave) run(ctx workflow.Context) (Outcome, error) {
	var err error
	q := PartiesQuery{PupilID: l.in.PupilID, SchoolID: l.in.SchoolID, ApplicationID: l.in.ApplicationID}
	if l.parties, err = PartiesActivity.Local(ctx, q); err != nil {
		return Outcome{}, err
	}
	process := workflows.Process{ID: l.id, Kind: "leave", SchoolID: l.in.SchoolID, SubjectPerson: l.in.PupilID}
	if _, err := workflows.RegisterProcessActivity.Local(ctx, process); err != nil {
		return Outcome{}, err
	}

	if status, err := l.consent(ctx); err != nil || status != "" {
		if err == nil {
			err = l.end(ctx, Outcome{Status: status})
		}
		return Outcome{Status: status}, err
	}
	if err := l.record(ctx, StatusRecord{Status: AwaitingDecision}); err != nil {
		return Outcome{}, err
	}

	principal := workflows.Assignee{Role: "Rektor", OrgID: l.in.SchoolID}
	out := Outcome{Decider: principal}
	var escalate []workflows.Assignee
	// Who may be given the decision: the principal, and teachers only where the school delegates
	// leave this long to them; leave of more than ten school days never leaves the principal.
	delegated := Delegated(l.parties.MentorMaxDays, l.in.SchoolDays+l.parties.AdjoiningDays)
	if len(l.parties.Mentors) > 0 {
		mentor := workflows.Assignee{PersonID: l.parties.Mentors[0]}
		if delegated {
			// The mentor decides by delegation; the principal takes the decision if they do not.
			out.Decider, escalate = mentor, []workflows.Assignee{principal}
		} else {
			opinion, err := l.opinion(ctx, mentor)
			if err != nil {
				return out, err
			}
			out.Opinion = opinion
		}
	}
	// The reasons come first: on a form that shows the fields in order, they are written before
	// the decision's buttons send it. A denial must state its reasons (förvaltningslagen 32 §,
	// motivering av beslut); a grant may.
	id, err := l.open(ctx, "decide", "leave.decide", out.Decider, escalate, Deciders(delegated),
		workflows.Field{Name: "reason", Type: "text", RequiredWhen: &workflows.FieldValue{Field: "decision", Value: Denied}},
		workflows.Field{Name: "decision", Type: "choice", Choices: []string{Granted, Denied}, Required: true})
	if err != nil {
		return out, err
	}
	decision, err := l.tasks.Await(ctx, id)
	if err != nil {
		return out, err
	}
	out.Status, out.DecidedBy = Denied, decision.By
	if decision.Payload["decision"] == Granted {
		out.Status = Granted
	}
	reason, _ := decision.Payload["reason"].(string)
	out.Reason = strings.TrimSpace(reason)
	return out, l.end(ctx, out)
}

// consent asks every custodial guardian but the applicant to agree. It answers "" when all did,
// or the status that ends the application: a refusal, or a deadline passed without an answer.
// Open consent tasks are cancelled once the application ends.
func (l *leave) consent(ctx workflow.Context) (string, error) {
	var ids []string
	for _, g := range l.parties.Guardians {
		if g == l.in.AppliedBy {
			continue
		}
		id, err := l.tasks.Open(ctx, workflows.TaskSpec{
			// HeldBy stays empty: the guardian's consent is theirs alone.
			Step: "consent:" + g, Kind: "leave.consent", Assignee: workflows.Assignee{PersonID: g},
			SchoolID: l.in.SchoolID, SubjectPerson: l.in.PupilID,
			Expects:          []workflows.Field{{Name: "consent", Type: "choice", Choices: []string{"agree", "refuse"}, Required: true}},
			Due:              l.in.AnswerDue,
			RemindBefore:     l.in.AnswerDue / 3,
			DeliveryDeadline: l.in.DeliveryDeadline,
		})
		if err != nil {
			return "", err
		}
		ids = append(ids, id)
	}
	// A guardian's answer, or the cancellation of their task, closes their step.
	closed, refused := 0, false
	for _, id := range ids {
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer func() { closed++ }()
			if out, err := l.tasks.Await(ctx, id); err == nil && out.Payload["consent"] == "refuse" {
				refused = true
			}
		})
	}
	allAnswered := func() bool { return closed == len(ids) }
	inTime, err := workflows.AwaitWithTimeout(ctx, l.in.AnswerDue, func() bool { return refused || allAnswered() })
	if err != nil {
		return "", err
	}
	if inTime && !refused {
		return "", nil
	}
	for _, id := range ids {
		if err := l.tasks.Cancel(ctx, id); err != nil {
			return "", err
		}
	}
	// A refusal that came in with the deadline still counts as one.
	if err := workflow.Await(ctx, allAnswered); err != nil {
		return "", err
	}
	status := Expired
	if refused {
		status = RefusedByGuardian
	}
	return status, nil
}

// open opens a staff step's task, due in StepDue, with a reminder a quarter before.
func (l *leave) open(ctx workflow.Context, step, kind string, who workflows.Assignee, escalate []workflows.Assignee, heldBy []string, fields ...workflows.Field) (string, error) {
	return l.tasks.Open(ctx, workflows.TaskSpec{
		Step: step, Kind: kind, Assignee: who, SchoolID: l.in.SchoolID, SubjectPerson: l.in.PupilID,
		Expects: fields, Due: l.in.StepDue, RemindBefore: l.in.StepDue / 4, EscalateTo: escalate,
		HeldBy: heldBy, DeliveryDeadline: l.in.DeliveryDeadline,
	})
}

// opinion asks the mentor's opinion. It does not hold up the decision for ever: when it is due,
// the task is withdrawn and the decision is made without it ("").
func (l *leave) opinion(ctx workflow.Context, mentor workflows.Assignee) (string, error) {
	id, err := l.open(ctx, "opinion", "leave.opinion", mentor, nil, []string{"Lärare"},
		workflows.Field{Name: "opinion", Type: "choice", Choices: []string{"supports", "advises-against"}, Required: true})
	if err != nil {
		return "", err
	}
	out, given, err := l.tasks.AwaitOrWithdraw(ctx, id, l.in.StepDue, nil)
	if err != nil || !given {
		return "", err
	}
	opinion, _ := out.Payload["opinion"].(string)
	return opinion, nil
}

// end records the outcome and tells every custodial guardian, each on their own. The decider's
// reasons go with the decision to those who may read them on the application (Store.Applications):
// every guardian, unless the applicant has a protection marking; then the applicant alone.
func (l *leave) end(ctx workflow.Context, out Outcome) error {
	if err := l.record(ctx, StatusRecord{Status: out.Status, Opinion: out.Opinion, DecidedBy: out.DecidedBy, Reason: out.Reason}); err != nil {
		return err
	}
	purpose := "leave.decided"
	if out.Status == RefusedByGuardian || out.Status == Expired {
		purpose = "leave.ended"
	}
	for _, g := range l.parties.Guardians {
		req := workflows.NotifyRequest{ProcessID: l.id, Recipient: g, Purpose: purpose, Occasion: out.Status,
			Params: map[string]string{"pupil": l.in.PupilID, "from": l.in.FirstDay, "to": l.in.LastDay, "outcome": out.Status}}
		if out.Reason != "" && (g == l.in.AppliedBy || !l.parties.ApplicantProtected) {
			// The one text among the message's ids, dates and codes: a decision is told with its
			// reasons. What goes by email and SMS is still notify.Compose's to decide.
			req.Params["reason"] = out.Reason
		}
		l.sending.Go(ctx, func(ctx workflow.Context) {
			_, _ = workflows.Notify(ctx, req, l.in.DeliveryDeadline)
		})
	}
	return nil
}

func (l *leave) record(ctx workflow.Context, s StatusRecord) error {
	s.ApplicationID, s.At = l.in.ApplicationID, workflow.Now(ctx)
	_, err := RecordStatusActivity.Local(ctx, s)
	return err
}
