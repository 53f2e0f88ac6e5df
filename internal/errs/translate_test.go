package errs_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"go.temporal.io/api/serviceerror"

	"github.com/skolflow/skolflow/internal/errs"
)

// A handler that passes an engine's or database's error on gets the kind that tells the caller
// what to do; a kind given explicitly wins; what is not recognised stays Internal.
func TestEngineAndDatabaseErrorsAreTranslatedOnce(t *testing.T) {
	for _, c := range []struct {
		name string
		err  *errs.Error
		want errs.Kind
	}{
		{"Temporal unavailable", errs.E("op", serviceerror.NewUnavailable("down")), errs.Unavailable},
		{"Temporal deadline, wrapped", errs.E("op", fmt.Errorf("starting: %w", serviceerror.NewDeadlineExceeded("slow"))), errs.Unavailable},
		{"a deadlock", errs.E("op", &pgconn.PgError{Code: "40P01"}), errs.Unavailable},
		{"a request that ran out of time", errs.E("op", context.DeadlineExceeded), errs.Unavailable},
		{"an explicit kind wins", errs.E("op", errs.Conflict, serviceerror.NewUnavailable("down")), errs.Conflict},
		{"a unique violation means what its place says", errs.E("op", &pgconn.PgError{Code: "23505"}), errs.Internal},
		{"anything else", errs.E("op", errors.New("boom")), errs.Internal},
	} {
		if c.err.Kind != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.err.Kind, c.want)
		}
		if c.err.Kind == errs.Unavailable && c.err.Message == "" {
			t.Errorf("%s: no message for the caller", c.name)
		}
	}
	if !errs.Unique(fmt.Errorf("insert: %w", &pgconn.PgError{Code: "23505"})) || errs.Unique(errors.New("x")) {
		t.Error("Unique does not tell a unique violation")
	}
	if !errs.ForeignKey(&pgconn.PgError{Code: "23503"}) || !errs.ProcessNotFound(serviceerror.NewNotFound("gone")) ||
		!errs.AlreadyStarted(serviceerror.NewWorkflowExecutionAlreadyStarted("x", "", "")) {
		t.Error("a predicate does not tell its error")
	}
}
