package absence

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// The lists a page about a pupil shows: their absence days with notices, and the guardians'
// reports of today and coming days. Who may read them is the area's policy.csv's.

// days answers the pupil's absence days with notices, newest first (Store.AbsenceDays).
func (h handlers) days(c *gin.Context) {
	out, err := h.store.AbsenceDays(c, c.Param("personId"))
	if err != nil {
		api.Abort(c, errs.E("absence.days", err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// reports answers the child's reports that end on or after the day `from` (today when left
// out), in the order they start (Store.Reports).
func (h handlers) reports(c *gin.Context) {
	const op = "absence.reports"
	from := c.Query("from")
	if from == "" {
		from = time.Now().In(register.SchoolDay).Format(time.DateOnly)
	}
	var bad api.Fields
	bad.Date("from", from)
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	since, _ := time.ParseInLocation(time.DateOnly, from, register.SchoolDay)
	out, err := h.store.Reports(c, c.Param("personId"), since)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, out)
}
