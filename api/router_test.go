package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/api"
)

// router builds the real router with dependency checks that always answer; the handlers under
// test here never reach PostgreSQL or Temporal.
func router(t *testing.T) *gin.Engine {
	t.Helper()
	return api.NewRouter(api.Deps{
		Log:      zap.NewNop(),
		Registry: prometheus.NewRegistry(),
		Checks:   []api.Check{{Name: "postgres", Probe: func(context.Context) error { return nil }}},
	})
}

func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	if err != nil {
		t.Fatalf("openapi.yaml does not load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not valid OpenAPI 3: %v", err)
	}
	return doc
}

// Every route the router serves is in the OpenAPI document, and every operation of the document
// is served: adding one without the other fails here.
func TestRoutesMatchOpenAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	var documented []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	var served []string
	for _, r := range router(t).Routes() {
		served = append(served, r.Method+" "+ginToOpenAPIPath(r.Path))
	}
	sort.Strings(documented)
	sort.Strings(served)
	if strings.Join(documented, "\n") != strings.Join(served, "\n") {
		t.Fatalf("router and OpenAPI document differ\nserved:\n  %s\ndocumented:\n  %s",
			strings.Join(served, "\n  "), strings.Join(documented, "\n  "))
	}
}

// ginToOpenAPIPath turns /a/:id into /a/{id}.
func ginToOpenAPIPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			parts[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

func TestOpenAPIDocumentIsServed(t *testing.T) {
	rec := serve(t, "GET", "/api/v1/openapi.yaml", "")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "openapi: 3") {
		t.Fatalf("GET /api/v1/openapi.yaml = %d", rec.Code)
	}
}

func serve(t *testing.T, method, path, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	router(t).ServeHTTP(rec, req)
	return rec
}

func problem(t *testing.T, rec *httptest.ResponseRecorder) api.Problem {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("Content-Type = %q, want application/problem+json; body %s", ct, rec.Body)
	}
	var p api.Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("body is not a problem document: %v: %s", err, rec.Body)
	}
	if p.Status != rec.Code || p.Title == "" || p.Type == "" || p.RequestID == "" {
		t.Fatalf("problem lacks standard members: %+v", p)
	}
	return p
}

// Unknown routes, wrong methods and malformed or invalid bodies all answer problem+json that
// names every wrong field, never Gin's default text.
func TestErrorsAreProblemDocuments(t *testing.T) {
	cases := []struct {
		name, method, path, body string
		status                   int
		fields                   []string
	}{
		{"unknown route", "GET", "/api/v1/nothing-here", "", 404, nil},
		{"wrong method", "DELETE", "/healthz", "", 405, nil},
		{"empty body", "POST", "/api/v1/absences", "", 422, []string{""}},
		{"not JSON", "POST", "/api/v1/absences", "studentId=1", 422, []string{""}},
		{"two documents", "POST", "/api/v1/absences", "{} {}", 422, []string{""}},
		{"array body", "POST", "/api/v1/absences", `[1]`, 422, []string{""}},
		{"wrong type", "POST", "/api/v1/absences", `{"studentId": 7}`, 422, []string{"studentId", "day", "lessonId"}},
		{"unknown field", "POST", "/api/v1/absences", `{"personnummer": "200101012384"}`, 422, []string{"personnummer", "studentId", "day", "lessonId"}},
		{"unknown, mistyped and invalid together", "POST", "/api/v1/absences",
			`{"studentId": "x", "day": 20261130, "lessonId": "0c9a6b1e-53f2-4d8e-a1b7-7e2f4c6d8a01", "name": "Alva"}`,
			422, []string{"day", "name", "studentId"}},
		{"every wrong field", "POST", "/api/v1/absences", `{"studentId": "x", "day": "2026-02-30"}`, 422, []string{"studentId", "day", "lessonId"}},
		{"bad path parameters", "GET", "/api/v1/absence-days/not-a-uuid/tomorrow", "", 422, []string{"studentId", "day"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := serve(t, c.method, c.path, c.body)
			if rec.Code != c.status {
				t.Fatalf("status = %d, want %d: %s", rec.Code, c.status, rec.Body)
			}
			p := problem(t, rec)
			var got []string
			for _, f := range p.Errors {
				got = append(got, f.Field)
				if f.Detail == "" {
					t.Errorf("field %q has no detail", f.Field)
				}
			}
			if strings.Join(got, ",") != strings.Join(c.fields, ",") {
				t.Errorf("fields named = %q, want %q", got, c.fields)
			}
			if strings.Contains(rec.Body.String(), "200101012384") {
				t.Error("the problem echoes the personnummer the client sent")
			}
		})
	}
}

// A panic in a handler is a 500 problem without the panic's text or a stack trace.
func TestPanicIsAProblemWithoutDetails(t *testing.T) {
	r := router(t)
	r.GET("/boom", func(*gin.Context) { panic("secret detail from pq: relation pupils") })
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest("GET", "/boom", nil))
	if rec.Code != 500 {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	problem(t, rec)
	if strings.Contains(rec.Body.String(), "secret") || strings.Contains(rec.Body.String(), "goroutine") {
		t.Fatalf("the response leaks internals: %s", rec.Body)
	}
}

// Every response carries a request ID; a well-formed incoming one is kept, a malformed one is
// replaced, and problem documents quote it.
func TestRequestID(t *testing.T) {
	rec := serve(t, "GET", "/healthz", "", "X-Request-ID", "trace-abc.123")
	if got := rec.Header().Get("X-Request-ID"); got != "trace-abc.123" {
		t.Errorf("kept request ID = %q", got)
	}
	rec = serve(t, "GET", "/healthz", "", "X-Request-ID", "<script>")
	if got := rec.Header().Get("X-Request-ID"); got == "" || got == "<script>" {
		t.Errorf("malformed request ID was not replaced: %q", got)
	}
	rec = serve(t, "GET", "/nowhere", "")
	if p := problem(t, rec); p.RequestID != rec.Header().Get("X-Request-ID") {
		t.Errorf("problem requestId %q differs from header %q", p.RequestID, rec.Header().Get("X-Request-ID"))
	}
}

// /metrics serves Prometheus text including the API's own request latencies.
func TestMetricsExposeRequestLatency(t *testing.T) {
	r := router(t)
	r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/healthz", nil))
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(rec.Body.String(), `skolflow_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 1`) {
		t.Fatalf("metrics lack the /healthz request:\n%s", rec.Body)
	}
}
