package enrollment

import (
	"crypto/rand"
	"encoding/binary"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
)

// The placement round's process: it closes the round on its date, draws the lottery's seed,
// places the children (Store.Place), has an officer of the organiser review and approve the
// result, and publishes it on the publication date: each child placed at a school is offered the
// place (offer.go). Then it works the waiting list (waiting_list.go) until it offers no more. The
// placement itself is one activity over PostgreSQL: the history holds the seed and the round's
// figures, never a child.

// PlacementID is the business key of a round's process: the organiser's and the round's ids.
func PlacementID(organiserID, roundID string) string {
	return "placement:" + organiserID + ":" + roundID
}

// PlacementInput starts a round's process. The times are the round's; SettleAfterClose is how
// long after the close the placement waits, so that an answer given in the round's last moment
// is recorded before the applications are read; ApproveDue is how long the officers have to
// review the result.
type PlacementInput struct {
	RoundID          string
	Organiser        string
	ClosesAt         time.Time
	PublishesAt      time.Time
	SettleAfterClose time.Duration
	ApproveDue       time.Duration
	OfferAnswerDue   time.Duration // how long the guardians have to answer an offer
	DeliveryDeadline time.Duration
	// WaitingListUntil is when the waiting list closes: the round's start date, when the places
	// begin. No pass begins after it.
	WaitingListUntil time.Time
}

// RoundPublication asks PublishActivity to publish a round's offers.
type RoundPublication struct {
	RoundID          string
	AnswerDue        time.Duration
	DeliveryDeadline time.Duration
}

// WaitingListPass asks WaitingListActivity to work a pass (1 and up) of the round's waiting list.
type WaitingListPass struct {
	RoundPublication
	Pass int
}

// RoundPlacement asks PlaceActivity to place a round with a seed.
type RoundPlacement struct {
	RoundID string
	Seed    uint64
}

// RoundStatus is a round's step, as the record keeps it.
type RoundStatus struct {
	RoundID string
	Status  string // closed, approved or published
	By      string // the officer who approved, for approved
	At      time.Time
}

// PlacementOutcome is how the round ended.
type PlacementOutcome struct {
	Seed       uint64
	Stats      RoundStats
	ApprovedBy string
	Offers     int // the offers published
	// WaitingList is the offers the waiting list made, in every pass.
	WaitingList int
}

// The task's kind: an officer reviews and approves the placement.
const KindApprove = "placement.approve"

// dutyOfficer is the duty role of the organiser's officers (SS 12000), who run the rounds.
const dutyOfficer = "Övrig arbetsledning"

// The process's activities (activities.go), by the names recorded histories carry.
var (
	// PlaceActivity places the round and records the result (Store.Place). Idempotent.
	PlaceActivity = workflows.DeclareActivity[RoundPlacement, RoundStats]("PlaceRound")
	// RecordRoundStatusActivity records a round's step. Idempotent.
	RecordRoundStatusActivity = workflows.DeclareActivity[RoundStatus, workflows.None]("RecordRoundStatus")
	// PublishActivity records an offer for every child placed at a school and starts each
	// offer's process (offer:<child>:<round>). Idempotent. It answers the offers.
	PublishActivity = workflows.DeclareActivity[RoundPublication, int]("PublishRound")
	// WaitingListActivity works a pass of the waiting list once every offer before it is
	// answered, and starts the process of each offer it makes. Idempotent. It answers the offers
	// the pass made.
	WaitingListActivity = workflows.DeclareActivity[WaitingListPass, int]("WorkWaitingList")
)

// PlacementRound runs a round from its close to its publication. Its workflow type is
// "PlacementRound".
func PlacementRound(ctx workflow.Context, in PlacementInput) (PlacementOutcome, error) {
	tasks, err := workflows.NewTasks(ctx)
	if err != nil {
		return PlacementOutcome{}, err
	}
	id := workflow.GetInfo(ctx).WorkflowExecution.ID
	process := workflows.Process{ID: id, Kind: "placement", SchoolID: in.Organiser}
	if _, err := workflows.RegisterProcessActivity.Local(ctx, process); err != nil {
		return PlacementOutcome{}, err
	}
	var out PlacementOutcome
	record := func(status, by string) error {
		_, err := RecordRoundStatusActivity.Local(ctx, RoundStatus{RoundID: in.RoundID, Status: status, By: by, At: workflow.Now(ctx)})
		return err
	}

	if _, err := workflows.AwaitUntil(ctx, in.ClosesAt, func() bool { return false }); err != nil {
		return out, err
	}
	if err := record("closed", ""); err != nil {
		return out, err
	}
	if err := workflow.Sleep(ctx, in.SettleAfterClose); err != nil {
		return out, err
	}
	// The seed is drawn now, after every choice is in, so no one could know a lottery number
	// when choosing; the history keeps it, and Place records it, for the round to be re-run.
	if err := workflow.SideEffect(ctx, func(workflow.Context) any {
		var b [8]byte
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24)
		return binary.BigEndian.Uint64(b[:])
	}).Get(&out.Seed); err != nil {
		return out, err
	}
	ao := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 10 * time.Minute})
	if out.Stats, err = PlaceActivity.Start(ao, RoundPlacement{RoundID: in.RoundID, Seed: out.Seed}).Result(ctx); err != nil {
		return out, err
	}

	// An officer reviews the figures and approves; the organiser's officers are each told of the
	// task, and reminded a quarter of its time before it is due. The offers wait for it.
	officers := workflows.Assignee{Role: dutyOfficer, OrgID: in.Organiser}
	task, err := tasks.Open(ctx, workflows.TaskSpec{Step: "approve", Kind: KindApprove, Assignee: officers, SchoolID: in.Organiser,
		Expects: []workflows.Field{{Name: "note", Type: "text"},
			{Name: "decision", Type: "choice", Choices: []string{"approve"}, Required: true}},
		Due: in.ApproveDue, RemindBefore: in.ApproveDue / 4, HeldBy: []string{dutyOfficer}, DeliveryDeadline: in.DeliveryDeadline})
	if err != nil {
		return out, err
	}
	approved, err := tasks.Await(ctx, task)
	if err != nil {
		return out, err
	}
	out.ApprovedBy = approved.By
	if err := record("approved", approved.By); err != nil {
		return out, err
	}

	if _, err := workflows.AwaitUntil(ctx, in.PublishesAt, func() bool { return false }); err != nil {
		return out, err
	}
	if err := record("published", ""); err != nil {
		return out, err
	}
	publication := RoundPublication{RoundID: in.RoundID, AnswerDue: in.OfferAnswerDue, DeliveryDeadline: in.DeliveryDeadline}
	if out.Offers, err = PublishActivity.Start(ao, publication).Result(ctx); err != nil {
		return out, err
	}
	if workflow.GetVersion(ctx, "waiting-list", workflow.DefaultVersion, 1) == 1 {
		if out.WaitingList, err = waitingList(ctx, in, publication); err != nil {
			return out, err
		}
	}
	err = workflows.Finish(ctx, tasks.Settled)
	return out, err
}

// waitingList works the round's waiting list (reservlista) in passes: when the time to answer
// the offers before it is over, a pass offers the seats declined or given up to the children on
// the list, until a pass offers none or the places begin. It answers the offers made.
func waitingList(ctx workflow.Context, in PlacementInput, publication RoundPublication) (int, error) {
	// A pass waits for every offer before it to be answered: it is tried again until they are.
	ao := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 10 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute}})
	made := 0
	for pass := 1; ; pass++ {
		if !workflow.Now(ctx).Add(in.OfferAnswerDue).Before(in.WaitingListUntil) {
			return made, nil // the pass would begin when the places have
		}
		if err := workflow.Sleep(ctx, in.OfferAnswerDue); err != nil {
			return made, err
		}
		n, err := WaitingListActivity.Start(ao, WaitingListPass{RoundPublication: publication, Pass: pass}).Result(ctx)
		if err != nil || n == 0 {
			return made, err
		}
		made += n
	}
}
