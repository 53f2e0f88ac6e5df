package ss12000

// attendances: a pupil's attendance at a lesson, in minutes (Attendance), as the teacher took
// the register. That of a pupil with a protection marking is served only to a client granted
// protected persons.
var attendances = &resource{
	name:    "attendances",
	from:    "attendance x JOIN lessons xl ON xl.id = x.lesson_id JOIN persons xp ON xp.id = x.person_id",
	scope:   "xl.school_id = ANY ($1)",
	visible: "xp.security_marking = 'Ingen'",
	object:  attendanceObject,
	filters: map[string]filter{
		"student":       {check: checkUUID, cond: "x.person_id = %[1]s::uuid"},
		"organisation":  {check: checkUUID, cond: "xl.school_id = %[1]s::uuid"},
		"calendarEvent": {check: checkUUID, cond: "x.lesson_id = %[1]s::uuid"},
	},
	lookup: map[string]filter{
		"ids":      {check: checkUUID, cond: "x.id = ANY (%[1]s::uuid[])"},
		"students": {check: checkUUID, cond: "x.person_id = ANY (%[1]s::uuid[])"},
		// The standard spells the member calendareEvents.
		"calendareEvents": {check: checkUUID, cond: "x.lesson_id = ANY (%[1]s::uuid[])"},
		"activities": {check: checkUUID, cond: `EXISTS (SELECT 1 FROM lessons l JOIN activity_groups ag ON ag.group_id = l.group_id
			WHERE l.id = x.lesson_id AND ag.activity_id = ANY (%[1]s::uuid[]))`},
	},
}

// attendanceObject is an Attendance: the register as taken, all of it reported.
func attendanceObject(q listQuery) string {
	return object(
		"id", "x.id",
		"meta", meta,
		"calendarEvent", ref(q, "x.lesson_id", ""),
		"student", personRef(q, "x.person_id"),
		"reporter", personRef(q, "x.registered_by"),
		"isReported", "true",
		"attendanceMinutes", "x.attended_minutes",
		"validAbsenceMinutes", "x.valid_absence_minutes",
		"invalidAbsenceMinutes", "x.invalid_absence_minutes",
		"reportedTimestamp", "x.registered_at",
	)
}
