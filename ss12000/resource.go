package ss12000

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/skolflow/skolflow/internal/errs"
)

// resource is one of the standard's resources as the register serves it: a view of its tables,
// built as JSON by PostgreSQL in the statement that pages through them, so a page is one query.
//
// Every statement takes the same first parameters:
//
//	$1 uuid[]  the organisations in the client's scope (NULL: everywhere)
//	$2 bool    the client is granted persons with a protection marking
//
// and the row being served is x.
type resource struct {
	name   string // the standard's path: persons
	from   string // the FROM clause, whose row is x
	object func(q listQuery) string
	scope  string // x is in the client's scope
	where  string // x is served at all ("" always)
	// visible: x may be served to a client not granted protected persons. A person with a
	// protection marking, and anything that tells where one is (a placement, a duty), is not.
	visible  string
	filters  map[string]filter
	dates    bool // the standard's startDate.* and endDate.* filters, on x.start_date and x.end_date
	sortkeys map[string]*sortSpec
	expand   []string
	lookup   map[string]filter // lookup's body members: each a list of values
	required []string          // filters a list must be given (a calendar's time span)
	// created and modified are x's meta times; "" for the columns meta_created and meta_modified.
	created, modified string
}

func (r *resource) metaCreated() string  { return cmp.Or(r.created, "x.meta_created") }
func (r *resource) metaModified() string { return cmp.Or(r.modified, "x.meta_modified") }

// missing names the required filters a list was not given.
func (r *resource) missing(q listQuery) []errs.FieldError {
	var out []errs.FieldError
	for _, name := range r.required {
		if _, ok := q.Filters[name]; !ok {
			out = append(out, errs.FieldError{Field: name, Detail: "is required"})
		}
	}
	return out
}

// filter is one of a list's filters, or a lookup's members: a condition on x of its value(s).
type filter struct {
	many  bool // given as a list (repeated in the query)
	check func(string) string
	cond  string // SQL with %[1]s for the parameter: text, or text[] when many
}

// sortSpec orders a list: by its keys and then the id, all ascending or all descending, so that
// a page ends at a row comparison (keyset paging).
type sortSpec struct {
	keys []sortKey
	desc bool
}

type sortKey struct{ expr, typ string }

var byID = &sortSpec{}

func (r *resource) sort(name string) *sortSpec {
	if s := r.sortkeys[name]; s != nil {
		return s
	}
	return byID
}

// metaFilter is one of the standard's meta.* filters of r: before is inclusive, after not.
func (r *resource) metaFilter(name string) (filter, bool) {
	column := map[string]string{"created": r.metaCreated(), "modified": r.metaModified()}
	parts := strings.Split(name, ".")
	if len(parts) != 3 || parts[0] != "meta" || column[parts[1]] == "" {
		return filter{}, false
	}
	switch parts[2] {
	case "before":
		return filter{check: checkDateTime, cond: column[parts[1]] + " <= %[1]s::timestamptz"}, true
	case "after":
		return filter{check: checkDateTime, cond: column[parts[1]] + " > %[1]s::timestamptz"}, true
	}
	return filter{}, false
}

// The standard: a record whose endDate is not set is always included by the endDate filters.
var dateFilters = map[string]filter{
	"startDate.onOrBefore": {check: checkDate, cond: "x.start_date <= %[1]s::date"},
	"startDate.onOrAfter":  {check: checkDate, cond: "x.start_date >= %[1]s::date"},
	"endDate.onOrBefore":   {check: checkDate, cond: "(x.end_date IS NULL OR x.end_date <= %[1]s::date)"},
	"endDate.onOrAfter":    {check: checkDate, cond: "(x.end_date IS NULL OR x.end_date >= %[1]s::date)"},
}

func (r *resource) filter(name string) (filter, bool) {
	if f, ok := r.filters[name]; ok {
		return f, true
	}
	if f, ok := r.metaFilter(name); ok && r.object != nil {
		return f, true
	}
	if f, ok := dateFilters[name]; ok && r.dates {
		return f, true
	}
	return filter{}, false
}

// statement is SQL and its arguments, built from the fixed first parameters on.
type statement struct {
	where []string
	args  []any
}

func newStatement(orgs []string, protected bool) *statement {
	var scope any // NULL: everywhere
	if orgs != nil {
		scope = orgs
	}
	return &statement{args: []any{scope, protected}}
}

// arg adds a parameter and answers its placeholder.
func (s *statement) arg(v any) string {
	s.args = append(s.args, v)
	return fmt.Sprintf("$%d", len(s.args))
}

// cond adds a condition on f's value: a list for a filter that takes many, else the one value.
func (s *statement) cond(f filter, values []string) {
	var v any = values[0]
	if f.many {
		v = values
	}
	s.where = append(s.where, fmt.Sprintf(f.cond, s.arg(v)))
}

// base adds the conditions every statement of r has: the client's scope, and what it may see.
func (s *statement) base(r *resource) {
	s.where = append(s.where, "($1::uuid[] IS NULL OR "+r.scope+")")
	if r.where != "" {
		s.where = append(s.where, r.where)
	}
	if r.visible != "" {
		s.where = append(s.where, "($2 OR "+r.visible+")")
	} else {
		s.where = append(s.where, "$2::boolean IS NOT NULL") // the parameter is there to be typed
	}
}

func (s *statement) whereClause() string {
	return strings.Join(s.where, "\n  AND ")
}

// listSQL is the statement of one page of r.
func listSQL(r *resource, q listQuery, orgs []string, protected bool) (string, []any) {
	s := newStatement(orgs, protected)
	s.base(r)
	for _, name := range keys(q.Filters) {
		f, _ := r.filter(name)
		s.cond(f, q.Filters[name])
	}
	spec := r.sort(q.Sortkey)
	cols := make([]string, 0, len(spec.keys)+1)
	texts := make([]string, 0, len(spec.keys))
	for _, k := range spec.keys {
		cols = append(cols, k.expr)
		texts = append(texts, k.expr+"::text")
	}
	cols = append(cols, "x.id")
	if q.After != nil {
		after := make([]string, 0, len(cols))
		for i, k := range spec.keys {
			after = append(after, s.arg(q.After.Keys[i])+"::"+k.typ)
		}
		after = append(after, s.arg(q.After.ID)+"::uuid")
		op := ">"
		if spec.desc {
			op = "<"
		}
		s.where = append(s.where, fmt.Sprintf("(%s) %s (%s)", strings.Join(cols, ", "), op, strings.Join(after, ", ")))
	}
	order := slices.Clone(cols)
	if spec.desc {
		for i := range order {
			order[i] += " DESC"
		}
	}
	keysExpr := "ARRAY[]::text[]"
	if len(texts) > 0 {
		keysExpr = "ARRAY[" + strings.Join(texts, ", ") + "]"
	}
	sql := fmt.Sprintf("SELECT x.id::text AS id, %s AS keys, %s AS object\nFROM %s\nWHERE %s\nORDER BY %s\nLIMIT %s",
		keysExpr, r.object(q), r.from, s.whereClause(), strings.Join(order, ", "), s.arg(q.Limit+1))
	return sql, s.args
}

// oneSQL is the statement of r's objects whose ids, or other lookup members, are given: one
// condition per member, any of which finds an object.
func oneSQL(r *resource, q listQuery, orgs []string, protected bool, members map[string][]string) (string, []any) {
	s := newStatement(orgs, protected)
	s.base(r)
	var any []string
	for _, name := range keys(members) {
		f := r.lookup[name]
		any = append(any, fmt.Sprintf(f.cond, s.arg(members[name])))
	}
	s.where = append(s.where, "("+strings.Join(any, " OR ")+")")
	return fmt.Sprintf("SELECT %s AS object\nFROM %s\nWHERE %s\nORDER BY x.id", r.object(q), r.from, s.whereClause()), s.args
}

// PageSQL is the statement the first page of a resource's list runs for a client granted it
// everywhere, persons with a protection marking included: for operators to EXPLAIN, and for a
// benchmark's baseline to run the very statement the API runs. The next page's statement is
// the same with the last id (after) as the keyset.
func PageSQL(name string, limit int, after string) (string, []any, error) {
	i := slices.IndexFunc(resources, func(r *resource) bool { return r.name == name })
	if i < 0 {
		return "", nil, fmt.Errorf("ss12000: no resource %q", name)
	}
	q := listQuery{Limit: limit, Filters: map[string][]string{}}
	if after != "" {
		q.After = &cursor{Keys: []string{}, ID: after}
	}
	sql, args := listSQL(resources[i], q, nil, true)
	return sql, args, nil
}
