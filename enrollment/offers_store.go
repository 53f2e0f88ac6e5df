package enrollment

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/register"
)

// OfferStart is an offer whose process is to be started.
type OfferStart struct {
	ChildID, SchoolID string
	Pass              int    // 0 for the round's own offer, 1 and up for the waiting list's
	Appeal            string // the appeal whose changed decision made it; "" for none
	// Holds tells that the child holds a place of the round already: silence keeps it.
	Holds bool
}

// offerStartColumns are OfferStart's columns, in its order, of the offers f.
const offerStartColumns = `f.child_id::text, f.school_id::text, f.pass, coalesce(f.appeal_id::text, ''),
	EXISTS (SELECT 1 FROM offers h WHERE h.round_id = f.round_id AND h.child_id = f.child_id AND h.status = 'accepted')`

// Publish records an offer for every child the round placed at a school, in one transaction,
// and answers the offers not yet settled, and the round's school type and organiser. Idempotent.
func (s Store) Publish(ctx context.Context, roundID string) (offers []OfferStart, schoolType, organiser string, err error) {
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT school_type, organiser_id::text FROM enrollment_rounds WHERE id = $1`, roundID).
			Scan(&schoolType, &organiser); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO offers (round_id, child_id, school_id)
			SELECT round_id, child_id, school_id FROM round_placements WHERE round_id = $1 AND school_id IS NOT NULL
			ON CONFLICT DO NOTHING`, roundID); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+offerStartColumns+` FROM offers f
			WHERE f.round_id = $1 AND f.status = 'offered' AND f.pass = 0 AND f.appeal_id IS NULL ORDER BY f.child_id`, roundID)
		if err != nil {
			return err
		}
		offers, err = pgx.CollectRows(rows, pgx.RowToStructByPos[OfferStart])
		return err
	})
	return offers, schoolType, organiser, err
}

// RecordOfferAnswer records a guardian's answer to an offer. Idempotent.
func (s Store) RecordOfferAnswer(ctx context.Context, a OfferAnswer) error {
	_, err := s.DB.Exec(ctx, `INSERT INTO offer_answers (round_id, child_id, school_id, guardian_id, answer, answered_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, a.RoundID, a.ChildID, a.School, a.Guardian, a.Answer, a.At)
	return err
}

// placementNamespace derives the id of the register row an accepted offer writes, so that a
// retry writes it once.
var placementNamespace = uuid.MustParse("9b7e3c1a-52d4-4f8e-b6a0-1d2c3e4f5a6b")

// SettleOffer records how an offer ended, in one transaction with what it writes to the
// register: an accepted place becomes the child's enrolment at the school in the round's school
// type and year from the round's start date (SS 12000 Enrolment), or at a preschool its
// placement (SS 12000 Placement). A child has one place of a round: a place accepted from the
// waiting list releases the one it held, and moves its enrolment (or placement) there.
// Idempotent: an offer settled already is left as it is.
func (s Store) SettleOffer(ctx context.Context, o OfferSettled) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		// The child's offers in the round are settled one at a time: it holds one place.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM offers WHERE round_id = $1 AND child_id = $2 FOR UPDATE`, o.RoundID, o.ChildID); err != nil {
			return err
		}
		var schoolType, start string
		var year int
		err := tx.QueryRow(ctx, `SELECT r.school_type, r.school_year, r.start_date::text FROM offers f JOIN enrollment_rounds r ON r.id = f.round_id
			WHERE f.round_id = $1 AND f.child_id = $2 AND f.school_id = $3 AND f.status = 'offered' FOR UPDATE OF f`, o.RoundID, o.ChildID, o.School).
			Scan(&schoolType, &year, &start)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if o.Status == Accepted {
			if _, err := tx.Exec(ctx, `UPDATE offers SET status = 'released', settled_at = $3
				WHERE round_id = $1 AND child_id = $2 AND status = 'accepted'`, o.RoundID, o.ChildID, o.At); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE offers SET status = $4, settled_at = $5 WHERE round_id = $1 AND child_id = $2 AND school_id = $3`,
			o.RoundID, o.ChildID, o.School, o.Status, o.At); err != nil || o.Status != Accepted {
			return err
		}
		id := uuid.NewSHA1(placementNamespace, []byte(o.RoundID+":"+o.ChildID)).String()
		if schoolType == "FS" {
			_, err = tx.Exec(ctx, `INSERT INTO placements (id, child_id, placed_at, school_type, start_date)
				VALUES ($1, $2, $3, 'FS', $4) ON CONFLICT (id) DO UPDATE SET placed_at = excluded.placed_at`, id, o.ChildID, o.School, start)
		} else {
			_, err = tx.Exec(ctx, `INSERT INTO enrolments (id, person_id, enroled_at, school_type, school_year, start_date)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET enroled_at = excluded.enroled_at`, id, o.ChildID, o.School, schoolType, year, start)
		}
		if err != nil {
			return err
		}
		return register.Changed(ctx, tx)
	})
}
