package ss12000

import "slices"

// activities: the teaching of a syllabus to groups by teachers at a school unit (Activity). The
// standard requires an activity to have a group; one that has none yet is not served.
var activities = &resource{
	name:  "activities",
	from:  "activities x",
	scope: "x.organisation_id = ANY ($1)",
	where: "EXISTS (SELECT 1 FROM activity_groups ag WHERE ag.activity_id = x.id)",
	object: func(q listQuery) string {
		o := activityObject(q)
		var embedded []string
		if slices.Contains(q.Expand, "groups") {
			embedded = append(embedded, "groups", array(as(groupFragment(q), "x", "g")+" ORDER BY g.id",
				"activity_groups ag JOIN groups g ON g.id = ag.group_id WHERE ag.activity_id = x.id"))
		}
		if slices.Contains(q.Expand, "teachers") {
			embedded = append(embedded, "teachers", array(as(dutyObject(q), "x", "d")+" ORDER BY d.id",
				"activity_teachers at JOIN duties d ON d.id = at.duty_id JOIN persons tp ON tp.id = d.person_id WHERE at.activity_id = x.id AND "+seen("tp")+" AND "+inScope("d.duty_at")))
		}
		if slices.Contains(q.Expand, "syllabus") {
			embedded = append(embedded, "syllabus", "(SELECT "+as(syllabusObject(q), "x", "s")+" FROM syllabuses s WHERE s.id = x.syllabus_id)")
		}
		if len(embedded) > 0 {
			o = "(" + o + " || " + obj("_embedded", object(embedded...)) + ")"
		}
		return o
	},
	filters: map[string]filter{
		"member": {check: checkUUID, cond: `EXISTS (SELECT 1 FROM activity_groups ag JOIN group_memberships m ON m.group_id = ag.group_id
			WHERE ag.activity_id = x.id AND m.person_id = %[1]s::uuid)`},
		"teacher":      {check: checkUUID, cond: "EXISTS (SELECT 1 FROM activity_teachers at WHERE at.activity_id = x.id AND at.duty_id = %[1]s::uuid)"},
		"organisation": {check: checkUUID, cond: "x.organisation_id = %[1]s::uuid"},
		"group":        {check: checkUUID, cond: "EXISTS (SELECT 1 FROM activity_groups ag WHERE ag.activity_id = x.id AND ag.group_id = %[1]s::uuid)"},
	},
	dates: true,
	sortkeys: map[string]*sortSpec{
		"ModifiedDesc":   {keys: []sortKey{{"x.meta_modified", "timestamptz"}}, desc: true},
		"DisplayNameAsc": {keys: []sortKey{{"x.display_name", "text"}}},
	},
	expand: []string{"groups", "teachers", "syllabus"},
	lookup: map[string]filter{
		"ids":      {check: checkUUID, cond: "x.id = ANY (%[1]s::uuid[])"},
		"teachers": {check: checkUUID, cond: "EXISTS (SELECT 1 FROM activity_teachers at WHERE at.activity_id = x.id AND at.duty_id = ANY (%[1]s::uuid[]))"},
		"members": {check: checkUUID, cond: `EXISTS (SELECT 1 FROM activity_groups ag JOIN group_memberships m ON m.group_id = ag.group_id
			WHERE ag.activity_id = x.id AND m.person_id = ANY (%[1]s::uuid[]))`},
	},
}

// activityObject is an Activity. The register plans no lessons' minutes, and an activity's
// lessons are not required of it (calendarEventsRequired).
func activityObject(q listQuery) string {
	return object(
		"id", "x.id",
		"meta", meta,
		"displayName", "x.display_name",
		"activityType", "x.activity_type",
		"calendarEventsRequired", "false",
		"organisation", orgRef(q, "x.organisation_id"),
		"syllabus", syllabusRef(q, "x.syllabus_id"),
		"groups", array(groupRef(q, "ag.group_id")+" ORDER BY ag.group_id", "activity_groups ag WHERE ag.activity_id = x.id"),
		// A teacher with a protection marking is left out, for a client not granted them.
		"teachers", array(obj("duty", dutyRef(q, "at.duty_id"))+" ORDER BY at.duty_id",
			"activity_teachers at JOIN duties td ON td.id = at.duty_id JOIN persons tp ON tp.id = td.person_id WHERE at.activity_id = x.id AND "+seen("tp")),
		"startDate", "x.start_date",
		"endDate", "x.end_date",
	)
}
