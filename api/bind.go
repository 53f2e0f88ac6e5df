package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/skolflow/skolflow/internal/errs"
)

// maxBodyBytes bounds every JSON request body.
const maxBodyBytes = 1 << 20

// decodeJSON reads the request body strictly into v: unknown fields, wrong types and trailing
// data are invalid, and the error names the field.
func decodeJSON(c *gin.Context, v any) error {
	const op = "api.decode"
	dec := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("trailing data")
	}
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &typeErr):
		return invalid(op, errs.FieldError{Field: typeErr.Field, Detail: "must be a " + jsonType(typeErr.Type.Kind().String())})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return invalid(op, errs.FieldError{Field: field, Detail: "is not a field of this request"})
	case errors.As(err, &maxErr):
		return invalid(op, errs.FieldError{Field: "", Detail: "the body is larger than 1 MiB"})
	case errors.Is(err, io.EOF):
		return invalid(op, errs.FieldError{Field: "", Detail: "the body is empty; a JSON object is expected"})
	default:
		return invalid(op, errs.FieldError{Field: "", Detail: "the body is not a single valid JSON object"})
	}
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "map", "struct":
		return "object"
	default:
		return "number"
	}
}

func invalid(op string, fields ...errs.FieldError) error {
	return errs.E(op, errs.Invalid, errs.Msg("The request has invalid fields."), fields)
}

// fields collects every wrong field of a request, so the caller can fix them all at once.
type fields []errs.FieldError

func (f *fields) add(field, detail string) {
	*f = append(*f, errs.FieldError{Field: field, Detail: detail})
}

// uuid checks that v is a UUID; the register's IDs are opaque UUIDs, never personnummer.
func (f *fields) uuid(field, v string) {
	if v == "" {
		f.add(field, "is required")
	} else if _, err := uuid.Parse(v); err != nil {
		f.add(field, "must be a UUID")
	}
}

// date checks that v is a calendar date, YYYY-MM-DD.
func (f *fields) date(field, v string) {
	if v == "" {
		f.add(field, "is required")
	} else if _, err := time.Parse(time.DateOnly, v); err != nil {
		f.add(field, "must be a date as YYYY-MM-DD")
	}
}

// err returns the collected problems as one Invalid error, or nil.
func (f fields) err(op string) error {
	if len(f) == 0 {
		return nil
	}
	return invalid(op, f...)
}
