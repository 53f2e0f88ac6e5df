package ss12000

// absences: a custodial guardian's report that a child is or will be absent (Absence, Anmäld
// frånvaro). A child's absence is at the schools the child is enrolled or placed at; that of a
// child with a protection marking is served only to a client granted protected persons, and a
// reporting guardian with one is not named to any other.
const childAt = `(EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = x.person_id AND e.enroled_at = ANY (%[1]s) AND ` + "(e.end_date IS NULL OR e.end_date >= current_date)" + `)
	OR EXISTS (SELECT 1 FROM placements pl WHERE pl.child_id = x.person_id AND pl.placed_at = ANY (%[1]s) AND ` + "(pl.end_date IS NULL OR pl.end_date >= current_date)" + `))`

var absences = &resource{
	name:    "absences",
	from:    "absence_reports x JOIN persons xp ON xp.id = x.person_id",
	scope:   sprintf(childAt, "$1"),
	visible: "xp.security_marking = 'Ingen'",
	object: func(q listQuery) string {
		return object(
			"id", "x.id",
			"meta", meta,
			"startTime", "x.start_time",
			"endTime", "x.end_time",
			"type", "x.absence_type",
			"student", personRef(q, "x.person_id"),
			"organisation", orgRef(q, `(SELECT e.enroled_at FROM enrolments e WHERE e.person_id = x.person_id AND `+current("e")+`
				ORDER BY e.start_date DESC, e.id LIMIT 1)`),
			"registeredBy", "CASE WHEN $2 OR (SELECT r.security_marking FROM persons r WHERE r.id = x.reported_by) = 'Ingen' THEN "+
				personRef(q, "x.reported_by")+" END",
		)
	},
	filters: map[string]filter{
		"organisation":         {check: checkUUID, cond: sprintf(childAt, "ARRAY[%[1]s::uuid]")},
		"student":              {check: checkUUID, cond: "x.person_id = %[1]s::uuid"},
		"registeredBy":         {check: checkUUID, cond: "x.reported_by = %[1]s::uuid"},
		"type":                 {check: checkOneOf("Beviljad ledighet", "Anmäld frånvaro"), cond: "x.absence_type = %[1]s"},
		"startTime.onOrAfter":  {check: checkDateTime, cond: "x.start_time >= %[1]s::timestamptz"},
		"startTime.onOrBefore": {check: checkDateTime, cond: "x.start_time <= %[1]s::timestamptz"},
		"endTime.onOrAfter":    {check: checkDateTime, cond: "x.end_time >= %[1]s::timestamptz"},
		"endTime.onOrBefore":   {check: checkDateTime, cond: "x.end_time <= %[1]s::timestamptz"},
	},
	sortkeys: map[string]*sortSpec{
		"ModifiedDesc":  {keys: []sortKey{{"x.meta_modified", "timestamptz"}}, desc: true},
		"StartTimeAsc":  {keys: []sortKey{{"x.start_time", "timestamptz"}}},
		"StartTimeDesc": {keys: []sortKey{{"x.start_time", "timestamptz"}}, desc: true},
	},
	lookup: map[string]filter{
		"ids": {check: checkUUID, cond: "x.id = ANY (%[1]s::uuid[])"},
	},
}
