package ss12000

import (
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/errs"
)

// attendanceEvents: a pupil's arrival and leaving at a group (AttendanceEvent: In, Ut), as a
// preschool's or fritids' check-in reports it. That of a pupil with a protection marking is
// served only to a client granted protected persons. A client with attendanceEvents.report at
// the group's school reports them, and deletes one reported in error.
var attendanceEvents = &resource{
	name:    "attendanceEvents",
	from:    "attendance_events x JOIN groups xg ON xg.id = x.group_id JOIN persons xp ON xp.id = x.person_id",
	scope:   "xg.organisation_id = ANY ($1)",
	visible: "xp.security_marking = 'Ingen'",
	object: func(q listQuery) string {
		o := object(
			"id", "x.id",
			"meta", meta,
			"time", "x.at",
			"eventType", "x.event_type",
			"person", personRef(q, "x.person_id"),
			"group", groupRef(q, "x.group_id"),
			"registeredBy", "CASE WHEN $2 OR (SELECT r.security_marking FROM persons r WHERE r.id = x.registered_by) = 'Ingen' THEN "+
				personRef(q, "x.registered_by")+" END",
		)
		var embedded []string
		if slices.Contains(q.Expand, "person") {
			embedded = append(embedded, "person", "(SELECT "+as(personObject(listQuery{Names: q.Names}), "x", "p")+" FROM persons p WHERE p.id = x.person_id)")
		}
		if slices.Contains(q.Expand, "group") {
			embedded = append(embedded, "group", "(SELECT "+as(groupFragment(q), "x", "g")+" FROM groups g WHERE g.id = x.group_id)")
		}
		if slices.Contains(q.Expand, "registeredBy") {
			embedded = append(embedded, "registeredBy", "(SELECT "+as(personObject(listQuery{Names: q.Names}), "x", "p")+
				" FROM persons p WHERE p.id = x.registered_by AND "+seen("p")+")")
		}
		if len(embedded) > 0 {
			o = "(" + o + " || " + obj("_embedded", object(embedded...)) + ")"
		}
		return o
	},
	filters: map[string]filter{
		"group":  {many: true, check: checkUUID, cond: "x.group_id = ANY (%[1]s::uuid[])"},
		"person": {check: checkUUID, cond: "x.person_id = %[1]s::uuid"},
	},
	expand: []string{"person", "group", "registeredBy"},
	lookup: map[string]filter{
		"ids":    {check: checkUUID, cond: "x.id = ANY (%[1]s::uuid[])"},
		"person": {check: checkUUID, cond: "x.person_id = ANY (%[1]s::uuid[])"},
		"group":  {check: checkUUID, cond: "x.group_id = ANY (%[1]s::uuid[])"},
	},
}

// reportAttendanceEvent records a pupil's arrival or leaving at a group the pupil is in.
func (h handlers) reportAttendanceEvent(c *gin.Context) {
	const op = "ss12000.attendanceEvents.report"
	var in struct {
		Time         *time.Time `json:"time"`
		EventType    string     `json:"eventType"`
		Person       *reference `json:"person"`
		Group        *reference `json:"group"`
		RegisteredBy *reference `json:"registeredBy"`
	}
	if err := decode(c, &in); err != nil {
		api.Abort(c, err)
		return
	}
	var bad []errs.FieldError
	add := func(field, detail string) { bad = append(bad, errs.FieldError{Field: field, Detail: detail}) }
	person, group := in.Person.id(), in.Group.id()
	if in.Time == nil {
		add("time", "is required")
	} else if in.Time.After(time.Now().Add(5 * time.Minute)) {
		add("time", "is in the future: an arrival or leaving is reported when it happens")
	}
	if in.EventType != "In" && in.EventType != "Ut" {
		add("eventType", "must be In or Ut")
	}
	if checkUUID(person) != "" {
		add("person.id", "must be a UUID")
	}
	if checkUUID(group) != "" {
		add("group.id", "must be a UUID")
	}
	if in.RegisteredBy != nil && checkUUID(in.RegisteredBy.ID) != "" {
		add("registeredBy.id", "must be a UUID")
	}
	if len(bad) > 0 {
		api.Abort(c, invalid(bad...))
		return
	}
	if err := h.reachAll(c, target{groups, group, "group.id"}, target{persons, person, "person.id"}); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	var member bool
	if err := h.db.QueryRow(c, `SELECT EXISTS (SELECT 1 FROM group_memberships m WHERE m.group_id = $1 AND m.person_id = $2
		AND m.start_date <= ($3::timestamptz AT TIME ZONE 'Europe/Stockholm')::date
		AND (m.end_date IS NULL OR m.end_date >= ($3::timestamptz AT TIME ZONE 'Europe/Stockholm')::date))`, group, person, *in.Time).Scan(&member); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if !member {
		api.Abort(c, invalid(errs.FieldError{Field: "person.id", Detail: "is not in the group on that day"}))
		return
	}
	var by *string
	if in.RegisteredBy != nil {
		var staff bool
		if err := h.db.QueryRow(c, `SELECT EXISTS (SELECT 1 FROM groups g JOIN duties d ON d.duty_at = g.organisation_id
			WHERE g.id = $1 AND d.person_id = $2 AND (d.end_date IS NULL OR d.end_date >= current_date))`, group, in.RegisteredBy.ID).Scan(&staff); err != nil {
			api.Abort(c, errs.E(op, err))
			return
		}
		if !staff {
			api.Abort(c, invalid(errs.FieldError{Field: "registeredBy.id", Detail: "is not staff of the group's school"}))
			return
		}
		by = &in.RegisteredBy.ID
	}
	// The same event reported twice is one: its id is what it is.
	id := uuid.NewSHA1(uuid.MustParse(person), []byte(group+"|"+in.EventType+"|"+in.Time.UTC().Format(time.RFC3339Nano))).String()
	if _, err := h.db.Exec(c, `INSERT INTO attendance_events (id, person_id, group_id, event_type, at, registered_by)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`, id, person, group, in.EventType, *in.Time, by); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	h.answer(c, attendanceEvents, id)
}

// deleteAttendanceEvent deletes an arrival or leaving reported in error.
func (h handlers) deleteAttendanceEvent(c *gin.Context) {
	const op = "ss12000.attendanceEvents.delete"
	ok, err := h.reaches(c, attendanceEvents, c.Param("id"))
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if !ok {
		api.Abort(c, errs.E(op, errs.NotFound, errs.Msg("There is no such attendance event.")))
		return
	}
	if _, err := h.db.Exec(c, `DELETE FROM attendance_events WHERE id = $1`, c.Param("id")); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.Status(http.StatusNoContent)
}
