package ss12000

import "slices"

// groups: a class, teaching group, mentor group, ... of a school unit (Group), with its members.
// A member with a protection marking is named only to a client granted protected persons.
var groups = &resource{
	name:  "groups",
	from:  "groups x",
	scope: "x.organisation_id = ANY ($1)",
	object: func(q listQuery) string {
		members := array(obj("person", personRef(q, "m.person_id"), "startDate", "m.start_date", "endDate", "m.end_date")+" ORDER BY m.person_id",
			"group_memberships m JOIN persons mp ON mp.id = m.person_id WHERE m.group_id = x.id AND "+seen("mp"))
		o := "(" + groupFragment(q) + " || " + object("groupMemberships", members) + ")"
		if slices.Contains(q.Expand, "assignmentRoles") {
			o = "(" + o + " || " + obj("_embedded", object("assignmentRoles", array(
				obj("duty", dutyRef(q, "ga.duty_id"), "assignmentRoleType", "ga.assignment_role", "startDate", "ga.start_date",
					"endDate", "ga.end_date")+" ORDER BY ga.duty_id",
				"group_assignments ga JOIN duties gd ON gd.id = ga.duty_id JOIN persons gp ON gp.id = gd.person_id WHERE ga.group_id = x.id AND ga.assignment_role = 'Mentor' AND "+seen("gp")))) + ")"
		}
		return o
	},
	filters: map[string]filter{
		"groupType":    {many: true, check: checkOneOf(groupTypes...), cond: "x.group_type = ANY (%[1]s::text[])"},
		"schoolTypes":  {many: true, check: checkOneOf(schoolTypes...), cond: "x.school_type = ANY (%[1]s::text[])"},
		"organisation": {many: true, check: checkUUID, cond: "x.organisation_id = ANY (%[1]s::uuid[])"},
	},
	dates: true,
	sortkeys: map[string]*sortSpec{
		"ModifiedDesc":   {keys: []sortKey{{"x.meta_modified", "timestamptz"}}, desc: true},
		"DisplayNameAsc": {keys: []sortKey{{"x.display_name", "text"}}},
		"StartDateAsc":   {keys: []sortKey{{"x.start_date", "date"}}},
		"StartDateDesc":  {keys: []sortKey{{"x.start_date", "date"}}, desc: true},
		"EndDateAsc":     {keys: []sortKey{{"coalesce(x.end_date, 'infinity')", "date"}}},
		"EndDateDesc":    {keys: []sortKey{{"coalesce(x.end_date, 'infinity')", "date"}}, desc: true},
	},
	expand: []string{"assignmentRoles"},
	lookup: map[string]filter{
		"ids": {check: checkUUID, cond: "x.id = ANY (%[1]s::uuid[])"},
	},
}

// groupFragment is a GroupFragment: a group without its members.
func groupFragment(q listQuery) string {
	return object(
		"id", "x.id",
		"meta", meta,
		"displayName", "x.display_name",
		"groupType", "x.group_type",
		"schoolType", "x.school_type",
		"organisation", orgRef(q, "x.organisation_id"),
		"startDate", "x.start_date",
		"endDate", "x.end_date",
	)
}

// groupTypes is the standard's GroupTypesEnum.
var groupTypes = []string{"Undervisning", "Klass", "Mentor", "Provgrupp", "Schema", "Avdelning", "Personalgrupp", "Övrigt"}
