package enrollment

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/errs"
)

// errOffersOpen is a pass asked for while offers of the round still await their answers: the
// pass waits for them (the activity is tried again).
var errOffersOpen = errors.New("enrollment: the round's offers are not all answered yet")

// WorkWaitingList works the round's waiting list's pass (1 and up) once every offer before it is
// answered, in one transaction: it records an offer for each child the pass moves up
// (WorkWaitingList, over the round's data with its seed and each child's offers so far) and
// answers the pass's offers not yet settled, how many the pass made, and the round's school
// type and organiser. Idempotent: a pass worked already answers its offers again.
func (s Store) WorkWaitingList(ctx context.Context, roundID string, pass int) (open []OfferStart, made int, schoolType, organiser string, err error) {
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		var seed *int64
		err := tx.QueryRow(ctx, `SELECT school_type, organiser_id::text, seed FROM enrollment_rounds WHERE id = $1 FOR UPDATE`, roundID).
			Scan(&schoolType, &organiser, &seed)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && seed == nil) {
			return errs.E(errs.NotFound, errs.Msg("There is no such round placed."))
		}
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM offers WHERE round_id = $1 AND pass = $2`, roundID, pass).Scan(&made); err != nil {
			return err
		}
		if made == 0 {
			if made, err = s.placePass(ctx, tx, roundID, uint64(*seed), pass); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, `SELECT `+offerStartColumns+` FROM offers f WHERE f.round_id = $1 AND f.pass = $2 AND f.status = 'offered'
			ORDER BY f.child_id`, roundID, pass)
		if err != nil {
			return err
		}
		open, err = pgx.CollectRows(rows, pgx.RowToStructByPos[OfferStart])
		return err
	})
	return open, made, schoolType, organiser, err
}

// placePass records the pass's offers, once no offer before it is open.
func (s Store) placePass(ctx context.Context, tx pgx.Tx, roundID string, seed uint64, pass int) (int, error) {
	var waiting int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM offers WHERE round_id = $1 AND status = 'offered'`, roundID).Scan(&waiting); err != nil {
		return 0, err
	}
	if waiting > 0 {
		return 0, errOffersOpen
	}
	d, err := loadRound(ctx, tx, roundID, seed)
	if err != nil {
		return 0, err
	}
	holds := map[string]Hold{}
	rows, err := tx.Query(ctx, `SELECT child_id::text, school_id::text, status, pass = 0 AND appeal_id IS NULL, appeal_id IS NOT NULL
		FROM offers WHERE round_id = $1`, roundID)
	if err != nil {
		return 0, err
	}
	var child, school, status string
	var roundsOwn, onAppeal bool
	if _, err := pgx.ForEachRow(rows, []any{&child, &school, &status, &roundsOwn, &onAppeal}, func() error {
		h := holds[child]
		switch {
		case status == Accepted:
			h.School, h.Beyond = school, onAppeal
		case status == Declined && roundsOwn:
			h.Left = true // the family declined the round's own offer
		default:
			h.Declined = append(h.Declined, school) // a school is offered a child once
		}
		holds[child] = h
		return nil
	}); err != nil {
		return 0, err
	}
	moves, err := WorkWaitingList(d, holds)
	if err != nil || len(moves) == 0 {
		return 0, err
	}
	children, schools := make([]string, len(moves)), make([]string, len(moves))
	for i, m := range moves {
		children[i], schools[i] = m.Child, m.School
	}
	tag, err := tx.Exec(ctx, `INSERT INTO offers (round_id, child_id, school_id, pass)
		SELECT $1, c, s, $4 FROM unnest($2::uuid[], $3::uuid[]) AS m(c, s) ON CONFLICT DO NOTHING`, roundID, children, schools, pass)
	return int(tag.RowsAffected()), err
}
