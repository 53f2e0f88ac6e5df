package ss12000

import "slices"

// calendarEvents: lessons, each an occurrence of an activity (CalendarEvent). A lesson names its
// group, not its activity: its activity is the one that teaches the group the lesson's subject,
// or else the group's first; a lesson of a group no activity teaches is no CalendarEvent and is
// not served.
//
// The standard's lookup of calendar events answers, by its document, a list of Attendance: no
// calendar event could meet it, so that lookup is not served (GET by id and the list are).
const lessonActivity = `CROSS JOIN LATERAL (SELECT a.id FROM activity_groups ag JOIN activities a ON a.id = ag.activity_id
	LEFT JOIN syllabuses s ON s.id = a.syllabus_id WHERE ag.group_id = x.group_id
	ORDER BY (s.subject_code IS NOT DISTINCT FROM x.subject_code) DESC, a.id LIMIT 1) xa (activity_id)`

var calendarEvents = &resource{
	name:  "calendarEvents",
	from:  "lessons x " + lessonActivity,
	scope: "x.school_id = ANY ($1)",
	object: func(q listQuery) string {
		o := calendarEventObject(q)
		var embedded []string
		if slices.Contains(q.Expand, "activity") {
			embedded = append(embedded, "activity", "(SELECT "+as(activityObject(q), "x", "a")+" FROM activities a WHERE a.id = xa.activity_id)")
		}
		if slices.Contains(q.Expand, "attendance") {
			embedded = append(embedded, "attendance", array(as(attendanceObject(q), "x", "t")+" ORDER BY t.id",
				"attendance t JOIN persons tp ON tp.id = t.person_id WHERE t.lesson_id = x.id AND "+seen("tp")))
		}
		if len(embedded) > 0 {
			o = "(" + o + " || " + obj("_embedded", object(embedded...)) + ")"
		}
		return o
	},
	filters: map[string]filter{
		"startTime.onOrAfter":  {check: checkDateTime, cond: "x.start_time >= %[1]s::timestamptz"},
		"startTime.onOrBefore": {check: checkDateTime, cond: "x.start_time <= %[1]s::timestamptz"},
		"endTime.onOrAfter":    {check: checkDateTime, cond: "x.end_time >= %[1]s::timestamptz"},
		"endTime.onOrBefore":   {check: checkDateTime, cond: "x.end_time <= %[1]s::timestamptz"},
		"activity":             {check: checkUUID, cond: "xa.activity_id = %[1]s::uuid"},
		"student": {check: checkUUID, cond: `EXISTS (SELECT 1 FROM group_memberships m WHERE m.group_id = x.group_id
			AND m.person_id = %[1]s::uuid)`},
		"teacher":      {check: checkUUID, cond: "x.teacher_id = (SELECT d.person_id FROM duties d WHERE d.id = %[1]s::uuid)"},
		"organisation": {check: checkUUID, cond: "x.school_id = %[1]s::uuid"},
		"group":        {check: checkUUID, cond: "x.group_id = %[1]s::uuid"},
	},
	required: []string{"startTime.onOrAfter", "startTime.onOrBefore"},
	sortkeys: map[string]*sortSpec{
		"ModifiedDesc":  {keys: []sortKey{{"x.meta_modified", "timestamptz"}}, desc: true},
		"StartTimeAsc":  {keys: []sortKey{{"x.start_time", "timestamptz"}}},
		"StartTimeDesc": {keys: []sortKey{{"x.start_time", "timestamptz"}}, desc: true},
	},
	expand: []string{"activity", "attendance"},
	lookup: map[string]filter{
		"ids": {check: checkUUID, cond: "x.id = ANY (%[1]s::uuid[])"},
	},
}

// calendarEventObject is a CalendarEvent: its length is the lesson's, for teacher and pupils.
func calendarEventObject(q listQuery) string {
	minutes := "(extract(epoch FROM x.end_time - x.start_time) / 60)::integer"
	return object(
		"id", "x.id",
		"meta", meta,
		"activity", activityRef(q, "xa.activity_id"),
		"startTime", "x.start_time",
		"endTime", "x.end_time",
		"cancelled", "false",
		"teachingLengthTeacher", minutes,
		"teachingLengthStudent", minutes,
	)
}
