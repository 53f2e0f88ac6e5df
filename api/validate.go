package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/internal/plaintext"
)

// Every request is checked against api/openapi.yaml before its handler runs: its path, query
// and header parameters, and its JSON body (types, formats, required and nullable members,
// members the document does not name, lengths, code lists, bounds). The document is the one
// description of a request's shape; a handler checks only what the document cannot say, such
// as a date's range, one date after another, or a pupil in the lesson's group.
//
// An operation without a JSON body is answered at once, naming each wrong field. One with a
// body goes on to its handler, which takes the problems with Bind and answers them together
// with its own checks, so that a client learns of every wrong field in one answer.

// maxBodyBytes bounds every JSON request body.
const maxBodyBytes = 1 << 20

// checkedByHandler marks, in the document, a request body that its handler reads and checks
// itself (the register import, up to 256 MiB; the dev mode's stand-in SMS gateway).
const checkedByHandler = "x-checked-by-handler"

// ctxBody holds the request's *checkedBody for Bind.
const ctxBody = "skolflow.body"

// checkedBody is a request's JSON body as the middleware read it, and every problem it found
// with the body and the request's parameters. Bind takes the problems.
type checkedBody struct {
	raw      []byte
	problems Fields
	bound    bool
}

// operation is what the middleware checks of one route.
type operation struct {
	route    *routers.Route
	params   []*openapi3.Parameter // the path item's and the operation's, the operation's first
	body     *openapi3.Schema      // the JSON body's; nil when there is none, or checkedByHandler
	optional bool                  // the body may be left out
}

// document is api/openapi.yaml, loaded and validated once per process: the routers of the API
// and of each test share it.
var document = sync.OnceValue(func() *openapi3.T {
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPI)
	if err == nil {
		err = doc.Validate(context.Background())
	}
	if err != nil {
		panic("api/openapi.yaml: " + err.Error()) // embedded: a broken document fails every test
	}
	return doc
})

// checkRequests is the request middleware over doc. It finds each request's operation by its
// route (Gin's FullPath) in a table built once.
func checkRequests(doc *openapi3.T) gin.HandlerFunc {
	ops := operations(doc)
	return func(c *gin.Context) {
		const op = "api.request"
		var bad Fields
		query := c.Request.URL.Query()
		queryText(query, &bad)
		o := ops[c.Request.Method+" "+c.FullPath()]
		if o != nil {
			o.checkParams(c, query, &bad)
		}
		if o == nil || o.body == nil {
			if err := bad.Err(op); err != nil {
				Abort(c, err)
				return
			}
			c.Next()
			return
		}
		raw, problem := readBody(c, o.optional)
		var value map[string]any
		if problem == "" && len(raw) > 0 {
			value, problem = decodeObject(raw)
		}
		if problem != "" {
			bad.Add("", problem)
			Abort(c, bad.Err(op))
			return
		}
		if value != nil {
			o.checkBody(raw, value, &bad)
		}
		body := &checkedBody{raw: raw, problems: bad}
		c.Set(ctxBody, body)
		c.Request.Body = io.NopCloser(bytes.NewReader(raw))
		c.Next()
		if !body.bound && len(body.problems) > 0 {
			// A handler of an operation with a body binds it before it acts; one that did not
			// has acted on a request the document refuses.
			logger(c).Error("a handler did not bind its request body", zap.String("route", c.FullPath()))
			if !c.Writer.Written() {
				Abort(c, body.problems.Err(op))
			}
		}
	}
}

// operations maps "METHOD /gin/:path" to what is checked of each operation of doc.
func operations(doc *openapi3.T) map[string]*operation {
	ops := map[string]*operation{}
	for path, item := range doc.Paths.Map() {
		for method, o := range item.Operations() {
			op := &operation{route: &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: o}}
			for _, p := range o.Parameters {
				op.params = append(op.params, p.Value)
			}
			for _, p := range item.Parameters {
				if o.Parameters.GetByInAndName(p.Value.In, p.Value.Name) == nil {
					op.params = append(op.params, p.Value)
				}
			}
			if rb := o.RequestBody; rb != nil && rb.Value.Extensions[checkedByHandler] != true {
				if media := rb.Value.Content.Get("application/json"); media != nil && media.Schema != nil {
					op.body, op.optional = media.Schema.Value, !rb.Value.Required
				}
			}
			ops[method+" "+ginPath(path)] = op
		}
	}
	return ops
}

// ginPath writes an OpenAPI path template as Gin writes its routes: /a/{id} as /a/:id.
func ginPath(path string) string {
	return strings.NewReplacer("{", ":", "}", "").Replace(path)
}

// queryText names each query parameter that is not plain text (see plaintext), declared by the
// document or not: no handler reads a NUL or bytes that are not UTF-8.
func queryText(query url.Values, bad *Fields) {
	if len(query) == 0 {
		return
	}
	for _, name := range slices.Sorted(maps.Keys(query)) {
		if d := plaintext.Problem(name); d != "" {
			bad.Add("", "a query parameter's name "+d)
			continue
		}
		for _, v := range query[name] {
			if d := plaintext.Problem(v); d != "" {
				bad.Add(name, d)
			}
		}
	}
}

// paramOptions check each parameter against its schema, reporting every problem, and leave the
// request as it came: a handler applies a parameter's default itself.
var paramOptions = &openapi3filter.Options{
	MultiError:              true,
	SkipSettingDefaults:     true,
	SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.WithStringFormatValidators(formatValidators)},
}

// bodyOptions check a body as a request's, reporting every problem.
var bodyOptions = []openapi3.SchemaValidationOption{
	openapi3.VisitAsRequest(), openapi3.MultiErrors(), openapi3.WithStringFormatValidators(formatValidators),
}

func (o *operation) checkParams(c *gin.Context, query url.Values, bad *Fields) {
	if len(o.params) == 0 {
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: c.Request, QueryParams: query, Route: o.route, Options: paramOptions}
	if len(c.Params) > 0 {
		in.PathParams = make(map[string]string, len(c.Params))
		for _, p := range c.Params {
			in.PathParams[p.Key] = p.Value
		}
	}
	for _, p := range o.params {
		if err := openapi3filter.ValidateParameter(c.Request.Context(), in, p); err != nil {
			if p.Required && p.In == openapi3.ParameterInQuery && query.Get(p.Name) == "" {
				bad.Add(p.Name, "is required") // sent empty: as good as left out
				continue
			}
			nameParameterProblems(bad, p, err)
		}
	}
}

// readBody reads the request's body, at most maxBodyBytes. It answers what is wrong with the
// body as a whole, or "".
func readBody(c *gin.Context, optional bool) ([]byte, string) {
	raw, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, "the body is larger than 1 MiB"
	case err != nil:
		return nil, "the body could not be read"
	case len(bytes.TrimSpace(raw)) == 0 && !optional:
		return nil, "the body is empty; a JSON object is expected"
	case len(bytes.TrimSpace(raw)) == 0:
		return nil, ""
	}
	return raw, ""
}

// decodeObject decodes raw, one JSON object and nothing after it. Numbers stay as written, so
// that one too large for a float64 is named rather than lost.
func decodeObject(raw []byte) (map[string]any, string) {
	const notAnObject = "the body is not a single valid JSON object"
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var value map[string]any
	if err := dec.Decode(&value); err != nil || value == nil {
		return nil, notAnObject
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, notAnObject
	}
	return value, ""
}

// checkBody names every string of raw, the body, that is not plain text, and every problem the
// document finds with value, the body decoded.
func (o *operation) checkBody(raw []byte, value map[string]any, bad *Fields) {
	plaintext.Walk(raw, "", func(path, detail string) {
		bad.Add(fieldName(o.body, nil, pointer(path)), detail)
	})
	if err := o.body.VisitJSON(value, bodyOptions...); err != nil {
		nameProblems(bad, o.body, nil, err)
	}
}
