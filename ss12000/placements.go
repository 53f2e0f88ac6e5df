package ss12000

import "slices"

// placements: a child placed at a preschool or pedagogical care (Placement). A placement tells
// where a child is, so that of a child with a protection marking is served only to a client
// granted protected persons.
//
// The standard's owners of a placement are those who see and plan the child's schedule: in the
// register, the child's custodial guardians (vårdnadshavare) in force, each named only if the
// client may be told of them. They follow the child's custody: a change of custody modifies the
// child (Person), not the placement.
var placements = &resource{
	name:    "placements",
	from:    "placements x JOIN persons xc ON xc.id = x.child_id",
	scope:   "x.placed_at = ANY ($1)",
	visible: "xc.security_marking = 'Ingen'",
	object: func(q listQuery) string {
		o := placementObject(q)
		if slices.Contains(q.Expand, "child") || slices.Contains(q.Expand, "owners") {
			var embedded []string
			if slices.Contains(q.Expand, "child") {
				embedded = append(embedded, "child", "(SELECT "+as(personObject(listQuery{Names: q.Names}), "x", "c")+" FROM persons c WHERE c.id = x.child_id)")
			}
			if slices.Contains(q.Expand, "owners") {
				embedded = append(embedded, "owners", array(as(personObject(listQuery{Names: q.Names}), "x", "o")+" ORDER BY o.id",
					"persons o WHERE "+owns("o.id", "x.child_id")+" AND "+seen("o")))
			}
			o = "(" + o + " || " + obj("_embedded", object(embedded...)) + ")"
		}
		return o
	},
	filters: map[string]filter{
		"organisation": {check: checkUUID, cond: "x.placed_at = %[1]s::uuid"},
		"group":        {check: checkUUID, cond: "x.group_id = %[1]s::uuid"},
		"child":        {check: checkUUID, cond: "x.child_id = %[1]s::uuid"},
		// An owner the client may not be told of owns nothing for it: the answer would say so.
		"owner": {check: checkUUID, cond: owns("%[1]s::uuid", "x.child_id") + " AND EXISTS (SELECT 1 FROM persons po WHERE po.id = %[1]s::uuid AND " + seen("po") + ")"},
	},
	dates: true,
	sortkeys: map[string]*sortSpec{
		"StartDateAsc":  {keys: []sortKey{{"x.start_date", "date"}}},
		"StartDateDesc": {keys: []sortKey{{"x.start_date", "date"}}, desc: true},
		"EndDateAsc":    {keys: []sortKey{{"coalesce(x.end_date, 'infinity')", "date"}}},
		"EndDateDesc":   {keys: []sortKey{{"coalesce(x.end_date, 'infinity')", "date"}}, desc: true},
		"ModifiedDesc":  {keys: []sortKey{{"x.meta_modified", "timestamptz"}}, desc: true},
	},
	expand: []string{"child", "owners"},
	lookup: map[string]filter{
		"ids":       {check: checkUUID, cond: "x.id = ANY (%[1]s::uuid[])"},
		"personIds": {check: checkUUID, cond: "x.child_id = ANY (%[1]s::uuid[])"},
	},
}

func placementObject(q listQuery) string {
	return object(
		"id", "x.id",
		"meta", meta,
		"placedAt", orgRef(q, "x.placed_at"),
		"group", groupRef(q, "x.group_id"),
		"child", personRef(q, "x.child_id"),
		"owners", array(personRef(q, "op.id")+" ORDER BY op.id", "persons op WHERE "+owns("op.id", "x.child_id")+" AND "+seen("op")),
		"schoolType", "x.school_type",
		"startDate", "x.start_date",
		"endDate", "x.end_date",
	)
}

// owns is the condition that the person whose id is ownerExpr owns the placements of the child
// childExpr: they are the child's custodial guardian today.
func owns(ownerExpr, childExpr string) string {
	return "EXISTS (SELECT 1 FROM responsibles ro WHERE ro.person_id = " + childExpr + " AND ro.responsible_id = " + ownerExpr +
		" AND ro.relation_type = 'Vårdnadshavare' AND " + current("ro") + ")"
}
