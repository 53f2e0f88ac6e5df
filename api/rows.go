package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/errs"
)

// What the handlers that still query the database here (absences, investigations) use, until
// they move to their area, whose store reads rows by name (package collect).

// respondRows answers the rows as a JSON array of T, taken by position, or the error as
// problem+json.
func respondRows[T any](c *gin.Context, op string, rows pgx.Rows, err error) {
	var out []T
	if err == nil {
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[T])
	}
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, out)
}
