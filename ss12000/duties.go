package ss12000

import "slices"

// duties: a member of staff's employment in a role at an organisation (Duty). A duty tells where
// a person works, so that of a person with a protection marking is served only to a client
// granted protected persons.
var duties = &resource{
	name:    "duties",
	from:    "duties x JOIN persons xp ON xp.id = x.person_id",
	scope:   "x.duty_at = ANY ($1)",
	visible: "xp.security_marking = 'Ingen'",
	object: func(q listQuery) string {
		o := dutyObject(q)
		if slices.Contains(q.Expand, "person") {
			o = "(" + o + " || " + obj("_embedded", obj("person",
				"(SELECT "+as(personObject(listQuery{Names: q.Names}), "x", "p")+" FROM persons p WHERE p.id = x.person_id)")) + ")"
		}
		return o
	},
	filters: map[string]filter{
		// The standard: the organisation and the ones below it.
		"organisation": {check: checkUUID, cond: `x.duty_at IN (WITH RECURSIVE below (id) AS (SELECT %[1]s::uuid
			UNION SELECT o.id FROM organisations o JOIN below b ON o.parent_organisation_id = b.id) SELECT id FROM below)`},
		"dutyRole": {check: checkOneOf(dutyRoles...), cond: "x.duty_role = %[1]s"},
		"person":   {check: checkUUID, cond: "x.person_id = %[1]s::uuid"},
	},
	dates: true,
	sortkeys: map[string]*sortSpec{
		"StartDateAsc":  {keys: []sortKey{{"x.start_date", "date"}}},
		"StartDateDesc": {keys: []sortKey{{"x.start_date", "date"}}, desc: true},
		"ModifiedDesc":  {keys: []sortKey{{"x.meta_modified", "timestamptz"}}, desc: true},
	},
	expand: []string{"person"},
	lookup: map[string]filter{
		"ids": {check: checkUUID, cond: "x.id = ANY (%[1]s::uuid[])"},
	},
}

// dutyObject is a Duty. Its assignmentRole lists the groups it mentors: the standard's
// assignment roles have no teacher (teaching is an Activity's teachers).
func dutyObject(q listQuery) string {
	return object(
		"id", "x.id",
		"meta", meta,
		"person", personRef(q, "x.person_id"),
		"dutyAt", orgRef(q, "x.duty_at"),
		"dutyRole", "x.duty_role",
		"signature", "x.signature",
		"startDate", "x.start_date",
		"endDate", "x.end_date",
		"assignmentRole", array(obj("group", groupRef(q, "ga.group_id"), "assignmentRoleType", "ga.assignment_role",
			"startDate", "ga.start_date", "endDate", "ga.end_date")+" ORDER BY ga.group_id",
			"group_assignments ga WHERE ga.duty_id = x.id AND ga.assignment_role = 'Mentor'"),
	)
}

// dutyRoles is the standard's DutyRole.
var dutyRoles = []string{"Rektor", "Lärare", "Förskollärare", "Barnskötare", "Bibliotekarie", "Lärarassistent",
	"Fritidspedagog", "Annan personal", "Studie- och yrkesvägledare", "Förstelärare", "Kurator", "Skolsköterska",
	"Skolläkare", "Skolpsykolog", "Speciallärare/specialpedagog", "Skoladministratör", "Övrig arbetsledning",
	"Övrig pedagogisk personal", "Förskolechef"}
