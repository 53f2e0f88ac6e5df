package enrollment

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// The reconsideration of an appeal (omprövning, förvaltningslagen 39 §): a guardian appeals a
// refusal in a round with the organiser, whose officers first reconsider the decision. They
// change it, or let it stand and send the appeal on to the body that tries it (AppealCourt or
// AppealBoard, by the refusal's ground). Every custodial guardian is told which. A changed
// decision offers the child the school it was refused.

// AppealID is the business key of an appeal's reconsideration.
func AppealID(appealID string) string { return "appeal:" + appealID }

// AppealInput starts an appeal's reconsideration.
type AppealInput struct {
	AppealID         string
	ChildID          string
	Organiser        string
	SchoolID         string // the school the child was refused
	Due              time.Duration
	DeliveryDeadline time.Duration
	// OfferAnswerDue is how long the guardians have to answer the offer of the school, when the
	// officers change the decision.
	OfferAnswerDue time.Duration
}

// AppealOffer asks OfferOnAppealActivity to offer the school of an appeal whose decision was
// changed.
type AppealOffer struct {
	AppealID         string
	AnswerDue        time.Duration
	DeliveryDeadline time.Duration
}

// Reconsidered is the officers' decision on an appeal, as the record keeps it.
type Reconsidered struct {
	AppealID string
	Status   string // changed or sent-on
	By       string // the officer; "" when it went on unreconsidered
	Reasons  string // why the decision stands, for sent-on
	At       time.Time
}

// The reconsideration's task kind and decisions.
const (
	KindReconsider = "placement.reconsider"
	ChangeDecision = "change"  // the organiser changes its decision
	Uphold         = "uphold"  // the decision stands; the appeal goes on
	SentOn         = "sent-on" // the appeal's status once it has gone on
	Changed        = "changed" // the appeal's status once the decision is changed
)

// defaultOfferAnswerDue is SKOLFLOW_OFFER_ANSWER_DUE's default, for an offer on an appeal whose
// input did not carry the setting.
const defaultOfferAnswerDue = 14 * 24 * time.Hour

// NotReconsidered is the reasons on record when the officers did not reconsider in time.
const NotReconsidered = "Inte omprövat i tid; överklagandet har skickats vidare."

var (
	// RecordReconsiderationActivity records the officers' decision. Idempotent.
	RecordReconsiderationActivity = workflows.DeclareActivity[Reconsidered, workflows.None]("RecordReconsideration")
	// OfferOnAppealActivity offers the child the school it was refused, once the decision is
	// changed, and starts the offer's process (offer.go). Idempotent.
	OfferOnAppealActivity = workflows.DeclareActivity[AppealOffer, workflows.None]("OfferOnAppeal")
)

// Reconsider runs an appeal's reconsideration. Its workflow type is "Reconsider".
func Reconsider(ctx workflow.Context, in AppealInput) (Reconsidered, error) {
	tasks, err := workflows.NewTasks(ctx)
	if err != nil {
		return Reconsidered{}, err
	}
	id := workflow.GetInfo(ctx).WorkflowExecution.ID
	process := workflows.Process{ID: id, Kind: "appeal", SchoolID: in.Organiser, SubjectPerson: in.ChildID}
	if _, err := workflows.RegisterProcessActivity.Local(ctx, process); err != nil {
		return Reconsidered{}, err
	}
	task, err := tasks.Open(ctx, workflows.TaskSpec{Step: "reconsider", Kind: KindReconsider,
		Assignee: workflows.Assignee{Role: dutyOfficer, OrgID: in.Organiser}, SchoolID: in.Organiser, SubjectPerson: in.ChildID,
		Expects: []workflows.Field{
			// A decision that stands goes on with its reasons (förvaltningslagen 32 §).
			{Name: "reasons", Type: "text", RequiredWhen: &workflows.FieldValue{Field: "decision", Value: Uphold}},
			{Name: "decision", Type: "choice", Choices: []string{ChangeDecision, Uphold}, Required: true}},
		Due: in.Due, RemindBefore: in.Due / 4, HeldBy: []string{dutyOfficer}, DeliveryDeadline: in.DeliveryDeadline})
	if err != nil {
		return Reconsidered{}, err
	}
	// Not reconsidered by its due date, the decision stands and the appeal goes on: it may not
	// wait on the organiser (förvaltningslagen 46 §, sent on without delay).
	answer, done, err := tasks.AwaitOrWithdraw(ctx, task, in.Due, nil)
	if err != nil {
		return Reconsidered{}, err
	}
	out := Reconsidered{AppealID: in.AppealID, Status: SentOn, At: workflow.Now(ctx), Reasons: NotReconsidered}
	if done {
		out.By, out.At = answer.By, answer.Completed
		out.Reasons, _ = answer.Payload["reasons"].(string)
		if answer.Payload["decision"] == ChangeDecision {
			out.Status = Changed
		}
	}
	if _, err := RecordReconsiderationActivity.Local(ctx, out); err != nil {
		return out, err
	}
	// A changed decision gives the child the place it was refused: its guardians are offered it,
	// and answer as any offer; accepted, it takes the child from the place it held.
	if out.Status == Changed && workflow.GetVersion(ctx, "appeal-offer", workflow.DefaultVersion, 1) == 1 {
		due := in.OfferAnswerDue
		if due <= 0 {
			due = defaultOfferAnswerDue // an appeal lodged before the input carried it
		}
		ao := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
		if _, err := OfferOnAppealActivity.Start(ao, AppealOffer{AppealID: in.AppealID, AnswerDue: due,
			DeliveryDeadline: in.DeliveryDeadline}).Result(ctx); err != nil {
			return out, err
		}
	}
	guardians, err := GuardiansActivity.Local(ctx, in.ChildID)
	if err != nil {
		return out, err
	}
	var sending workflows.Beside
	for _, g := range guardians {
		req := workflows.NotifyRequest{ProcessID: id, Recipient: g, Purpose: "appeal." + out.Status, Occasion: out.Status,
			Params: map[string]string{"pupil": in.ChildID, "school": in.SchoolID}}
		sending.Go(ctx, func(ctx workflow.Context) {
			_, _ = workflows.Notify(ctx, req, in.DeliveryDeadline)
		})
	}
	err = workflows.Finish(ctx, sending.Idle, tasks.Settled)
	return out, err
}
