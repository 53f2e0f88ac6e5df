package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
)

// A small document with one of each kind of rule the middleware reads.
const smallDocument = `
openapi: 3.0.3
info: { title: small, version: "1" }
paths:
  /things/{thingId}:
    parameters: [{ name: thingId, in: path, required: true, schema: { type: string, format: uuid } }]
    put:
      parameters: [{ name: dryRun, in: query, schema: { type: boolean } }]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [day, note, items]
              properties:
                day: { type: string, format: date }
                at: { type: string, format: date-time }
                note: { type: string, nullable: true, maxLength: 5 }
                reason: { type: string, minLength: 1, maxLength: 10 }
                count: { type: integer, minimum: 0, maximum: 10 }
                code: { type: string, enum: [sv, en] }
                clock: { type: string, nullable: true, pattern: "^[0-9]{2}:[0-9]{2}$", example: "08:00" }
                channels: { type: array, items: { type: string, enum: [email, sms] } }
                items:
                  type: array
                  minItems: 1
                  items:
                    type: object
                    required: [id]
                    properties:
                      id: { type: string, format: uuid }
                      text: { type: string, maxLength: 3 }
                payload: { type: object, additionalProperties: { maxLength: 3, nullable: true } }
      responses: { "200": { description: ok } }
  /sums:
    get:
      parameters:
        - { name: from, in: query, required: true, schema: { type: string, format: date } }
        - { name: days, in: query, allowEmptyValue: true, schema: { type: integer, minimum: 1, maximum: 31 } }
        - { name: state, in: query, schema: { type: string, enum: [open, closed] } }
        - { name: unread, in: query, allowEmptyValue: true, schema: { type: boolean } }
        - { name: kind, in: query, schema: { type: string, maxLength: 3 } }
      responses: { "200": { description: ok } }
  /imports:
    post:
      requestBody:
        required: true
        x-checked-by-handler: true
        content: { application/json: { schema: { type: object } } }
      responses: { "200": { description: ok } }
`

// thing is what PUT /things/{thingId} binds.
type thing struct {
	Day   string  `json:"day"`
	Note  *string `json:"note"`
	Count int     `json:"count"`
}

// smallRouter serves smallDocument's operations behind the middleware. PUT /things binds and
// adds a check of its own (a note "x" is refused), as an area's handler does; /imports reads
// its body itself.
func smallRouter(t testing.TB) *gin.Engine {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(smallDocument))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(checkRequests(doc))
	r.PUT("/things/:thingId", func(c *gin.Context) {
		var in thing
		bad, err := Bind(c, &in)
		if err != nil {
			Abort(c, err)
			return
		}
		if in.Note != nil && *in.Note == "x" {
			bad.Add("note", "is not a note")
		}
		if err := bad.Err("thing.put"); err != nil {
			Abort(c, err)
			return
		}
		c.JSON(http.StatusOK, in)
	})
	r.GET("/sums", func(c *gin.Context) { c.Status(http.StatusOK) })
	r.POST("/imports", func(c *gin.Context) {
		raw, _ := io.ReadAll(c.Request.Body)
		c.String(http.StatusOK, "%s", raw)
	})
	return r
}

const thingPath = "/things/5f84cab3-e4a2-5f42-b861-b2c027aa64a8"

// named sends a request to r and answers its status and each field the problem names, with its
// detail.
func named(t *testing.T, r http.Handler, method, target, body string) (int, []string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(method, target, rd))
	if rec.Code == http.StatusOK {
		return rec.Code, nil
	}
	var p Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("%s %s: %d %s is not a problem: %v", method, target, rec.Code, rec.Body, err)
	}
	var got []string
	for _, e := range p.Errors {
		got = append(got, e.Field+": "+e.Detail)
	}
	return rec.Code, got
}

func TestRequestBodiesAreCheckedAgainstTheDocument(t *testing.T) {
	r := smallRouter(t)
	const valid = `"day": "2026-11-30", "note": null, "items": [{"id": "5f84cab3-e4a2-5f42-b861-b2c027aa64a8"}]`
	for _, c := range []struct {
		name, body string
		want       []string
	}{
		{"valid", `{` + valid + `}`, nil},
		{"valid with every member", `{` + valid + `, "at": "2026-11-30T08:15:00+01:00", "reason": "Sjuk", "count": 10,
			"code": "sv", "clock": "08:00", "channels": ["sms"], "payload": {"a": "abc", "b": true, "c": null}}`, nil},
		{"required members missing", `{}`, []string{
			"day: is required", "items: is required", "note: is required: send null for none"}},
		{"null for a member that must have a value", `{"day": null, "note": null, "items": null}`, []string{
			"day: is required", "items: is required"}},
		{"members the document does not name", `{` + valid + `, "zeta": 1, "alpha": 2}`, []string{
			"alpha: is not a field of this request", "zeta: is not a field of this request"}},
		{"formats", `{"day": "2026-02-30", "at": "tomorrow", "note": null, "items": [{"id": "5F84CAB3"}]}`, []string{
			"at: must be a time such as 2026-11-30T08:15:00+01:00", "day: must be a date as YYYY-MM-DD", "items/0/id: must be a UUID"}},
		{"types", `{"day": 20261130, "note": 5, "count": "3", "items": {}}`, []string{
			"count: must be a whole number from 0 to 10", "day: must be a date as YYYY-MM-DD", "items: must be an array",
			"note: must be a string"}},
		{"bounds", `{` + valid + `, "count": 11, "reason": ""}`, []string{
			"count: must be a whole number from 0 to 10", "reason: is required"}},
		{"a number too large for any field", `{` + valid + `, "count": 1e400}`, []string{
			"count: must be a whole number from 0 to 10"}},
		{"a fraction for a whole number", `{` + valid + `, "count": 1.5}`, []string{
			"count: must be a whole number from 0 to 10"}},
		{"lengths in characters", `{"day": "2026-11-30", "note": "åäöåäö", "items": [{"id": "5f84cab3-e4a2-5f42-b861-b2c027aa64a8", "text": "abcd"}]}`,
			[]string{"items/0/text: must be at most 3 characters", "note: must be at most 5 characters"}},
		{"codes and patterns", `{` + valid + `, "code": "de", "clock": "8 am"}`, []string{
			"clock: must be written like 08:00", "code: must be sv or en"}},
		{"a wrong code in a list names the list", `{` + valid + `, "channels": ["sms", "pigeon"]}`, []string{
			"channels: must be email or sms"}},
		{"an empty list that needs an item", `{"day": "2026-11-30", "note": null, "items": []}`, []string{
			"items: is required: at least one"}},
		{"an item of a list of objects", `{"day": "2026-11-30", "note": null, "items": [{"id": "5f84cab3-e4a2-5f42-b861-b2c027aa64a8"}, {}]}`,
			[]string{"items/1/id: is required"}},
		{"the members of an open object", `{` + valid + `, "payload": {"a": "abcd", "b": 1}}`, []string{
			"payload/a: must be at most 3 characters"}},
		{"text that is not plain, at any depth", "{\"day\": \"2026-11-30\\u0000\", \"note\": \"a\xffb\", \"items\": [{\"id\": \"5f84cab3-e4a2-5f42-b861-b2c027aa64a8\", \"text\": \"\\u0000\"}]," +
			" \"payload\": {\"k\\u0000\": \"v\"}}", []string{
			"day: must not contain the NUL character (\\u0000)", "items/0/text: must not contain the NUL character (\\u0000)",
			"note: must be text in UTF-8", "payload: has a member name with the NUL character (\\u0000)"}},
		{"the handler's own checks join the document's", `{"day": "2026-11-30", "note": "x", "items": [], "zeta": 1}`, []string{
			"items: is required: at least one", "zeta: is not a field of this request", "note: is not a note"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, got := named(t, r, "PUT", thingPath, c.body)
			if c.want != nil && status != http.StatusUnprocessableEntity || c.want == nil && status != http.StatusOK {
				t.Fatalf("%d %q", status, got)
			}
			if !slices.Equal(sortedButLast(got, c.name), c.want) {
				t.Fatalf("named %q, want %q", got, c.want)
			}
		})
	}
}

// sortedButLast sorts the document's problems (the order kin-openapi finds them in is not the
// contract); a handler's own check comes after them, and the last case says so.
func sortedButLast(got []string, name string) []string {
	n := len(got)
	if strings.HasPrefix(name, "the handler's") && n > 0 {
		n--
	}
	slices.Sort(got[:n])
	return got
}

func TestABodyThatIsNotOneObjectIsNamedAsAWhole(t *testing.T) {
	r := smallRouter(t)
	for name, body := range map[string]string{
		"empty":          "",
		"spaces":         "  \n",
		"not JSON":       "day=2026-11-30",
		"an array":       `[{"day": "2026-11-30"}]`,
		"null":           "null",
		"two objects":    `{"day": "2026-11-30"} {}`,
		"cut short":      `{"day": "2026-11-30"`,
		"larger than 1M": `{"note": "` + strings.Repeat("a", maxBodyBytes) + `"}`,
	} {
		status, got := named(t, r, "PUT", thingPath, body)
		if status != http.StatusUnprocessableEntity || len(got) != 1 || !strings.HasPrefix(got[0], ": the body ") {
			t.Errorf("%s: %d %q, want 422 naming the body as a whole", name, status, got)
		}
	}
}

func TestParametersAreCheckedAgainstTheDocument(t *testing.T) {
	r := smallRouter(t)
	for _, c := range []struct {
		method, target string
		want           []string
	}{
		{"GET", "/sums?from=2026-11-30", nil},
		{"GET", "/sums?from=2026-11-30&days=31&state=open&unread=true&kind=abc", nil},
		{"GET", "/sums?from=2026-11-30&days=&unread=", nil}, // empty, as if left out
		{"GET", "/sums", []string{"from: is required"}},
		{"GET", "/sums?from=", []string{"from: is required"}},
		{"GET", "/sums?from=30/11&days=32&state=done&unread=yes&kind=abcd", []string{
			"days: must be a whole number from 1 to 31", "from: must be a date as YYYY-MM-DD", "kind: must be at most 3 characters",
			"state: must be open or closed", "unread: must be true or false"}},
		{"GET", "/sums?from=2026-11-30&days=many&state=", []string{
			"days: must be a whole number from 1 to 31", "state: must be open or closed"}},
		{"GET", "/sums?from=%00&other=%FF", []string{
			"from: must not contain the NUL character (\\u0000)", "other: must be text in UTF-8"}},
		{"GET", "/nowhere?q=%00", []string{"q: must not contain the NUL character (\\u0000)"}},
		{"PUT", "/things/not-a-uuid?dryRun=maybe", []string{
			"dryRun: must be true or false", "thingId: must be a UUID", // joined with the body's, for the handler to answer
			"day: is required", "items: is required", "note: is required: send null for none"}},
	} {
		body := ""
		if c.method == "PUT" {
			body = "{}"
		}
		status, got := named(t, r, c.method, c.target, body)
		if c.want == nil && status != http.StatusOK || c.want != nil && status != http.StatusUnprocessableEntity {
			t.Errorf("%s %s: %d %q", c.method, c.target, status, got)
			continue
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(c.want))
		if !slices.Equal(got, want) {
			t.Errorf("%s %s: named %q, want %q", c.method, c.target, got, want)
		}
	}
}

// A body its handler checks itself reaches the handler as it was sent.
func TestABodyCheckedByItsHandlerIsLeftAlone(t *testing.T) {
	rec := httptest.NewRecorder()
	smallRouter(t).ServeHTTP(rec, httptest.NewRequest("POST", "/imports", strings.NewReader("not JSON")))
	if rec.Code != http.StatusOK || rec.Body.String() != "not JSON" {
		t.Fatalf("%d %q, want the body as sent", rec.Code, rec.Body)
	}
}

// A handler that forgets to bind its body does not let the document's problems pass unanswered.
func TestAHandlerThatDoesNotBindStillAnswersTheProblems(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(smallDocument))
	if err != nil {
		t.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(checkRequests(doc))
	r.PUT("/things/:thingId", func(c *gin.Context) {})
	if status, got := named(t, r, "PUT", thingPath, `{"zeta": 1}`); status != http.StatusUnprocessableEntity || len(got) != 4 {
		t.Fatalf("%d %q, want 422 naming day, items, note and zeta", status, got)
	}
}

// Bind in a route the document gives no body is a mistake of the program, not of the client.
func TestBindWithoutADocumentedBodyIsInternal(t *testing.T) {
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("PUT", "/", strings.NewReader(`{}`))
	var in thing
	if _, err := Bind(c, &in); err == nil {
		t.Fatal("Bind without the middleware's check answered no error")
	}
}

// registration and registrations are the attendance area's request (attendance.RegistrationInput),
// which this package cannot import.
type registration struct {
	Person string `json:"person"`
	Status string `json:"status"`
}

type registrations struct {
	Registrations []registration `json:"registrations"`
}

// The middleware's work on the API's busiest write: the register of a class of 30.
func BenchmarkCheckRequestsRegister(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(checkRequests(document()))
	r.PUT("/api/v1/lessons/:lessonId/attendance", func(c *gin.Context) {
		var in registrations
		bad, err := Bind(c, &in)
		if err != nil || len(bad) > 0 {
			b.Fatalf("%v %v", err, bad)
		}
		c.Status(http.StatusOK)
	})
	var regs []registration
	for i := range 30 {
		regs = append(regs, registration{Person: fmt.Sprintf("5f84cab3-e4a2-5f42-b861-b2c027aa64%02d", i), Status: "present"})
	}
	body, _ := json.Marshal(registrations{Registrations: regs})
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest("PUT", "/api/v1/lessons/5f84cab3-e4a2-5f42-b861-b2c027aa64a8/attendance", strings.NewReader(string(body))))
		if rec.Code != http.StatusOK {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
}
