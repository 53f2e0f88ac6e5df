package enrollment

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"golang.org/x/sync/errgroup"

	"github.com/skolflow/skolflow/activities"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// Activities are where the area's processes touch the world, thin over the Store. The worker
// registers them by method name, the names recorded histories carry. Temporal starts the offers'
// processes, on TaskQueue.
type Activities struct {
	DB        *pgxpool.Pool
	Temporal  client.Client
	TaskQueue string
}

// ApplicationGuardians answers the child's custodial guardians today.
func (a *Activities) ApplicationGuardians(ctx context.Context, child string) ([]string, error) {
	return register.CustodialGuardians(ctx, a.DB, child)
}

// RecordApplicationConsent records a guardian's answer to a version (Store.RecordConsent).
func (a *Activities) RecordApplicationConsent(ctx context.Context, c Consent) error {
	return activities.Permanent(Store{a.DB}.RecordConsent(ctx, c))
}

// RecordApplicationStatus records the application's status (Store.RecordStatus).
func (a *Activities) RecordApplicationStatus(ctx context.Context, s ApplicationStatus) error {
	return activities.Permanent(Store{a.DB}.RecordStatus(ctx, s))
}

// PlaceRound places a round with its seed and records the result (Store.Place). Idempotent: the
// same seed places the same.
func (a *Activities) PlaceRound(ctx context.Context, p RoundPlacement) (RoundStats, error) {
	stats, err := Store{a.DB}.Place(ctx, p.RoundID, p.Seed)
	return stats, activities.Permanent(err)
}

// RecordRoundStatus records a round's step (Store.RecordRoundStatus).
func (a *Activities) RecordRoundStatus(ctx context.Context, s RoundStatus) error {
	return activities.Permanent(Store{a.DB}.RecordRoundStatus(ctx, s))
}

// RecordOfferAnswer records a guardian's answer to an offer (Store.RecordOfferAnswer).
func (a *Activities) RecordOfferAnswer(ctx context.Context, o OfferAnswer) error {
	return activities.Permanent(Store{a.DB}.RecordOfferAnswer(ctx, o))
}

// SettleOffer records how an offer ended and writes an accepted place to the register
// (Store.SettleOffer).
func (a *Activities) SettleOffer(ctx context.Context, o OfferSettled) error {
	return activities.Permanent(Store{a.DB}.SettleOffer(ctx, o))
}

// PublishRound records the round's offers (Store.Publish) and starts each one's process. It
// answers the offers.
func (a *Activities) PublishRound(ctx context.Context, p RoundPublication) (int, error) {
	offers, schoolType, organiser, err := Store{a.DB}.Publish(ctx, p.RoundID)
	if err != nil {
		return 0, activities.Permanent(err)
	}
	return len(offers), a.startOffers(ctx, p, offers, schoolType, organiser)
}

// WorkWaitingList works a pass of the round's waiting list (Store.WorkWaitingList) and starts
// the process of each offer it makes. It answers the offers the pass made; while offers before
// it await their answers it fails, to be tried again.
func (a *Activities) WorkWaitingList(ctx context.Context, p WaitingListPass) (int, error) {
	open, made, schoolType, organiser, err := Store{a.DB}.WorkWaitingList(ctx, p.RoundID, p.Pass)
	if err != nil {
		return 0, activities.Permanent(err)
	}
	return made, a.startOffers(ctx, p.RoundPublication, open, schoolType, organiser)
}

// OfferOnAppeal offers the child the school it was refused, when the officers changed that
// decision on reconsideration (Store.OfferOnAppeal), and starts the offer's process.
func (a *Activities) OfferOnAppeal(ctx context.Context, p AppealOffer) error {
	offers, round, schoolType, organiser, err := Store{a.DB}.OfferOnAppeal(ctx, p.AppealID)
	if err != nil {
		return activities.Permanent(err)
	}
	pub := RoundPublication{RoundID: round, AnswerDue: p.AnswerDue, DeliveryDeadline: p.DeliveryDeadline}
	return a.startOffers(ctx, pub, offers, schoolType, organiser)
}

// offerKey is an offer's business key: the round's own, a pass's of the waiting list, or an
// appeal's.
func offerKey(round string, o OfferStart) string {
	switch {
	case o.Appeal != "":
		return AppealOfferID(o.ChildID, round, o.Appeal)
	case o.Pass > 0:
		return WaitingOfferID(o.ChildID, round, o.Pass)
	}
	return OfferID(o.ChildID, round)
}

// startOffers starts the processes of a round's offers, each under its business key, a few at a
// time; an offer whose process has started already is left to it.
func (a *Activities) startOffers(ctx context.Context, p RoundPublication, offers []OfferStart, schoolType, organiser string) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i, o := range offers {
		g.Go(func() error {
			in := OfferInput{RoundID: p.RoundID, ChildID: o.ChildID, SchoolID: o.SchoolID, Organiser: organiser,
				AnswerDue: p.AnswerDue, DeliveryDeadline: p.DeliveryDeadline, Holds: o.Holds}
			if schoolType == "FS" {
				in.Guarantee = GuaranteeID(o.ChildID, p.RoundID)
			}
			_, err := a.Temporal.ExecuteWorkflow(gctx, client.StartWorkflowOptions{ID: offerKey(p.RoundID, o), TaskQueue: a.TaskQueue,
				WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE}, Offer, in)
			if errs.AlreadyStarted(err) {
				err = nil
			}
			if i%500 == 0 {
				activity.RecordHeartbeat(ctx, i)
			}
			return err
		})
	}
	return g.Wait()
}

// RecordReconsideration records the officers' decision on an appeal (Store.RecordReconsideration).
func (a *Activities) RecordReconsideration(ctx context.Context, r Reconsidered) error {
	return activities.Permanent(Store{a.DB}.RecordReconsideration(ctx, r))
}

// RecordGuarantee records where a child's preschool guarantee stands (Store.RecordGuarantee).
func (a *Activities) RecordGuarantee(ctx context.Context, g GuaranteeStatus) error {
	return activities.Permanent(Store{a.DB}.RecordGuarantee(ctx, g))
}
