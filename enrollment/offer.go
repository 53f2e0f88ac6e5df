package enrollment

import (
	"strconv"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// The offer process: a child placed in a published round is offered the place, and each
// custodial guardian answers, accept or decline, through a task of their own with a deadline.
// With joint custody the guardians decide together, and the place is what they applied for
// together: it is declined only when every custodial guardian declines it, and one acceptance,
// or no answer by the deadline, accepts it. An accepted place is
// written to the register; a declined one frees the seat for the waiting list. An offer from the
// waiting list or an appeal is answered alike, but for a child holding a place no answer keeps
// that place: only an acceptance takes the child from it, and frees its seat. Every guardian is
// told how it ended.

// OfferID is the business key of a child's offer in a round.
func OfferID(childID, roundID string) string { return "offer:" + childID + ":" + roundID }

// WaitingOfferID is the business key of a child's offer from a pass (1 and up) of the round's
// waiting list (waiting_list.go), and AppealOfferID of its offer on a decision changed on appeal
// (appeal.go). Neither names the school: where a child may go is not for every reader of the
// engine's lists and logs.
func WaitingOfferID(childID, roundID string, pass int) string {
	return OfferID(childID, roundID) + ":" + strconv.Itoa(pass)
}

// AppealOfferID: see WaitingOfferID.
func AppealOfferID(childID, roundID, appealID string) string {
	return OfferID(childID, roundID) + ":appeal:" + appealID
}

// OfferInput starts a child's offer.
type OfferInput struct {
	RoundID          string
	ChildID          string
	SchoolID         string // the school offered
	Organiser        string // the round's organiser, whose officers answer for a child with no custodial guardian
	AnswerDue        time.Duration
	DeliveryDeadline time.Duration
	// Guarantee is the child's preschool guarantee to tell of an accepted place (GuaranteeID),
	// "" for a school place.
	Guarantee string
	// Holds tells that the child holds a place of the round already (the offer is from the
	// waiting list or an appeal): with no answer it keeps that place, declining this one.
	Holds bool
}

// The offer task's kind and answers.
const (
	KindAnswer = "offer.answer"
	Accept     = "accept"
	Decline    = "decline"
)

// The offer's statuses.
const (
	Offered  = "offered"
	Accepted = "accepted"
	Declined = "declined"
)

// OfferAnswer is a guardian's answer to an offer, as the record keeps it.
type OfferAnswer struct {
	RoundID, ChildID, School, Guardian string
	Answer                             string // accept or decline
	At                                 time.Time
}

// OfferSettled is how an offer ended, for the record (and the register, when accepted).
type OfferSettled struct {
	RoundID, ChildID, School string
	Status                   string // accepted or declined
	At                       time.Time
}

// OfferOutcome is how the offer ended.
type OfferOutcome struct {
	Status   string
	Answered int // the guardians who answered in time
}

// The process's activities (activities.go), by the names recorded histories carry.
var (
	// RecordOfferAnswerActivity records a guardian's answer. Idempotent.
	RecordOfferAnswerActivity = workflows.DeclareActivity[OfferAnswer, workflows.None]("RecordOfferAnswer")
	// SettleOfferActivity records how the offer ended and, for an accepted place, writes the
	// child's enrolment (or preschool placement) to the register. Idempotent.
	SettleOfferActivity = workflows.DeclareActivity[OfferSettled, workflows.None]("SettleOffer")
)

// Offer runs a child's offer to its answer. Its workflow type is "Offer".
func Offer(ctx workflow.Context, in OfferInput) (OfferOutcome, error) {
	tasks, err := workflows.NewTasks(ctx)
	if err != nil {
		return OfferOutcome{}, err
	}
	id := workflow.GetInfo(ctx).WorkflowExecution.ID
	// The process is the organiser's: where a child will go is for its guardians and the
	// organiser, not for the staff of the school it attends now, who may read its processes.
	process := workflows.Process{ID: id, Kind: "offer", SchoolID: in.Organiser, SubjectPerson: in.ChildID}
	if _, err := workflows.RegisterProcessActivity.Local(ctx, process); err != nil {
		return OfferOutcome{}, err
	}
	guardians, err := GuardiansActivity.Local(ctx, in.ChildID)
	if err != nil {
		return OfferOutcome{}, err
	}
	// Each custodial guardian answers; a child with none in the register (in the care of the
	// social services, say) is answered for by the organiser's officers, never taken unasked.
	answerers := make([]workflows.Assignee, 0, len(guardians))
	for _, g := range guardians {
		answerers = append(answerers, workflows.Assignee{PersonID: g})
	}
	var heldBy []string // a guardian's acceptance is theirs alone
	if len(answerers) == 0 && in.Organiser != "" {
		answerers, heldBy = []workflows.Assignee{{Role: dutyOfficer, OrgID: in.Organiser}}, []string{dutyOfficer}
	}
	var ids []string
	for _, who := range answerers {
		task, err := tasks.Open(ctx, workflows.TaskSpec{Step: "answer:" + who.PersonID + who.Role, Kind: KindAnswer, Assignee: who,
			SchoolID: in.SchoolID, SubjectPerson: in.ChildID, HeldBy: heldBy,
			Expects: []workflows.Field{{Name: "answer", Type: "choice", Choices: []string{Accept, Decline}, Required: true}},
			Due:     in.AnswerDue, RemindBefore: in.AnswerDue / 3, DeliveryDeadline: in.DeliveryDeadline})
		if err != nil {
			return OfferOutcome{}, err
		}
		ids = append(ids, task)
	}
	var out OfferOutcome
	accepted, declined, closed := 0, 0, 0
	for _, task := range ids {
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer func() { closed++ }()
			answer, done, err := tasks.AwaitOrWithdraw(ctx, task, in.AnswerDue, func() bool { return accepted > 0 })
			if err != nil || !done {
				return
			}
			a, _ := answer.Payload["answer"].(string)
			if _, err := RecordOfferAnswerActivity.Local(ctx, OfferAnswer{RoundID: in.RoundID, ChildID: in.ChildID, School: in.SchoolID,
				Guardian: answer.By, Answer: a, At: answer.Completed}); err != nil {
				return
			}
			out.Answered++
			if a == Accept {
				accepted++
			} else {
				declined++
			}
		})
	}
	// One acceptance settles it: the place is the child's. Otherwise every guardian's answer, or
	// the deadline, does.
	if err := workflow.Await(ctx, func() bool { return closed == len(ids) }); err != nil {
		return out, err
	}
	out.Status = Accepted
	if (len(ids) > 0 && declined == len(ids)) || (in.Holds && accepted == 0) {
		out.Status = Declined
	}
	if _, err := SettleOfferActivity.Local(ctx, OfferSettled{RoundID: in.RoundID, ChildID: in.ChildID, School: in.SchoolID, Status: out.Status,
		At: workflow.Now(ctx)}); err != nil {
		return out, err
	}
	if out.Status == Accepted && in.Guarantee != "" {
		// The guarantee is kept; one that has ended already needs no telling.
		_ = workflow.SignalExternalWorkflow(ctx, in.Guarantee, "", SignalPlaced, nil).Get(ctx, nil)
	}
	var sending workflows.Beside
	for _, g := range guardians {
		req := workflows.NotifyRequest{ProcessID: id, Recipient: g, Purpose: "offer." + out.Status, Occasion: out.Status,
			Params: map[string]string{"pupil": in.ChildID, "school": in.SchoolID}}
		sending.Go(ctx, func(ctx workflow.Context) {
			_, _ = workflows.Notify(ctx, req, in.DeliveryDeadline)
		})
	}
	err = workflows.Finish(ctx, sending.Idle, tasks.Settled)
	return out, err
}
