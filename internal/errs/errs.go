// Package errs is Skolflow's error vocabulary: a small set of kinds that every layer speaks and
// that api/ maps once to HTTP status codes and RFC 9457 problem details.
//
// An *Error's Message is safe to show to the caller. Whatever caused it (a pgx error, an SDK
// error) stays in Err, which is logged and never sent.
package errs

import (
	"errors"
	"fmt"
)

// Kind classifies an error by what the caller can do about it.
type Kind int

const (
	Internal        Kind = iota // our fault; details are logged, never sent
	Invalid                     // the request is malformed or breaks a rule; see Fields
	NotFound                    // no such thing, or the caller may not know whether it exists
	Conflict                    // the thing's state does not allow this now (already done, moved on)
	Forbidden                   // the caller is known but may not do this
	Unauthenticated             // no valid credentials
	Unavailable                 // a dependency is down; retrying later may work
)

var kindNames = [...]string{"internal", "invalid", "not found", "conflict", "forbidden", "unauthenticated", "unavailable"}

func (k Kind) String() string { return kindNames[k] }

// FieldError names one wrong field of a request, as a JSON pointer-like path ("studentId",
// "lessons/2/minutes"), and says what is wrong with it in words a user can act on.
type FieldError struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

// Error is the one error type that crosses package boundaries.
type Error struct {
	Op      string       // the operation that failed, e.g. "absence.report"; logged, not sent
	Kind    Kind         // what the caller can do about it
	Message string       // safe to show to the caller
	Fields  []FieldError // for Invalid: every wrong field, not just the first
	Err     error        // the cause; logged, never sent
}

func (e *Error) Error() string {
	s := e.Op + ": " + e.Kind.String()
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an *Error. Arguments are taken by type: a string is the op, a Kind the kind, an
// error the cause, []FieldError the field errors, and Msg the caller-safe message. Without a
// Kind, an *Error cause lends its kind, message and fields, so wrapping keeps what the caller
// is told; an engine's or database's error that says what to do lends its own (translate.go).
func E(args ...any) *Error {
	e := &Error{}
	kindSet := false
	for _, a := range args {
		switch a := a.(type) {
		case string:
			e.Op = a
		case Kind:
			e.Kind, kindSet = a, true
		case Msg:
			e.Message = string(a)
		case []FieldError:
			e.Fields = a
		case error:
			e.Err = a
		default:
			panic(fmt.Sprintf("errs.E: unexpected argument %T", a))
		}
	}
	var inner *Error
	switch {
	case kindSet:
	case errors.As(e.Err, &inner):
		e.Kind = inner.Kind
		if e.Message == "" {
			e.Message = inner.Message
		}
		if e.Fields == nil {
			e.Fields = inner.Fields
		}
	default:
		if kind, msg, ok := translate(e.Err); ok {
			e.Kind = kind
			if e.Message == "" {
				e.Message = string(msg)
			}
		}
	}
	return e
}

// Msg marks a string argument of E as the caller-safe message rather than the op.
type Msg string

// KindOf reports the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}
