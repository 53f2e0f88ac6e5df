package ss12000

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/errs"
)

// aggregatedAttendance: a pupil's attendance at an activity summed over the days from startDate
// to endDate, both included, in the schools' time zone (AggregatedAttendance). It has no id of
// its own: a page ends at an activity and a pupil.
var aggregatedAttendance = &resource{
	name: "aggregatedAttendance",
	filters: map[string]filter{
		"startDate":    {check: checkDate},
		"endDate":      {check: checkDate},
		"organisation": {check: checkUUID, cond: "x.school_id = %[1]s::uuid"},
		"schoolType":   {many: true, check: checkOneOf(schoolTypes...), cond: "(SELECT g.school_type FROM groups g WHERE g.id = x.group_id) = ANY (%[1]s::text[])"},
		"student":      {many: true, check: checkUUID, cond: "t.person_id = ANY (%[1]s::uuid[])"},
	},
	required: []string{"startDate", "endDate"},
	// The one order: by activity, then pupil (the list takes no sortkey).
	sortkeys: map[string]*sortSpec{"": {keys: []sortKey{{"xa.activity_id", "uuid"}}}},
	expand:   []string{"activity", "student"},
}

func (h handlers) aggregated(c *gin.Context) {
	const op = "ss12000.aggregatedAttendance"
	r := aggregatedAttendance
	q, err := h.listQuery(c, r)
	if err != nil {
		api.Abort(c, err)
		return
	}
	orgs, protected := scope(c)
	s := newStatement(orgs, protected)
	s.where = append(s.where, inScope("x.school_id"), seen("tp"),
		"(x.start_time AT TIME ZONE 'Europe/Stockholm')::date BETWEEN "+s.arg(q.Filters["startDate"][0])+"::date AND "+s.arg(q.Filters["endDate"][0])+"::date")
	for _, name := range keys(q.Filters) {
		if f := r.filters[name]; f.cond != "" {
			s.cond(f, q.Filters[name])
		}
	}
	if q.After != nil {
		s.where = append(s.where, fmt.Sprintf("(xa.activity_id, t.person_id) > (%s::uuid, %s::uuid)", s.arg(q.After.Keys[0]), s.arg(q.After.ID)))
	}
	sums := object(
		"activity", activityRef(q, "a.activity_id"),
		"student", personRef(q, "a.person_id"),
		"startDate", s.arg(q.Filters["startDate"][0])+"::date",
		"endDate", s.arg(q.Filters["endDate"][0])+"::date",
		"attendanceSum", "a.attended",
		"validAbsenceSum", "a.valid",
		"invalidAbsenceSum", "a.invalid",
		"reportedSum", "a.attended + a.valid + a.invalid",
		"offeredSum", "a.offered",
	)
	var embedded []string
	if slices.Contains(q.Expand, "activity") {
		embedded = append(embedded, "activity", "(SELECT "+as(activityObject(q), "x", "ac")+" FROM activities ac WHERE ac.id = a.activity_id)")
	}
	if slices.Contains(q.Expand, "student") {
		embedded = append(embedded, "student", "(SELECT "+as(personObject(listQuery{Names: q.Names}), "x", "p")+" FROM persons p WHERE p.id = a.person_id)")
	}
	if len(embedded) > 0 {
		sums = "(" + sums + " || " + obj("_embedded", object(embedded...)) + ")"
	}
	sql := `SELECT a.activity_id::text AS activity, a.person_id::text AS person, ` + sums + ` AS object FROM (
		SELECT xa.activity_id, t.person_id, sum(t.attended_minutes) AS attended, sum(t.valid_absence_minutes) AS valid,
		  sum(t.invalid_absence_minutes) AS invalid, sum((extract(epoch FROM x.end_time - x.start_time) / 60)::integer) AS offered
		FROM attendance t JOIN lessons x ON x.id = t.lesson_id ` + lessonActivity + ` JOIN persons tp ON tp.id = t.person_id
		WHERE ` + strings.Join(s.where, " AND ") + `
		GROUP BY xa.activity_id, t.person_id
		ORDER BY xa.activity_id, t.person_id
		LIMIT ` + s.arg(q.Limit+1) + `) a
		ORDER BY a.activity_id, a.person_id`
	rows, err := h.db.Query(c, sql, s.args...)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	type row struct {
		Activity string          `db:"activity"`
		Person   string          `db:"person"`
		Object   json.RawMessage `db:"object"`
	}
	page, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	objects := make([]json.RawMessage, len(page))
	for i, p := range page {
		objects[i] = p.Object
	}
	writePage(c, objects, q.Limit, func(last int) cursor {
		return cursor{Expand: q.Expand, Names: q.Names, Filters: q.Filters, Keys: []string{page[last].Activity}, ID: page[last].Person}
	})
}
