package register

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/errs"
)

// Store holds the SQL of the register's own routes (package registerhttp): the schools, groups
// and persons as a viewer may see them (reads.go), and the administrators' changes (writes.go).
// The questions the kernel and the other areas ask of the register are the functions beside it
// (facts.go, people.go). Rows map by name (package collect).
type Store struct{ DB *pgxpool.Pool }

// change runs fn in one transaction that also announces the change (Changed), so every API
// instance honours it on the next request.
func (s Store) change(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return Changed(ctx, tx)
	})
}

// errNotFound answers a removal of what is not there.
var errNotFound = errs.E(errs.NotFound, errs.Msg("There is no such resource."))

// invalidField is a change the register refuses because of what one field names.
func invalidField(field, detail string) error {
	return errs.E(errs.Invalid, errs.Msg("The request has invalid fields."), []errs.FieldError{{Field: field, Detail: detail}})
}

// unknownReference turns a foreign-key violation into an invalid field.
func unknownReference(err error, field string) error {
	if errs.ForeignKey(err) {
		return invalidField(field, "refers to no one in the register")
	}
	return err
}
