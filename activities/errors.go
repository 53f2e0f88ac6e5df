package activities

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"go.temporal.io/sdk/temporal"
)

// Permanent marks errors that no retry can cure (bad data: SQLSTATE classes 22 and 23) as
// non-retryable, so the process hears of them at once. Anything else, such as a lost
// connection, is returned as is and Temporal retries it with backoff.
func Permanent(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (strings.HasPrefix(pgErr.Code, "22") || strings.HasPrefix(pgErr.Code, "23")) {
		// The SQLSTATE names the kind of failure without echoing the values that caused it.
		return temporal.NewNonRetryableApplicationError("rejected by the database", "sqlstate:"+pgErr.Code, nil)
	}
	return err
}
