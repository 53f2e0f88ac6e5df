package errs

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"go.temporal.io/api/serviceerror"
)

// The process engine's and the database's errors, in the vocabulary, written once. E applies
// this to a cause given without a Kind, so a handler that only passes an error on gets the right
// answer: a Temporal frontend or a database that is down is Unavailable (try again), not
// Internal. What an error means in one place (a unique violation is "already applied for", a
// process not found is "moved on") is said there, with the predicates below.

// translate answers the kind and caller-safe message of an engine or database error, if it is
// one that says what the caller can do.
func translate(err error) (Kind, Msg, bool) {
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, new(*serviceerror.Unavailable)), errors.As(err, new(*serviceerror.DeadlineExceeded)),
		errors.As(err, new(*serviceerror.ResourceExhausted)):
		return Unavailable, "The process engine is unavailable; try again.", true
	case errors.As(err, new(*pgconn.ConnectError)):
		return Unavailable, "The register is unavailable; try again.", true
	case errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01" || pgErr.Code == "57P01"):
		// A serialization failure, a deadlock or an administrator's shutdown: nothing was
		// written, and the same request may pass again.
		return Unavailable, "The register is busy; try again.", true
	case errors.Is(err, context.DeadlineExceeded):
		return Unavailable, "The platform did not answer in time; try again.", true
	}
	return Internal, "", false
}

// Unique reports whether err is a unique constraint's violation (PostgreSQL 23505).
func Unique(err error) bool { return pgCode(err) == "23505" }

// ForeignKey reports whether err is a foreign key's violation (PostgreSQL 23503): a reference
// to something that does not exist.
func ForeignKey(err error) bool { return pgCode(err) == "23503" }

func pgCode(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// ProcessNotFound reports whether err says a process (a workflow execution) does not exist or
// has closed.
func ProcessNotFound(err error) bool { return errors.As(err, new(*serviceerror.NotFound)) }

// AlreadyStarted reports whether err says a process with the same id is already running.
func AlreadyStarted(err error) bool {
	return errors.As(err, new(*serviceerror.WorkflowExecutionAlreadyStarted))
}
