// Package collect reads the rows of a query into structs by name, the one way the stores map
// rows: each column is named as a field's db tag (pgx.RowToStructByName), never taken by its
// position.
package collect

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/errs"
)

// Querier runs a query: a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// All answers every row of the query as a T. With no rows it answers an empty slice, not nil,
// so JSON shows [].
func All[T any](ctx context.Context, q Querier, sql string, args ...any) ([]T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[T])
}

// One answers the one row of the query as a T; errs.NotFound when there is none.
func One[T any](ctx context.Context, q Querier, sql string, args ...any) (T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[T])
	if errors.Is(err, pgx.ErrNoRows) {
		return v, errs.E(errs.NotFound, errs.Msg("There is no such resource."))
	}
	return v, err
}
