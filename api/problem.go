package api

import (
	"cmp"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/internal/errs"
)

// Problem is an RFC 9457 problem details document. Errors names each wrong field of an invalid
// request; RequestID lets a user quote the request to support, who find it in the logs.
type Problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail,omitempty"`
	Instance  string            `json:"instance,omitempty"`
	RequestID string            `json:"requestId,omitempty"`
	Errors    []errs.FieldError `json:"errors,omitempty"`
	Checks    map[string]string `json:"checks,omitempty"` // readiness: state of each dependency
}

const problemContentType = "application/problem+json"

// kindStatus maps the error vocabulary to HTTP, once.
var kindStatus = map[errs.Kind]int{
	errs.Internal:        http.StatusInternalServerError,
	errs.Invalid:         http.StatusUnprocessableEntity,
	errs.NotFound:        http.StatusNotFound,
	errs.Conflict:        http.StatusConflict,
	errs.Forbidden:       http.StatusForbidden,
	errs.Unauthenticated: http.StatusUnauthorized,
	errs.Unavailable:     http.StatusServiceUnavailable,
}

// problemType is the URI that identifies each kind of problem; the OpenAPI document lists them.
func problemType(status int) string {
	switch status {
	case http.StatusUnprocessableEntity:
		return "urn:skolflow:problem:invalid-request"
	case http.StatusBadRequest:
		return "urn:skolflow:problem:malformed-request"
	case http.StatusNotFound:
		return "urn:skolflow:problem:not-found"
	case http.StatusConflict:
		return "urn:skolflow:problem:conflict"
	case http.StatusForbidden:
		return "urn:skolflow:problem:forbidden"
	case http.StatusUnauthorized:
		return "urn:skolflow:problem:unauthenticated"
	case http.StatusServiceUnavailable:
		return "urn:skolflow:problem:unavailable"
	default:
		return "about:blank"
	}
}

// Abort writes err as problem+json and stops the handler chain. Internal errors are logged with
// their cause; the caller sees only a generic title and the request ID.
func Abort(c *gin.Context, err error) {
	var e *errs.Error
	if !errors.As(err, &e) {
		e = errs.E(err) // the engine's and the database's errors, translated once (errs.E)
	}
	status := kindStatus[e.Kind]
	if e.Kind == errs.Internal || e.Kind == errs.Unavailable {
		logger(c).Error("request failed", zap.String("op", e.Op), zap.Error(err))
	}
	p := Problem{Detail: e.Message, Errors: e.Fields}
	if e.Kind == errs.Internal {
		p.Detail = "" // never send internal details
	}
	abortWithProblem(c, status, p)
}

// abortWithProblem fills in the standard members of p and writes it.
func abortWithProblem(c *gin.Context, status int, p Problem) {
	p.Status = status
	if p.Type == "" {
		p.Type = problemType(status)
	}
	if p.Title == "" {
		p.Title = http.StatusText(status)
	}
	p.Instance = c.Request.URL.Path
	p.RequestID = requestID(c)
	if standard(p.Instance) {
		writeStandardError(c, status, p)
		return
	}
	c.Header("Content-Type", problemContentType)
	c.AbortWithStatusJSON(status, p)
}

// writeStandardError answers an SS 12000 route's error in the standard's Error shape, {code,
// message}, with what the problem says: its detail, each wrong field, and the request ID. The
// standard answers a request it cannot take with 400, where the platform's API says 422.
func writeStandardError(c *gin.Context, status int, p Problem) {
	if status == http.StatusUnprocessableEntity {
		status = http.StatusBadRequest
	}
	message := cmp.Or(p.Detail, p.Title)
	for _, f := range p.Errors {
		message += " " + f.Field + ": " + f.Detail + "."
	}
	code := strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
	c.AbortWithStatusJSON(status, StandardError{Code: code, Message: message + " (request " + p.RequestID + ")"})
}

// StandardError is SS 12000's Error: a code and a message for people.
type StandardError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}
