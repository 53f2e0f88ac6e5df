package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/internal/plaintext"
	"github.com/skolflow/skolflow/register"
)

// maxBodyBytes bounds every JSON request body.
const maxBodyBytes = 1 << 20

// The longest free text of each request, in characters; api/openapi.yaml says the same as
// maxLength. Codes, ids and dates are bounded by their form.
const (
	maxPayloadText = 1000 // each string of a task's payload
	maxEmail       = 254  // the longest address SMTP carries (RFC 5321)
	maxSubjectCode = 20   // a lesson's subject or course code
	maxTaskKind    = 64   // the tasks' kind filter
	maxDevUser     = 64   // a demo user's name
)

// Bind reads the request body, a JSON object, into the struct v. It returns every wrong field
// it finds (unknown fields, wrong types, strings at any depth that are not plain text, required
// members missing) so that the handler can add its own checks and answer them all at once; a
// body that is not one JSON object is an error by itself.
//
// A field tagged `required:"true"` must be sent and not be null; one tagged
// `required:"nullable"` must be sent, and null says "none". A PUT replaces a whole setting, so
// each of its members carries one of the two: leaving a member out never resets it silently.
func Bind(c *gin.Context, v any) (Fields, error) {
	const op = "api.bind"
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes))
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return nil, invalid(op, errs.FieldError{Field: "", Detail: "the body is larger than 1 MiB"})
	}
	if err != nil {
		return nil, invalid(op, errs.FieldError{Field: "", Detail: "the body could not be read"})
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, invalid(op, errs.FieldError{Field: "", Detail: "the body is empty; a JSON object is expected"})
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil || members == nil {
		return nil, invalid(op, errs.FieldError{Field: "", Detail: "the body is not a single valid JSON object"})
	}

	var bad Fields
	target := reflect.ValueOf(v).Elem()
	byName := jsonFields(target.Type())
	names := make([]string, 0, len(members))
	for name := range members {
		names = append(names, name)
	}
	sort.Strings(names) // report in a stable order
	for _, name := range names {
		i, known := byName[name]
		if !known {
			bad.Add(name, "is not a field of this request")
			continue
		}
		plaintext.Walk(members[name], name, bad.Add)
		if err := json.Unmarshal(members[name], target.Field(i).Addr().Interface()); err != nil {
			bad.Add(name, "must be "+jsonKind(target.Field(i).Type()))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		raw, sent := members[name]
		switch target.Type().Field(byName[name]).Tag.Get("required") {
		case "true":
			if !sent || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
				bad.Add(name, "is required")
			}
		case "nullable":
			if !sent {
				bad.Add(name, "is required: send null for none")
			}
		}
	}
	return bad, nil
}

// queryText refuses a request whose query parameters are not plain text (see plaintext), naming
// each one, before any handler reads them.
func queryText(c *gin.Context) {
	var bad Fields
	query := c.Request.URL.Query()
	for _, name := range slices.Sorted(maps.Keys(query)) {
		if plaintext.Problem(name) != "" {
			bad.Add("", "a query parameter's name "+plaintext.Problem(name))
			continue
		}
		for _, v := range query[name] {
			if d := plaintext.Problem(v); d != "" {
				bad.Add(name, d)
			}
		}
	}
	if err := bad.Err("api.query"); err != nil {
		Abort(c, err)
	}
}

// jsonFields maps the JSON names of t's exported fields to their index.
func jsonFields(t reflect.Type) map[string]int {
	m := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = i
	}
	return m
}

// jsonKind says in a user's words what JSON a Go type takes.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct:
		if t == reflect.TypeOf(time.Time{}) {
			return "a time such as 2026-11-30T08:15:00+01:00"
		}
		return "an object"
	case reflect.Map:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	default:
		return "a number"
	}
}

func invalid(op string, fields ...errs.FieldError) error {
	return errs.E(op, errs.Invalid, errs.Msg("The request has invalid fields."), fields)
}

// Fields collects every wrong field of a request, so the caller can fix them all at once. An
// area's handler binds with Bind, adds its own checks, and answers them all with Err.
type Fields []errs.FieldError

// Add names a wrong field; a field already named keeps its first, most specific, complaint.
func (f *Fields) Add(field, detail string) {
	for _, e := range *f {
		if e.Field == field {
			return
		}
	}
	*f = append(*f, errs.FieldError{Field: field, Detail: detail})
}

// UUID checks that v is a UUID; the register's IDs are opaque UUIDs, never personnummer.
func (f *Fields) UUID(field, v string) {
	if v == "" {
		f.Add(field, "is required")
	} else if _, err := uuid.Parse(v); err != nil {
		f.Add(field, "must be a UUID")
	}
}

// validUUID reports whether s is a UUID in the register's canonical form.
func validUUID(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}

// Date checks that v is a calendar date, YYYY-MM-DD, in the range the platform accepts
// (register.ParseDate).
func (f *Fields) Date(field, v string) {
	if v == "" {
		f.Add(field, "is required")
	} else if _, err := register.ParseDate(v); err != nil {
		f.Add(field, err.Error())
	}
}

// Period checks optional start and end dates and that end is not before start.
func (f *Fields) Period(start, end *string) {
	var s, e time.Time
	var errS, errE error
	if start != nil {
		if s, errS = register.ParseDate(*start); errS != nil {
			f.Add("startDate", errS.Error())
		}
	}
	if end != nil {
		if e, errE = register.ParseDate(*end); errE != nil {
			f.Add("endDate", errE.Error())
		}
	}
	if start != nil && end != nil && errS == nil && errE == nil && e.Before(s) {
		f.Add("endDate", "is before startDate")
	}
}

// Moment checks that t lies in the range of dates the platform accepts (register.CheckTime).
func (f *Fields) Moment(field string, t time.Time) {
	if err := register.CheckTime(t); err != nil {
		f.Add(field, err.Error())
	}
}

// Text checks a free-text field's length: at most max characters. Its plain text is Bind's.
func (f *Fields) Text(field, v string, max int) {
	if d := plaintext.TooLong(v, max); d != "" {
		f.Add(field, d)
	}
}

// Err returns the collected problems as one Invalid error, or nil.
func (f Fields) Err(op string) error {
	if len(f) == 0 {
		return nil
	}
	return invalid(op, f...)
}
