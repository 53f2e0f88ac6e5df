package ss12000

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/internal/errs"
)

// maxLookup is how many values one lookup may ask for, all members together.
const maxLookup = 1000

type handlers struct {
	db      *pgxpool.Pool
	env     area.Env
	lessons attendance.Store
}

// scope is the client's scope as the statements take it: nil for everywhere.
func scope(c *gin.Context) ([]string, bool) {
	client := api.ClientOf(c)
	if client.Everywhere {
		return nil, client.Protected
	}
	return client.Orgs, client.Protected
}

// list answers a page of r: {data, pageToken}, the token only when more may follow.
func (h handlers) list(r *resource) gin.HandlerFunc {
	return func(c *gin.Context) {
		q, err := h.listQuery(c, r)
		if err != nil {
			api.Abort(c, err)
			return
		}
		orgs, protected := scope(c)
		sql, args := listSQL(r, q, orgs, protected)
		rows, err := h.db.Query(c, sql, args...)
		if err != nil {
			api.Abort(c, errs.E("ss12000.list", err))
			return
		}
		type row struct {
			ID     string          `db:"id"`
			Keys   []string        `db:"keys"`
			Object json.RawMessage `db:"object"`
		}
		page, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
		if err != nil {
			api.Abort(c, errs.E("ss12000.list", err))
			return
		}
		objects := make([]json.RawMessage, len(page))
		for i, p := range page {
			objects[i] = p.Object
		}
		writePage(c, objects, q.Limit, func(last int) cursor {
			return cursor{Sortkey: q.Sortkey, Expand: q.Expand, Names: q.Names, Filters: q.Filters, Keys: page[last].Keys, ID: page[last].ID}
		})
	}
}

// get answers one object of r by its id; one the client may not see is not found, as one that
// does not exist.
func (h handlers) get(r *resource) gin.HandlerFunc {
	return func(c *gin.Context) {
		q, err := h.oneQuery(c, r)
		if err != nil {
			api.Abort(c, err)
			return
		}
		orgs, protected := scope(c)
		found, err := h.objects(c, r, q, orgs, protected, map[string][]string{"ids": {c.Param("id")}})
		if err != nil {
			api.Abort(c, errs.E("ss12000.get", err))
			return
		}
		if len(found) == 0 {
			api.Abort(c, errs.E("ss12000.get", errs.NotFound, errs.Msg("There is no such "+strings.TrimSuffix(r.name, "s")+".")))
			return
		}
		c.JSON(http.StatusOK, found[0])
	}
}

// lookup answers the objects of r that any of the body's members names, as an array.
func (h handlers) lookup(r *resource) gin.HandlerFunc {
	return func(c *gin.Context) {
		q, err := h.oneQuery(c, r)
		if err != nil {
			api.Abort(c, err)
			return
		}
		members, err := parseLookup(c, r)
		if err != nil {
			api.Abort(c, err)
			return
		}
		orgs, protected := scope(c)
		found, err := h.objects(c, r, q, orgs, protected, members)
		if err != nil {
			api.Abort(c, errs.E("ss12000.lookup", err))
			return
		}
		c.JSON(http.StatusOK, found)
	}
}

func (h handlers) objects(c *gin.Context, r *resource, q listQuery, orgs []string, protected bool, members map[string][]string) ([]json.RawMessage, error) {
	out := []json.RawMessage{}
	if len(members) == 0 {
		return out, nil
	}
	sql, args := oneSQL(r, q, orgs, protected, members)
	rows, err := h.db.Query(c, sql, args...)
	if err != nil {
		return nil, err
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[json.RawMessage])
	if err != nil {
		return nil, err
	}
	return append(out, found...), nil
}

// listQuery reads a list's query for r: its parameters, those it requires, and the grants of
// what it expands.
func (h handlers) listQuery(c *gin.Context, r *resource) (listQuery, error) {
	q, err := parseList(c.Request.URL.Query(), r)
	if err != nil {
		return q, err
	}
	if missing := r.missing(q); len(missing) > 0 {
		return q, invalid(missing...)
	}
	return q, h.expandGranted(c, r, q)
}

// oneQuery reads the query of a GET by id or a lookup of r, and the grants of what it expands.
func (h handlers) oneQuery(c *gin.Context, r *resource) (listQuery, error) {
	q, err := parseOne(c, r)
	if err != nil {
		return q, err
	}
	return q, h.expandGranted(c, r, q)
}

// parseOne reads the query of a GET by id or a lookup: expand and expandReferenceNames only.
func parseOne(c *gin.Context, r *resource) (listQuery, error) {
	query := c.Request.URL.Query()
	var bad []errs.FieldError
	for name := range query {
		if name != "expand" && name != "expandReferenceNames" {
			bad = append(bad, errs.FieldError{Field: name, Detail: "is not a parameter of this request"})
		}
	}
	if len(bad) > 0 {
		return listQuery{}, invalid(bad...)
	}
	return parseList(query, r)
}

// parseLookup reads a lookup's body: a JSON object of r's lookup members, each a list of values,
// at most maxLookup values in all.
func parseLookup(c *gin.Context, r *resource) (map[string][]string, error) {
	var body map[string]json.RawMessage
	dec := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, 1<<20))
	if err := dec.Decode(&body); err != nil || dec.More() {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, invalid(errs.FieldError{Field: "body", Detail: "is larger than 1 MiB"})
		}
		return nil, invalid(errs.FieldError{Field: "body", Detail: "must be one JSON object"})
	}
	members := map[string][]string{}
	var bad []errs.FieldError
	total := 0
	for _, name := range keys(body) {
		f, ok := r.lookup[name]
		if !ok {
			bad = append(bad, errs.FieldError{Field: name, Detail: "is not a member of a lookup of " + r.name + "; it takes " + strings.Join(keys(r.lookup), ", ")})
			continue
		}
		var values []string
		if err := json.Unmarshal(body[name], &values); err != nil {
			bad = append(bad, errs.FieldError{Field: name, Detail: "must be a list of strings"})
			continue
		}
		for _, v := range values {
			if d := f.check(v); d != "" {
				bad = append(bad, errs.FieldError{Field: name, Detail: "each " + d})
				break
			}
		}
		total += len(values)
		if len(values) > 0 {
			members[name] = values
		}
	}
	if total > maxLookup {
		bad = append(bad, errs.FieldError{Field: "body", Detail: "asks for more than 1000 values in all"})
	}
	if len(bad) > 0 {
		return nil, invalid(bad...)
	}
	return members, nil
}

// expansions names the resource each expand embeds, by the resource expanded: a client is
// served an embedded object only if it is granted the object's resource too.
var expansions = map[string]map[string]string{
	"persons": {"duties": "duties", "responsibleFor": "persons", "placements": "placements",
		"ownedPlacements": "placements", "groupMemberships": "groups"},
	"placements":           {"child": "persons", "owners": "persons"},
	"duties":               {"person": "persons"},
	"groups":               {"assignmentRoles": "duties"},
	"activities":           {"groups": "groups", "teachers": "duties", "syllabus": "syllabuses"},
	"calendarEvents":       {"activity": "activities", "attendance": "attendances"},
	"aggregatedAttendance": {"activity": "activities", "student": "persons"},
	"attendanceEvents":     {"person": "persons", "group": "groups", "registeredBy": "persons"},
}

// expandGranted refuses an expand of a resource the client is not granted.
func (h handlers) expandGranted(c *gin.Context, r *resource, q listQuery) error {
	client := api.ClientOf(c)
	for _, e := range q.Expand {
		embedded := expansions[r.name][e]
		scope, err := h.env.Authz.ClientScope(client.Client, http.MethodGet, api.StandardPrefix+"/"+embedded)
		if err != nil {
			return err
		}
		if !scope.Allowed() {
			return invalid(errs.FieldError{Field: "expand", Detail: e + " embeds " + embedded + ", which the client is not granted"})
		}
	}
	return nil
}

// writePage answers a list's page, {data, pageToken}, from objects read one beyond limit: the
// first limit of them, and when there was one more, the token that goes on after the last one
// answered (at(last) is where it ended).
func writePage(c *gin.Context, objects []json.RawMessage, limit int, at func(last int) cursor) {
	var out struct {
		Data      []json.RawMessage `json:"data"`
		PageToken string            `json:"pageToken,omitempty"`
	}
	out.Data = objects
	if len(objects) > limit {
		out.Data = objects[:limit]
		out.PageToken = at(limit - 1).token()
	}
	c.JSON(http.StatusOK, out)
}
