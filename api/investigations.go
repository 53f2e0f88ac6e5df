package api

import (
	"time"

	"github.com/gin-gonic/gin"
)

// AbsenceInvestigation is an absence investigation as the record keeps it (see
// workflows/investigation.go).
type AbsenceInvestigation struct {
	ProcessID     string     `json:"processId"`
	PupilID       string     `json:"pupilId"`
	Month         string     `json:"month"`
	InvalidDays   int        `json:"invalidDays"`
	AbsentPercent int        `json:"absentPercent"`
	Status        string     `json:"status"`
	Conclusion    *string    `json:"conclusion"`
	OpenedAt      time.Time  `json:"openedAt"`
	ClosedAt      *time.Time `json:"closedAt"`
}

// investigations answers a school's absence investigations, newest first.
func (h absenceHandlers) investigations(c *gin.Context) {
	rows, err := h.DB.Query(c, `SELECT process_id, person_id::text, month, invalid_days, absent_percent, status, conclusion,
		  opened_at, closed_at
		FROM absence_investigations WHERE school_id = $1 ORDER BY opened_at DESC LIMIT 1000`, c.Param("schoolId"))
	respondRows[AbsenceInvestigation](c, "absence.investigations", rows, err)
}
