package enrollment

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// OfferView is the offer of a place to a child, as its guardians and the officers see it: where
// it stands and each guardian's answer, a guardian with a protection marking not named to the
// others.
type OfferView struct {
	School    string        `json:"schoolId" db:"school_id"`
	Name      string        `json:"name" db:"name"`
	Status    string        `json:"status" db:"status"`      // offered, accepted, declined, or released for a higher one
	Pass      int           `json:"pass" db:"pass"`          // 0 for the round's offer, 1 and up for the waiting list's
	OnAppeal  bool          `json:"onAppeal" db:"on_appeal"` // made when the officers changed the decision on an appeal
	SettledAt *time.Time    `json:"settledAt" db:"settled_at"`
	ProcessID string        `json:"processId" db:"process_id"`
	Answers   []ConsentView `json:"answers" db:"answers"`
}

// Offer answers the child's offer in the round that stands, as viewer may see it: the one
// awaiting an answer, else the place the child holds, else the last made; nil when there is none.
func (s Store) Offer(ctx context.Context, child, round, viewer string) (*OfferView, error) {
	rows, _ := s.DB.Query(ctx, `SELECT f.school_id::text AS school_id, o.display_name AS name, f.status, f.pass, f.appeal_id IS NOT NULL AS on_appeal,
		  f.settled_at, 'offer:' || f.child_id || ':' || f.round_id || CASE WHEN f.appeal_id IS NOT NULL THEN ':appeal:' || f.appeal_id
		    WHEN f.pass > 0 THEN ':' || f.pass ELSE '' END AS process_id,
		  coalesce((SELECT json_agg(json_build_object('answer', a.answer, 'answeredAt', a.answered_at,
		    'guardianId', CASE WHEN `+shown("a.guardian_id")+` THEN a.guardian_id END) ORDER BY a.answered_at)
		    FROM offer_answers a WHERE a.round_id = f.round_id AND a.child_id = f.child_id AND a.school_id = f.school_id), '[]') AS answers
		FROM offers f JOIN organisations o ON o.id = f.school_id WHERE f.child_id = $1 AND f.round_id = $2
		ORDER BY f.status = 'offered' DESC, f.status = 'accepted' DESC, f.pass DESC LIMIT 1`, child, round, viewer)
	v, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[OfferView])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return &v, err
}

// RoundsApplied answers the rounds the child has an application in, the newest first.
func (s Store) RoundsApplied(ctx context.Context, child string) ([]string, error) {
	rows, _ := s.DB.Query(ctx, `SELECT a.round_id::text FROM applications a JOIN enrollment_rounds r ON r.id = a.round_id
		WHERE a.child_id = $1 ORDER BY r.closes_at DESC, r.name`, child)
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
