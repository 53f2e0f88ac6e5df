package enrollment

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/register"
)

// RecordGuarantee records where a child's preschool guarantee stands. Idempotent.
func (s Store) RecordGuarantee(ctx context.Context, g GuaranteeStatus) error {
	_, err := s.DB.Exec(ctx, `UPDATE preschool_guarantees SET status = $3,
		  settled_at = CASE WHEN $3 IN ('placed', 'handled') THEN $4 ELSE settled_at END
		WHERE child_id = $1 AND round_id = $2`, g.ChildID, g.RoundID, g.Status, g.At)
	return err
}

// GuaranteeView is a child waiting for a preschool place, as the organiser's officers follow it.
type GuaranteeView struct {
	ChildID       string  `json:"childId"`
	Name          *string `json:"name"` // null for a child with a protection marking
	RoundID       string  `json:"roundId"`
	AppliedOn     string  `json:"appliedOn"`
	GuaranteeDate string  `json:"guaranteeDate"`
	DaysLeft      int     `json:"daysLeft"` // negative once the date has passed
	Status        string  `json:"status"`   // waiting or warned
	ProcessID     string  `json:"processId"`
}

// Guarantees answers the organiser's children waiting for a preschool place whose guarantee date
// is within days of today or past, the nearest first.
func (s Store) Guarantees(ctx context.Context, organiser string, days int) ([]GuaranteeView, error) {
	rows, err := s.DB.Query(ctx, `SELECT g.child_id::text,
		  CASE WHEN `+register.Unprotected("p")+` THEN p.given_name || ' ' || p.family_name END,
		  g.round_id::text, g.applied_on::text, g.guarantee_date::text, g.guarantee_date - current_date, g.status,
		  'guarantee:' || g.child_id || ':' || g.round_id
		FROM preschool_guarantees g JOIN enrollment_rounds r ON r.id = g.round_id JOIN persons p ON p.id = g.child_id
		WHERE r.organiser_id = $1 AND g.status IN ('waiting', 'warned') AND g.guarantee_date <= current_date + $2::int
		ORDER BY g.guarantee_date, g.child_id`, organiser, days)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[GuaranteeView])
}
