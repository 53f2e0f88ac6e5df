package ss12000

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/errs"
)

// deletedEntities: the ids of objects deleted from the register, after a time, so that a system
// that syncs incrementally learns what to remove. An id is all that is left of a deleted object,
// so a client granted deletedEntities is told of every resource's deletions.
//
// The standard's answer is an object of id lists by resource; its name for the activities' list
// is spelt activitites (a known quirk of the official document), and so it is here.

// endpoints maps the standard's EndPointsEnum to the resources the register records deletions
// of, and to the member of the answer that lists them.
var endpoints = map[string]struct{ resource, member string }{
	"Organisation":    {"organisations", "organisations"},
	"Person":          {"persons", "persons"},
	"Placement":       {"placements", "placements"},
	"Duty":            {"duties", "duties"},
	"Group":           {"groups", "groups"},
	"Syllabus":        {"syllabuses", "syllabuses"},
	"Activity":        {"activities", "activitites"},
	"CalendarEvent":   {"calendarEvents", "calendarEvents"},
	"Attendance":      {"attendances", "attendances"},
	"Absence":         {"absences", "absences"},
	"AttendanceEvent": {"attendanceEvents", "attendanceEvents"},
}

// endpointNames is the standard's EndPointsEnum: what the entities filter takes. Those the
// register keeps no deletions of answer nothing.
var endpointNames = []string{"Absence", "AttendanceEvent", "Attendance", "Grade", "CalendarEvent", "AttendanceSchedule",
	"Resource", "Room", "Activity", "Duty", "Placement", "StudyPlan", "Programme", "Syllabus", "SchoolUnitOffering",
	"Group", "Person", "Organisation"}

var deletedEntities = &resource{
	name: "deletedEntities",
	filters: map[string]filter{
		"after":    {check: checkDateTime},
		"entities": {many: true, check: checkOneOf(endpointNames...)},
	},
	// The one order: by the time of deletion (the list takes no sortkey).
	sortkeys: map[string]*sortSpec{"": {keys: []sortKey{{"d.deleted_at", "timestamptz"}}}},
}

func (h handlers) deleted(c *gin.Context) {
	const op = "ss12000.deletedEntities"
	q, err := parseList(c.Request.URL.Query(), deletedEntities)
	if err != nil {
		api.Abort(c, err)
		return
	}
	resources := []string{}
	for name, e := range endpoints {
		if len(q.Filters["entities"]) == 0 || slices.Contains(q.Filters["entities"], name) {
			resources = append(resources, e.resource)
		}
	}
	s := &statement{}
	where := "d.resource = ANY (" + s.arg(resources) + ")"
	if after := q.Filters["after"]; len(after) > 0 {
		where += " AND d.deleted_at > " + s.arg(after[0]) + "::timestamptz"
	}
	if q.After != nil {
		where += " AND (d.deleted_at, d.id) > (" + s.arg(q.After.Keys[0]) + "::timestamptz, " + s.arg(q.After.ID) + "::uuid)"
	}
	rows, err := h.db.Query(c, `SELECT d.resource, d.id::text AS id, d.deleted_at::text AS at FROM ss12000_deleted_entities d
		WHERE `+where+` ORDER BY d.deleted_at, d.id LIMIT `+strconv.Itoa(q.Limit+1), s.args...)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	type row struct {
		Resource string `db:"resource"`
		ID       string `db:"id"`
		At       string `db:"at"`
	}
	page, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	data := map[string][]string{}
	var token string
	for i, d := range page {
		if i == q.Limit {
			last := page[i-1]
			token = cursor{Filters: q.Filters, Keys: []string{last.At}, ID: last.ID}.token()
			break
		}
		for _, e := range endpoints {
			if e.resource == d.Resource {
				data[e.member] = append(data[e.member], d.ID)
			}
		}
	}
	out := gin.H{"data": data}
	if token != "" {
		out["pageToken"] = token
	}
	c.JSON(http.StatusOK, out)
}
