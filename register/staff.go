package register

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// HoldsDuty reports whether person holds one of roles at the organisation org today.
func HoldsDuty(ctx context.Context, db *pgxpool.Pool, person, org string, roles []string) (bool, error) {
	var holds bool
	err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM duties d WHERE d.person_id::text = $1 AND d.duty_at::text = $2
		AND d.duty_role = ANY($3) AND `+Active("d")+`)`, person, org, roles).Scan(&holds)
	return holds, err
}
