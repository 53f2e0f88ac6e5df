package ss12000

import (
	"fmt"
	"slices"
	"strings"
)

// persons: pupils, guardians and staff (Person). A client is served a person who has a relation
// in force to an organisation in its scope: enrolled there, placed there, on duty there, or the
// responsible adult of a child enrolled or placed there. A person with a protection marking is
// served only to a client granted that, and their addresses never are.
var persons = &resource{
	name:    "persons",
	from:    "persons x",
	visible: "x.security_marking = 'Ingen'",
	scope: strings.Join([]string{
		"EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = x.id AND e.enroled_at = ANY ($1) AND " + current("e") + ")",
		"EXISTS (SELECT 1 FROM placements pl WHERE pl.child_id = x.id AND pl.placed_at = ANY ($1) AND " + current("pl") + ")",
		"EXISTS (SELECT 1 FROM duties d WHERE d.person_id = x.id AND d.duty_at = ANY ($1) AND " + current("d") + ")",
		"EXISTS (SELECT 1 FROM responsibles r JOIN enrolments e ON e.person_id = r.person_id WHERE r.responsible_id = x.id AND e.enroled_at = ANY ($1) AND " + current("e") + " AND " + current("r") + ")",
		"EXISTS (SELECT 1 FROM responsibles r JOIN placements pl ON pl.child_id = r.person_id WHERE r.responsible_id = x.id AND pl.placed_at = ANY ($1) AND " + current("pl") + " AND " + current("r") + ")",
	}, " OR "),
	object: personObject,
	filters: map[string]filter{
		// Every value must be part of a name (the standard): given or family, in any case.
		"nameContains": {many: true, check: checkText, cond: `NOT EXISTS (SELECT 1 FROM unnest(%[1]s::text[]) n
			WHERE strpos(lower(x.given_name), lower(n)) = 0 AND strpos(lower(x.family_name), lower(n)) = 0)`},
		"civicNo":                {check: checkText, cond: "x.civic_no = %[1]s"},
		"eduPersonPrincipalName": {check: checkText, cond: "EXISTS (SELECT 1 FROM person_principal_names n WHERE n.person_id = x.id AND n.principal_name = %[1]s)"},
		// The register keeps no other identifiers than the civic number.
		"identifier.value":                  {check: checkText, cond: "(%[1]s::text IS NULL)"},
		"identifier.context":                {check: checkText, cond: "(%[1]s::text IS NULL)"},
		"relationship.entity.type":          {check: checkOneOf(relationKinds()...), cond: relationCond("r.kind = %[1]s")},
		"relationship.organisation":         {check: checkUUID, cond: relationCond("r.org = %[1]s::uuid")},
		"relationship.startDate.onOrBefore": {check: checkDate, cond: relationCond("r.start_date <= %[1]s::date")},
		"relationship.startDate.onOrAfter":  {check: checkDate, cond: relationCond("r.start_date >= %[1]s::date")},
		"relationship.endDate.onOrBefore":   {check: checkDate, cond: relationCond("(r.end_date IS NULL OR r.end_date <= %[1]s::date)")},
		"relationship.endDate.onOrAfter":    {check: checkDate, cond: relationCond("(r.end_date IS NULL OR r.end_date >= %[1]s::date)")},
	},
	sortkeys: map[string]*sortSpec{
		"DisplayNameAsc": {keys: []sortKey{{"x.given_name || ' ' || x.family_name", "text"}}},
		"GivenNameAsc":   {keys: []sortKey{{"x.given_name", "text"}}},
		"GivenNameDesc":  {keys: []sortKey{{"x.given_name", "text"}}, desc: true},
		"FamilyNameAsc":  {keys: []sortKey{{"x.family_name", "text"}}},
		"FamilyNameDesc": {keys: []sortKey{{"x.family_name", "text"}}, desc: true},
		"CivicNoAsc":     {keys: []sortKey{{"coalesce(x.civic_no, '')", "text"}}},
		"CivicNoDesc":    {keys: []sortKey{{"coalesce(x.civic_no, '')", "text"}}, desc: true},
		"ModifiedDesc":   {keys: []sortKey{{"x.meta_modified", "timestamptz"}}, desc: true},
	},
	expand: []string{"duties", "responsibleFor", "placements", "ownedPlacements", "groupMemberships"},
	lookup: map[string]filter{
		"ids":      {check: checkUUID, cond: "x.id = ANY (%[1]s::uuid[])"},
		"civicNos": {check: checkText, cond: "x.civic_no = ANY (%[1]s::text[])"},
	},
}

// relations are a person's relations to organisations, by the standard's relationship.entity.type:
// each a query of (person, kind, org, start_date, end_date). A placement's owners are the
// child's custodial guardians (placements.go).
var relations = []struct{ kind, sql string }{
	{"enrolment", "SELECT e.person_id, 'enrolment', e.enroled_at, e.start_date, e.end_date FROM enrolments e"},
	{"duty", "SELECT d.person_id, 'duty', d.duty_at, d.start_date, d.end_date FROM duties d"},
	{"placement.child", "SELECT pl.child_id, 'placement.child', pl.placed_at, pl.start_date, pl.end_date FROM placements pl"},
	{"placement.owner", "SELECT r.responsible_id, 'placement.owner', pl.placed_at, pl.start_date, pl.end_date FROM responsibles r JOIN placements pl ON pl.child_id = r.person_id WHERE r.relation_type = 'Vårdnadshavare' AND " + current("r")},
	{"responsibleFor.enrolment", "SELECT r.responsible_id, 'responsibleFor.enrolment', e.enroled_at, e.start_date, e.end_date FROM responsibles r JOIN enrolments e ON e.person_id = r.person_id"},
	{"responsibleFor.placement", "SELECT r.responsible_id, 'responsibleFor.placement', pl.placed_at, pl.start_date, pl.end_date FROM responsibles r JOIN placements pl ON pl.child_id = r.person_id"},
	{"groupMembership", "SELECT m.person_id, 'groupMembership', g.organisation_id, m.start_date, m.end_date FROM group_memberships m JOIN groups g ON g.id = m.group_id"},
}

func relationKinds() []string {
	out := make([]string, len(relations))
	for i, r := range relations {
		out[i] = r.kind
	}
	return out
}

// relationCond is a condition on one of the person's relations. The standard's relationship.*
// filters all speak of the same relation; each is a condition of its own here, so a person with
// two relations can meet two filters with different ones.
func relationCond(cond string) string {
	union := make([]string, len(relations))
	for i, r := range relations {
		union[i] = r.sql
	}
	return fmt.Sprintf("EXISTS (SELECT 1 FROM (%s) r (person_id, kind, org, start_date, end_date) WHERE r.person_id = x.id AND %s)",
		strings.Join(union, " UNION ALL "), cond)
}

func personObject(q listQuery) string {
	pairs := []string{
		"id", "x.id",
		"meta", meta,
		"givenName", "x.given_name",
		"familyName", "x.family_name",
		"eduPersonPrincipalNames", array("n.principal_name ORDER BY n.principal_name", "person_principal_names n WHERE n.person_id = x.id"),
		"civicNo", "CASE WHEN x.civic_no IS NOT NULL THEN jsonb_build_object('value', x.civic_no) END",
		"birthDate", "x.birth_date",
		"securityMarking", "x.security_marking",
		// Never the address of a person with a protection marking. The standard requires a
		// country; the register's addresses without one are Swedish.
		"addresses", array(`jsonb_build_object('type', a.address_type, 'streetAddress', a.street_address,
			'locality', a.locality, 'postalCode', a.postal_code, 'country', coalesce(a.country, 'Sverige')) ORDER BY a.address_type`,
			"person_addresses a WHERE a.person_id = x.id AND x.security_marking = 'Ingen'"),
		// The enrolments in the client's scope; the standard's schoolYear goes to 10.
		"enrolments", array(obj("enroledAt", orgRef(q, "e.enroled_at"), "schoolType", "e.school_type",
			"schoolYear", "CASE WHEN e.school_year <= 10 THEN e.school_year END", "startDate", "e.start_date",
			"endDate", "e.end_date")+" ORDER BY e.start_date, e.id",
			"enrolments e WHERE e.person_id = x.id AND "+inScope("e.enroled_at")),
		"responsibles", array(obj("person", personRef(q, "r.responsible_id"), "relationType", "r.relation_type")+" ORDER BY r.responsible_id",
			"responsibles r JOIN persons rp ON rp.id = r.responsible_id WHERE r.person_id = x.id AND "+current("r")+" AND "+seen("rp")),
	}
	var embedded []string
	if slices.Contains(q.Expand, "responsibleFor") {
		embedded = append(embedded, "responsibleFor", array(obj("person", personRef(q, "r.person_id"), "relationType", "r.relation_type")+" ORDER BY r.person_id",
			"responsibles r JOIN persons c ON c.id = r.person_id WHERE r.responsible_id = x.id AND "+current("r")+" AND "+seen("c")))
	}
	if slices.Contains(q.Expand, "placements") {
		embedded = append(embedded, "placements", array(as(placementObject(q), "x", "pl")+" ORDER BY pl.start_date, pl.id",
			"placements pl WHERE pl.child_id = x.id AND "+inScope("pl.placed_at")))
	}
	if slices.Contains(q.Expand, "ownedPlacements") {
		// Only those of a child the client may be told of: a guardian's placements say where the child is.
		embedded = append(embedded, "ownedPlacements", array(as(placementObject(q), "x", "pl")+" ORDER BY pl.start_date, pl.id",
			"placements pl JOIN persons pc ON pc.id = pl.child_id WHERE "+owns("x.id", "pl.child_id")+" AND "+seen("pc")+" AND "+inScope("pl.placed_at")))
	}
	if slices.Contains(q.Expand, "duties") {
		embedded = append(embedded, "duties", array(as(dutyObject(q), "x", "d")+" ORDER BY d.start_date, d.id",
			"duties d WHERE d.person_id = x.id AND "+inScope("d.duty_at")))
	}
	if slices.Contains(q.Expand, "groupMemberships") {
		embedded = append(embedded, "groupMemberships", array(obj("group", as(groupFragment(q), "x", "g"), "startDate", "m.start_date", "endDate", "m.end_date")+" ORDER BY g.id",
			"group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.person_id = x.id AND "+inScope("g.organisation_id")))
	}
	if len(embedded) > 0 {
		pairs = append(pairs, "_embedded", object(embedded...))
	}
	return object(pairs...)
}
