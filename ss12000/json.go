package ss12000

import (
	"fmt"
	"regexp"
	"strings"
)

// SQL that builds the standard's JSON. An optional member the register has no value for is left
// out (jsonb_strip_nulls), never sent as null: the standard allows null for a pageToken only.

// obj is a JSON object of name, value pairs.
func obj(pairs ...string) string {
	parts := make([]string, 0, len(pairs))
	for i := 0; i+1 < len(pairs); i += 2 {
		parts = append(parts, fmt.Sprintf("'%s', %s", pairs[i], pairs[i+1]))
	}
	return "jsonb_build_object(" + strings.Join(parts, ", ") + ")"
}

// object is a served object: its members without the empty ones.
func object(pairs ...string) string { return "jsonb_strip_nulls(" + obj(pairs...) + ")" }

// meta is x's Meta.
const meta = "jsonb_build_object('created', x.meta_created, 'modified', x.meta_modified)"

// array is a JSON array of elem for the rows of a query's FROM and WHERE (from), or nothing when
// there are none.
func array(elem, from string) string {
	return "(SELECT jsonb_agg(" + elem + ") FROM " + from + ")"
}

// ref is an ObjectReference to the object whose id is idExpr; with expandReferenceNames, its
// displayName too, from name (an expression over the referenced row, or "").
func ref(q listQuery, idExpr, name string) string {
	if !q.Names || name == "" {
		return "CASE WHEN " + idExpr + " IS NOT NULL THEN jsonb_build_object('id', " + idExpr + ") END"
	}
	return "CASE WHEN " + idExpr + " IS NOT NULL THEN jsonb_build_object('id', " + idExpr + ", 'displayName', (" + name + ")) END"
}

func orgRef(q listQuery, idExpr string) string {
	return ref(q, idExpr, "SELECT o.display_name FROM organisations o WHERE o.id = "+idExpr)
}

func groupRef(q listQuery, idExpr string) string {
	return ref(q, idExpr, "SELECT g.display_name FROM groups g WHERE g.id = "+idExpr)
}

func syllabusRef(q listQuery, idExpr string) string {
	return ref(q, idExpr, "SELECT coalesce(s.course_name, s.subject_name) FROM syllabuses s WHERE s.id = "+idExpr)
}

func activityRef(q listQuery, idExpr string) string {
	return ref(q, idExpr, "SELECT a.display_name FROM activities a WHERE a.id = "+idExpr)
}

// dutyRef names a duty by its person and role; a person with a protection marking is not named.
func dutyRef(q listQuery, idExpr string) string {
	return ref(q, idExpr, "SELECT p.given_name || ' ' || p.family_name || ', ' || d.duty_role FROM duties d JOIN persons p ON p.id = d.person_id WHERE d.id = "+idExpr+" AND "+seen("p"))
}

// personRef is a PersonReference: with its security marking, which tells a receiving system to
// handle the person with care. A person with a protection marking is referred to only for a
// client granted protected persons: for any other there is no reference (a required one makes
// the object not served; see each resource's visible).
func personRef(q listQuery, idExpr string) string {
	pairs := []string{"'id', p.id", "'securityMarking', p.security_marking"}
	if q.Names {
		pairs = append(pairs, "'displayName', p.given_name || ' ' || p.family_name")
	}
	return "(SELECT jsonb_build_object(" + strings.Join(pairs, ", ") + ") FROM persons p WHERE p.id = " + idExpr + " AND " + seen("p") + ")"
}

// seen is the condition that the person whose row is alias may be named to the client: it is
// granted protected persons ($2), or the person has no protection marking.
func seen(alias string) string {
	return "($2 OR " + alias + ".security_marking = 'Ingen')"
}

// inScope is the condition that an organisation (an expression) is in the client's scope.
func inScope(orgExpr string) string { return "($1::uuid[] IS NULL OR " + orgExpr + " = ANY ($1))" }

// current is the condition that a period of the row alias has not ended before today.
func current(alias string) string {
	return "(" + alias + ".end_date IS NULL OR " + alias + ".end_date >= current_date)"
}

var rowX = regexp.MustCompile(`\bx\.`)

// as is an object's SQL for a row of another alias than x: to embed an object in another's.
func as(sql, x, alias string) string {
	if x != "x" {
		panic("ss12000: objects are written for the row x")
	}
	return rowX.ReplaceAllString(sql, alias+".")
}

// sprintf puts a placeholder into a condition written for one (%[1]s).
func sprintf(cond, placeholder string) string { return fmt.Sprintf(cond, placeholder) }
