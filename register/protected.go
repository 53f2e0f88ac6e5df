package register

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ProtectedAmong answers those of persons (ids) who have a protection marking (Protected), in
// no particular order.
func ProtectedAmong(ctx context.Context, db *pgxpool.Pool, persons []string) ([]string, error) {
	rows, err := db.Query(ctx, `SELECT id::text FROM persons WHERE id = ANY($1::uuid[]) AND NOT `+Unprotected("persons"), persons)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
