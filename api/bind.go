package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/internal/plaintext"
	"github.com/skolflow/skolflow/register"
)

// maxPayloadText is the longest string of a task's payload, in characters, as api/openapi.yaml
// states it with maxLength.
const maxPayloadText = 1000

// Bind decodes the request's JSON body, which the request middleware has checked against
// api/openapi.yaml, into the struct v. It returns every problem the middleware found with the
// body and the request's parameters, for the handler to add its own checks to and answer all
// at once with Err. A member the document refused is decoded as Go decodes it, or left at its
// zero value; the handler's checks of it add nothing, since Fields keeps each field's first
// complaint.
func Bind(c *gin.Context, v any) (Fields, error) {
	const op = "api.bind"
	b, ok := c.Get(ctxBody)
	if !ok {
		return nil, errs.E(op, errs.Internal, fmt.Errorf("%s %s: api/openapi.yaml describes no JSON body", c.Request.Method, c.FullPath()))
	}
	body := b.(*checkedBody)
	body.bound = true
	bad := slices.Clone(body.problems)
	if len(body.raw) == 0 {
		return bad, nil
	}
	var wrongType *json.UnmarshalTypeError
	if err := json.Unmarshal(body.raw, v); errors.As(err, &wrongType) && len(bad) == 0 {
		// What the document cannot say of v, should a number it allows not fit v's field (it
		// bounds every whole number, so none does): named by the body's member that holds it.
		member, _, _ := strings.Cut(wrongType.Field, ".")
		bad.Add(member, "is out of range")
	} else if err != nil && len(bad) == 0 {
		return nil, errs.E(op, err)
	}
	return bad, nil
}

func invalid(op string, fields ...errs.FieldError) error {
	return errs.E(op, errs.Invalid, errs.Msg("The request has invalid fields."), fields)
}

// Fields collects every wrong field of a request, so the caller can fix them all at once. An
// area's handler binds with Bind, which hands it the document's problems, adds its own checks,
// and answers them all with Err.
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

// ValidUUID reports whether s is a UUID in the register's canonical form: lower case, with hyphens.
func ValidUUID(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}

// Date checks that v, a calendar date (YYYY-MM-DD, which api/openapi.yaml states and the
// middleware checks), lies in the range the platform accepts (register.ParseDate), which
// OpenAPI cannot state.
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

// Text checks a free-text field's length: at most max characters.
//
// Deprecated: api/openapi.yaml gives every free-text field its maxLength, which the request
// middleware checks. Text stays while the handlers of lessons and tasks still call it.
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
