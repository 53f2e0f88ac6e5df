package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/skolflow/skolflow/auth"
	"github.com/skolflow/skolflow/internal/errs"
)

// APIError is the API's answer to a page's call when it is not a success: its status and
// problem document.
type APIError struct {
	Status  int
	Problem Problem
}

// Problem is what a page reads of the API's problem+json.
type Problem struct {
	Detail string            `json:"detail"`
	Errors []errs.FieldError `json:"errors"`
}

// requestIDHeader carries a request's ID (the API's X-Request-ID).
const requestIDHeader = "X-Request-ID"

func (e *APIError) Error() string {
	return fmt.Sprintf("the API answered %d: %s", e.Status, e.Problem.Detail)
}

// Get asks the API for path on behalf of the signed-in person and decodes the answer into out.
func (c *Ctx) Get(path string, out any) error { return c.Send(http.MethodGet, path, nil, out) }

// Send calls the API in the process on behalf of the signed-in person, with in as the JSON body
// (nil for none), and decodes the answer into out (nil to drop it). A status of 300 or more is
// an *APIError. The call carries the page request's ID, so that the access log and the logs tie
// the two together.
func (c *Ctx) Send(method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	ctx := auth.OnBehalfOf(c.Request.Context(), c.Session.Subject)
	req, err := http.NewRequestWithContext(ctx, method, path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if id := c.Writer.Header().Get(requestIDHeader); id != "" {
		req.Header.Set(requestIDHeader, id)
	}
	res := &recorder{header: http.Header{}, status: http.StatusOK}
	c.w.api.ServeHTTP(res, req)
	if res.status >= 300 {
		e := &APIError{Status: res.status}
		_ = json.Unmarshal(res.body.Bytes(), &e.Problem) // a problem that does not decode still has its status
		return e
	}
	if out == nil || res.body.Len() == 0 {
		return nil
	}
	return json.Unmarshal(res.body.Bytes(), out)
}

// recorder is the response of a call in the process.
type recorder struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}
