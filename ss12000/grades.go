package ss12000

// grades: final grades (Grade), once their period is published: no system is told a grade
// before the pupil and the guardians may read it. A grade never changes once final; a
// correction is a grade of its own that names its kind (correctionType). The grade of a pupil
// with a protection marking is served only to a client granted protected persons.
//
// The standard's document requires a schoolUnit that its Grade does not define, and defines the
// school unit as organisation (a known fault of the official file): each grade carries both, the
// same reference, so that it meets the document and a reader of either name finds the school.
var grades = &resource{
	name:  "grades",
	from:  "grades x JOIN grading_periods xg ON xg.id = x.period_id JOIN persons xp ON xp.id = x.student_id",
	where: "x.signed_at IS NOT NULL AND xg.published_at <= now()",
	scope: "x.organisation_id = ANY ($1)",
	// The grade names its pupil, who entered it and who set it: each must be one the client may
	// be told of.
	visible: `xp.security_marking = 'Ingen' AND NOT EXISTS (SELECT 1 FROM persons t WHERE t.id IN (x.registered_by, x.grading_teacher)
		AND t.security_marking <> 'Ingen')`,
	// A grade changes for its readers when it is signed, and when its period is published.
	created: "x.set_at", modified: "greatest(x.signed_at, xg.published_at)",
	object: func(q listQuery) string {
		return object(
			"id", "x.id",
			"meta", "jsonb_build_object('created', x.set_at, 'modified', greatest(x.signed_at, xg.published_at))",
			"student", personRef(q, "x.student_id"),
			"organisation", orgRef(q, "x.organisation_id"),
			"schoolUnit", orgRef(q, "x.organisation_id"),
			"registeredBy", personRef(q, "x.registered_by"),
			"gradingTeacher", personRef(q, "x.grading_teacher"),
			"registeredDate", "(x.set_at AT TIME ZONE 'Europe/Stockholm')::date",
			"gradeValue", "x.grade_value",
			"finalGrade", "true",
			"trial", "false",
			// The register keeps no adapted study plan with a grade: none.
			"adaptedStudyPlan", "''",
			"correctionType", "x.correction_type",
			"semester", "x.semester",
			"year", "x.year",
			"syllabus", syllabusRef(q, "x.syllabus_id"),
		)
	},
	filters: map[string]filter{
		"organisation":              {check: checkUUID, cond: "x.organisation_id = %[1]s::uuid"},
		"student":                   {check: checkUUID, cond: "x.student_id = %[1]s::uuid"},
		"registeredBy":              {check: checkUUID, cond: "x.registered_by = %[1]s::uuid"},
		"gradingTeacher":            {check: checkUUID, cond: "x.grading_teacher = %[1]s::uuid"},
		"registeredDate.onOrAfter":  {check: checkDate, cond: "(x.set_at AT TIME ZONE 'Europe/Stockholm')::date >= %[1]s::date"},
		"registeredDate.onOrBefore": {check: checkDate, cond: "(x.set_at AT TIME ZONE 'Europe/Stockholm')::date <= %[1]s::date"},
	},
	sortkeys: map[string]*sortSpec{
		"registeredDateAsc":  {keys: []sortKey{{"x.set_at", "timestamptz"}}},
		"registeredDateDesc": {keys: []sortKey{{"x.set_at", "timestamptz"}}, desc: true},
		"ModifiedDesc":       {keys: []sortKey{{"greatest(x.signed_at, xg.published_at)", "timestamptz"}}, desc: true},
	},
	lookup: map[string]filter{
		"ids": {check: checkUUID, cond: "x.id = ANY (%[1]s::uuid[])"},
	},
}
