package ss12000

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/skolflow/skolflow/internal/errs"
)

// A list's query, as the standard defines it: limit and pageToken for paging, the filters each
// resource declares, expand and expandReferenceNames, and one sortkey. A name the resource does
// not declare is refused, naming it, as is a value that is not of the declared kind.

const (
	defaultLimit = 1000
	maxLimit     = 10000 // the standard sets no maximum; one page is one query and one response in memory
)

// listQuery is a list request, parsed.
type listQuery struct {
	Limit   int
	Sortkey string
	Expand  []string
	Names   bool                // expandReferenceNames
	Filters map[string][]string // the declared filters given, by name
	After   *cursor             // from a pageToken: where the previous page ended
}

// cursor is where a page ended: the last row's sort values and id. A pageToken carries it with
// the query it pages through, so that the next page is of the same list: the standard lets no
// filter be given beside a pageToken.
type cursor struct {
	Sortkey string              `json:"s,omitempty"`
	Expand  []string            `json:"e,omitempty"`
	Names   bool                `json:"n,omitempty"`
	Filters map[string][]string `json:"f,omitempty"`
	Keys    []string            `json:"k"`
	ID      string              `json:"i"`
}

func (c cursor) token() string {
	b, _ := json.Marshal(c) // strings and maps of strings: cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

func parseToken(s string) (*cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, false
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || uuid.Validate(c.ID) != nil {
		return nil, false
	}
	return &c, true
}

// invalid is the one way a list's parameters are refused: 400 in the standard's Error shape,
// naming each parameter.
func invalid(fields ...errs.FieldError) error {
	return errs.E("ss12000.query", errs.Invalid, errs.Msg("The request's parameters are not valid."), fields)
}

// parseList reads a list's query for resource r.
func parseList(q url.Values, r *resource) (listQuery, error) {
	out := listQuery{Limit: defaultLimit, Filters: map[string][]string{}}
	var bad []errs.FieldError
	add := func(field, detail string) { bad = append(bad, errs.FieldError{Field: field, Detail: detail}) }
	for name, values := range q {
		switch name {
		case "limit":
			n, err := strconv.Atoi(values[0])
			if err != nil || len(values) > 1 || n < 1 || n > maxLimit {
				add(name, fmt.Sprintf("must be one whole number from 1 to %d", maxLimit))
			}
			out.Limit = n
		case "pageToken":
			c, ok := parseToken(values[0])
			if !ok || len(values) > 1 {
				add(name, "is not a page token this server gave")
				continue
			}
			out.After = c
		case "sortkey":
			if len(values) > 1 || values[0] == "" || r.sortkeys[values[0]] == nil {
				add(name, "must be one of "+strings.Join(keys(r.sortkeys), ", "))
				continue
			}
			out.Sortkey = values[0]
		case "expand":
			for _, v := range values {
				if !slices.Contains(r.expand, v) {
					add(name, "must be among "+strings.Join(r.expand, ", "))
					break
				}
			}
			out.Expand = values
		case "expandReferenceNames":
			b, err := strconv.ParseBool(values[0])
			if err != nil || len(values) > 1 {
				add(name, "must be true or false")
			}
			out.Names = b
		default:
			f, ok := r.filter(name)
			if !ok {
				add(name, "is not a filter of "+r.name)
				continue
			}
			if len(values) > 1 && !f.many {
				add(name, "is given more than once")
				continue
			}
			for _, v := range values {
				if d := f.check(v); d != "" {
					add(name, d)
					break
				}
			}
			out.Filters[name] = values
		}
	}
	if out.After != nil {
		c := out.After
		// The standard: a pageToken cannot be combined with filters, only with limit. Its
		// document still requires a calendar's span on every request: a required filter may be
		// given again, as the token has it.
		if slices.ContainsFunc(keys(q), func(name string) bool {
			return name != "pageToken" && name != "limit" && !(slices.Contains(r.required, name) && slices.Equal(q[name], c.Filters[name]))
		}) {
			add("pageToken", "cannot be combined with other parameters than limit")
		}
		out.Sortkey, out.Expand, out.Names, out.Filters = c.Sortkey, c.Expand, c.Names, c.Filters
		if out.Filters == nil {
			out.Filters = map[string][]string{}
		}
		if !tokenFits(c, r) {
			add("pageToken", "is not a page token of this list")
		}
	}
	if len(bad) > 0 {
		slices.SortFunc(bad, func(a, b errs.FieldError) int { return strings.Compare(a.Field, b.Field) })
		return listQuery{}, invalid(bad...)
	}
	return out, nil
}

// The kinds of values a filter takes, as the standard declares them.
func checkUUID(v string) string {
	if uuid.Validate(v) != nil || len(v) != 36 {
		return "must be a UUID"
	}
	return ""
}

func checkDate(v string) string {
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		return "must be a date, YYYY-MM-DD"
	}
	return ""
}

func checkDateTime(v string) string {
	if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
		return "must be a date and time with its offset, RFC 3339 (2026-12-01T08:00:00+01:00)"
	}
	return ""
}

func checkText(v string) string {
	if v == "" || len(v) > 200 || strings.ContainsRune(v, 0) || !utf8.ValidString(v) {
		return "must be text of 1 to 200 characters"
	}
	return ""
}

func checkOneOf(values ...string) func(string) string {
	return func(v string) string {
		if !slices.Contains(values, v) {
			return "must be one of " + strings.Join(values, ", ")
		}
		return ""
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// tokenFits reports whether a page token's query is one of r's lists, as parseList would take
// it, and its keys are of the kinds its order sorts by: a token is the client's to send back,
// and one it made up is refused like any other bad parameter.
func tokenFits(c *cursor, r *resource) bool {
	if c.Sortkey != "" && r.sortkeys[c.Sortkey] == nil {
		return false
	}
	for _, e := range c.Expand {
		if !slices.Contains(r.expand, e) {
			return false
		}
	}
	for name, values := range c.Filters {
		f, ok := r.filter(name)
		if !ok || len(values) == 0 || (len(values) > 1 && !f.many) {
			return false
		}
		for _, v := range values {
			if f.check(v) != "" {
				return false
			}
		}
	}
	spec := r.sort(c.Sortkey)
	if len(c.Keys) != len(spec.keys) {
		return false
	}
	for i, k := range spec.keys {
		if !keyFits(k.typ, c.Keys[i]) {
			return false
		}
	}
	return true
}

// keyFits reports whether v is a sort key of typ as PostgreSQL writes it as text.
func keyFits(typ, v string) bool {
	switch typ {
	case "uuid":
		return checkUUID(v) == ""
	case "date":
		return checkDate(v) == "" || v == "infinity"
	case "timestamptz":
		for _, layout := range []string{"2006-01-02 15:04:05.999999-07", "2006-01-02 15:04:05.999999-07:00"} {
			if _, err := time.Parse(layout, v); err == nil {
				return true
			}
		}
		return false
	default: // text
		return len(v) <= 1000 && !strings.ContainsRune(v, 0) && utf8.ValidString(v)
	}
}
