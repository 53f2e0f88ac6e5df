package api

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/google/uuid"
)

// How the request middleware names and words what the document finds wrong: each field by
// its path in the body (lessons/0/end) or a parameter by its name (from), in the user's
// words, never the document's (no schema, no pattern, no Go type).

// formats are the string formats the document uses: what each accepts, and what a wrong value
// is told it must be. A date's and a time's range (1900 to 2200) is the handlers' to check
// (register.ParseDate, register.CheckTime): a format says only how the value is written.
var formats = map[string]struct {
	valid    func(string) bool
	expected string
}{
	"date":      {func(s string) bool { _, err := time.Parse(time.DateOnly, s); return err == nil }, "a date as YYYY-MM-DD"},
	"date-time": {func(s string) bool { _, err := time.Parse(time.RFC3339, s); return err == nil }, "a time such as 2026-11-30T08:15:00+01:00"},
	// Any form PostgreSQL reads too: not the urn:uuid: one, which the uuid package takes.
	"uuid": {func(s string) bool { return uuid.Validate(s) == nil && !strings.HasPrefix(strings.ToLower(s), "urn:") }, "a UUID"},
}

// formatValidators are formats as kin-openapi takes them.
var formatValidators = func() map[string]openapi3.StringFormatValidator {
	m := map[string]openapi3.StringFormatValidator{}
	for name, f := range formats {
		m[name] = openapi3.NewCallbackValidator(func(s string) error {
			if !f.valid(s) {
				return errors.New("must be " + f.expected)
			}
			return nil
		})
	}
	return m
}()

// nameParameterProblems adds to bad what err, kin-openapi's check of the parameter p, found.
func nameParameterProblems(bad *Fields, p *openapi3.Parameter, err error) {
	var reqErr *openapi3filter.RequestError
	if !errors.As(err, &reqErr) || p.Schema == nil {
		bad.Add(p.Name, "is not valid")
		return
	}
	var parseErr *openapi3filter.ParseError
	switch {
	case errors.Is(reqErr.Err, openapi3filter.ErrInvalidRequired):
		bad.Add(p.Name, "is required")
	case errors.Is(reqErr.Err, openapi3filter.ErrInvalidEmptyValue), errors.As(reqErr.Err, &parseErr):
		bad.Add(p.Name, "must be "+expected(p.Schema.Value))
	default:
		nameProblems(bad, p.Schema.Value, []string{p.Name}, reqErr.Err)
	}
}

// nameProblems adds to bad what err, kin-openapi's check of a value against root, found; at is
// the path to the value (a parameter's name, or none for a body).
func nameProblems(bad *Fields, root *openapi3.Schema, at []string, err error) {
	switch e := err.(type) {
	case openapi3.MultiError:
		for _, err := range e {
			nameProblems(bad, root, at, err)
		}
	case *openapi3.SchemaError:
		path := e.JSONPointer()
		switch e.SchemaField {
		case "required":
			detail := "is required"
			if member := e.Schema.Properties[path[len(path)-1]]; member != nil && member.Value.Nullable { // the path ends in the member
				detail = "is required: send null for none"
			}
			bad.Add(fieldName(root, at, path), detail)
		case "properties": // members the object's schema does not name
			object, _ := e.Value.(map[string]any)
			for _, name := range slices.Sorted(maps.Keys(object)) {
				if e.Schema.Properties[name] == nil {
					bad.Add(fieldName(root, at, append(path, name)), "is not a field of this request")
				}
			}
		default:
			bad.Add(fieldName(root, at, path), detail(e))
		}
	default:
		bad.Add(fieldName(root, at, nil), "is not valid")
	}
}

// detail says in a user's words what is wrong with the value e is about.
func detail(e *openapi3.SchemaError) string {
	s := e.Schema
	switch e.SchemaField {
	case "nullable":
		return "is required" // null where a value must be
	case "minLength":
		if s.MinLength == 1 {
			return "is required"
		}
		return fmt.Sprintf("must be at least %d characters", s.MinLength)
	case "maxLength":
		return fmt.Sprintf("must be at most %d characters", *s.MaxLength)
	case "minItems":
		if s.MinItems == 1 {
			return "is required: at least one"
		}
		return fmt.Sprintf("must have at least %d items", s.MinItems)
	case "maxItems":
		return fmt.Sprintf("must have at most %d items", *s.MaxItems)
	case "pattern":
		if s.Example != nil {
			return fmt.Sprintf("must be written like %v", s.Example)
		}
		return "must be " + expected(s)
	case "type", "format", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		return "must be " + expected(s)
	}
	return "is not valid"
}

// expected says in a user's words what a value of s is: "sv or en", "a date as YYYY-MM-DD",
// "a whole number from 1 to 31".
func expected(s *openapi3.Schema) string {
	if len(s.Enum) > 0 {
		codes := make([]string, len(s.Enum))
		for i, v := range s.Enum {
			codes[i] = fmt.Sprint(v)
		}
		if len(codes) == 1 {
			return codes[0]
		}
		return strings.Join(codes[:len(codes)-1], ", ") + " or " + codes[len(codes)-1]
	}
	if f, ok := formats[s.Format]; ok {
		return f.expected
	}
	switch {
	case s.Type.Is(openapi3.TypeInteger):
		return "a whole number" + bounds(s)
	case s.Type.Is(openapi3.TypeNumber):
		return "a number" + bounds(s)
	case s.Type.Is(openapi3.TypeBoolean):
		return "true or false"
	case s.Type.Is(openapi3.TypeArray):
		return "an array"
	case s.Type.Is(openapi3.TypeObject):
		return "an object"
	case s.Type.Is(openapi3.TypeString):
		return "a string"
	}
	return "a valid value"
}

func bounds(s *openapi3.Schema) string {
	switch {
	case s.Min != nil && s.Max != nil:
		return fmt.Sprintf(" from %g to %g", *s.Min, *s.Max)
	case s.Min != nil:
		return fmt.Sprintf(" of at least %g", *s.Min)
	case s.Max != nil:
		return fmt.Sprintf(" of at most %g", *s.Max)
	}
	return ""
}

// fieldName names the value at path under at, where root is the schema of the value at at. A
// field is a member of an object: an item of a list, unless a member of it is meant, is named
// by its list (a wrong code among the channels names channels).
func fieldName(root *openapi3.Schema, at, path []string) string {
	end, s := 0, root
	for i, seg := range path {
		if s != nil && s.Items != nil { // seg is an index
			s = s.Items.Value
			continue
		}
		end = i + 1
		switch {
		case s == nil:
		case s.Properties[seg] != nil:
			s = s.Properties[seg].Value
		case s.AdditionalProperties.Schema != nil:
			s = s.AdditionalProperties.Schema.Value
		default:
			s = nil
		}
	}
	return strings.Join(append(slices.Clip(at), path[:end]...), "/")
}

// pointer splits a path as plaintext.Walk writes it ("/lessons/0/subjectCode").
func pointer(path string) []string {
	if path == "" {
		return nil
	}
	return strings.Split(strings.TrimPrefix(path, "/"), "/")
}
