package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/auth"
	"github.com/skolflow/skolflow/internal/app"
	"github.com/skolflow/skolflow/internal/mailsink"
	"github.com/skolflow/skolflow/internal/ss12000spec"
	"github.com/skolflow/skolflow/policies"
)

// router builds the real router, dev routes included, with dependency checks that always
// answer. The tests here call only routes that need neither sign-in nor the register; the rest
// are driven on the real stack in integration/.
func router(t *testing.T) *gin.Engine {
	t.Helper()
	issuer, err := auth.NewDevIssuer("http://127.0.0.1/dev/oidc", "skolflow", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	mailbox, err := mailsink.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mailbox.Close() })
	return api.NewRouter(api.Deps{
		Log:      zap.NewNop(),
		Registry: prometheus.NewRegistry(),
		Checks:   []api.Check{{Name: "postgres", Probe: func(context.Context) error { return nil }}},
		Dev:      &api.DevMode{Issuer: issuer, UserDomain: "skolflow.test", Mailbox: mailbox},
		Modules:  app.Modules(area.Env{}),
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

// operations are the API's operations as clients know them: method, path and operationId, from
// which clients are generated. A change here is a change for every client; make it on purpose.
var operations = []string{
	"POST /api/v1/activities/{activityId}/risks flagGradeRisk",
	"DELETE /api/v1/duties/{dutyId} deleteDuty",
	"POST /api/v1/grades/{gradeId}/corrections correctGrade",
	"GET /api/v1/groups/{groupId} getGroup",
	"DELETE /api/v1/groups/{groupId}/members/{personId} deleteGroupMembership",
	"PUT /api/v1/groups/{groupId}/members/{personId} setGroupMembership",
	"GET /api/v1/lessons/{lessonId} getLesson",
	"GET /api/v1/lessons/{lessonId}/attendance getLessonAttendance",
	"PUT /api/v1/lessons/{lessonId}/attendance setLessonAttendance",
	"GET /api/v1/me getMe",
	"GET /api/v1/me/children listMyChildren",
	"GET /api/v1/me/contact getMyContactPreferences",
	"PUT /api/v1/me/contact setMyContactPreferences",
	"GET /api/v1/me/groups listMyGroups",
	"GET /api/v1/me/lessons listMyLessons",
	"GET /api/v1/notifications listNotifications",
	"POST /api/v1/notifications/{notificationId}/read markNotificationRead",
	"GET /api/v1/openapi.yaml getOpenApiDocument",
	"GET /api/v1/persons/{personId} getPerson",
	"GET /api/v1/persons/{personId}/absence-days listAbsenceDays",
	"GET /api/v1/persons/{personId}/absence-days/{day} getAbsenceDay",
	"POST /api/v1/persons/{personId}/absence-days/{day}/reply replyToAbsenceNotice",
	"GET /api/v1/persons/{personId}/absence-reports listAbsenceReports",
	"POST /api/v1/persons/{personId}/absence-reports createAbsenceReport",
	"POST /api/v1/persons/{personId}/absences reportMissedLesson",
	"GET /api/v1/persons/{personId}/attendance getPersonAttendance",
	"GET /api/v1/persons/{personId}/leave-applications listLeaveApplications",
	"GET /api/v1/persons/{personId}/lessons listPersonLessons",
	"POST /api/v1/persons/{personId}/leave-applications applyForLeave",
	"DELETE /api/v1/persons/{personId}/responsibles/{responsibleId} deleteResponsible",
	"PUT /api/v1/persons/{personId}/responsibles/{responsibleId} setResponsible",
	"GET /api/v1/processes/{processId} getProcess",
	"POST /api/v1/register/import importRegister",
	"GET /api/v1/schools listSchools",
	"GET /api/v1/schools/{schoolId} getSchool",
	"GET /api/v1/schools/{schoolId}/absence-investigations listAbsenceInvestigations",
	"GET /api/v1/schools/{schoolId}/absence-overview getAbsenceOverview",
	"POST /api/v1/schools/{schoolId}/duties createDuty",
	"GET /api/v1/schools/{schoolId}/groups listSchoolGroups",
	"GET /api/v1/schools/{schoolId}/terms listSchoolTerms",
	"GET /api/v1/schools/{schoolId}/leave-delegation getLeaveDelegation",
	"PUT /api/v1/schools/{schoolId}/leave-delegation setLeaveDelegation",
	"POST /api/v1/schools/{schoolId}/lessons importLessons",
	"GET /api/v1/schools/{schoolId}/staff listSchoolStaff",
	"GET /api/v1/tasks listTasks",
	"POST /api/v1/schools/{schoolId}/grading-periods openGradingPeriod",
	"GET /api/v1/schools/{schoolId}/grading-periods listGradingPeriods",
	"GET /api/v1/grading-periods/{periodId} getGradingPeriod",
	"GET /api/v1/activities/{activityId}/grades getActivityGrades",
	"PUT /api/v1/activities/{activityId}/grades enterActivityGrades",
	"POST /api/v1/activities/{activityId}/grades/cosign coSignActivityGrades",
	"GET /api/v1/grading-periods/{periodId}/catalogues/{group} getGradeCatalogue",
	"POST /api/v1/grading-periods/{periodId}/catalogues/{group}/sign signGradeCatalogue",
	"GET /api/v1/grading-periods/{periodId}/catalogues/{group}/verify verifyGradeCatalogue",
	"GET /api/v1/persons/{personId}/grades listPupilGrades",
	"GET /api/v1/groups/{groupId}/grades listGroupGrades",
	"POST /api/v1/persons/{personId}/documents createDocument",
	"GET /api/v1/persons/{personId}/documents listDocuments",
	"GET /api/v1/documents/{documentId} getDocument",
	"GET /api/v1/documents/{documentId}/verify verifyDocument",
	"GET /api/v1/documents/{documentId}/export exportDocument",
	"POST /api/v1/documents/{documentId}/staff assignDocumentStaff",
	"DELETE /api/v1/documents/{documentId}/staff/{member} unassignDocumentStaff",
	"POST /api/v1/documents/{documentId}/versions addDocumentVersion",
	"PUT /api/v1/documents/{documentId}/versions/{version} editDocumentDraft",
	"POST /api/v1/documents/{documentId}/versions/{version}/sign signDocumentVersion",
	"POST /api/v1/schools/{schoolId}/incidents reportIncident",
	"GET /api/v1/schools/{schoolId}/incidents listIncidents",
	"GET /api/v1/incidents/{incidentId} getIncident",
	"GET /api/v1/incidents/{incidentId}/export exportIncident",
	"POST /api/v1/persons/{personId}/support-cases signalSupportNeed",
	"GET /api/v1/support-cases/{caseId} getSupportCase",
	"GET /api/v1/support-cases/{caseId}/export exportSupportCase",
	"POST /api/v1/support-cases/{caseId}/decision decideSupportCase",
	"POST /api/v1/support-cases/{caseId}/appeals recordSupportAppeal",
	"GET /api/v1/enrollment-rounds listOpenRounds",
	"POST /api/v1/schools/{schoolId}/enrollment-rounds createRound",
	"GET /api/v1/schools/{schoolId}/enrollment-rounds listOrganisersRounds",
	"GET /api/v1/schools/{schoolId}/enrollment-rounds/{round} getRoundReport",
	"GET /api/v1/schools/{schoolId}/enrollment-rounds/{round}/applications/{child} getRoundApplication",
	"GET /api/v1/schools/{schoolId}/preschool-guarantees listPreschoolGuarantees",
	"GET /api/v1/schools/{schoolId}/capacities listCapacities",
	"PUT /api/v1/schools/{schoolId}/capacities setCapacity",
	"POST /api/v1/persons/{personId}/applications applyForSchool",
	"GET /api/v1/persons/{personId}/applications listSchoolApplications",
	"GET /api/v1/persons/{personId}/applications/{round} getSchoolApplication",
	"PUT /api/v1/persons/{personId}/applications/{round} changeSchoolApplication",
	"POST /api/v1/persons/{personId}/applications/{round}/appeals appealPlacement",
	"POST /api/v1/tasks/{taskId}/complete completeTask",
	"POST /api/v1/tasks/{taskId}/reassign reassignTask",
	"GET /dev/mail getDevMailbox",
	"GET /dev/oidc/.well-known/openid-configuration getDevDiscovery",
	"GET /dev/oidc/authorize getDevSignInPage",
	"POST /dev/oidc/authorize signInDevUser",
	"GET /dev/oidc/jwks.json getDevKeys",
	"GET /dev/oidc/logout endDevSession",
	"POST /dev/oidc/token createDevOidcToken",
	"POST /dev/sms sendDevSms",
	"POST /dev/token createDevToken",
	"GET /dev/users listDevUsers",
	"GET /healthz getLiveness",
	"GET /metrics getMetrics",
	"GET /readyz getReadiness",
}

// The OpenAPI document's operations are the ones above, and the router serves exactly those:
// adding, renaming or dropping an operation on one side only fails here.
func TestRoutesMatchOpenAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	var documented, documentedRoutes []string
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			documented = append(documented, method+" "+path+" "+op.OperationID)
			documentedRoutes = append(documentedRoutes, method+" "+path)
		}
	}
	var served, standard []string
	for _, r := range router(t).Routes() {
		if path, ok := strings.CutPrefix(r.Path, api.StandardPrefix); ok {
			standard = append(standard, r.Method+" "+ginToOpenAPIPath(path))
			continue
		}
		served = append(served, r.Method+" "+ginToOpenAPIPath(r.Path))
	}
	sameSet(t, "the OpenAPI document's operations", documented, "the list in this test", operations)
	sameSet(t, "the router's routes", served, "the OpenAPI document's routes", documentedRoutes)

	// The SS 12000 routes are the standard's own document's operations.
	spec, err := ss12000spec.Load(api.StandardPrefix)
	if err != nil {
		t.Fatal(err)
	}
	for _, route := range standard {
		method, path, _ := strings.Cut(route, " ")
		item := spec.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("%s%s is served but is no operation of SS 12000", api.StandardPrefix, route)
		}
	}
}

// sameSet fails the test with what is in one of a and b, named as given, and not in the other.
func sameSet(t *testing.T, aName string, a []string, bName string, b []string) {
	t.Helper()
	only := func(x, y []string) []string {
		return slices.DeleteFunc(slices.Sorted(slices.Values(x)), func(s string) bool { return slices.Contains(y, s) })
	}
	if onlyA, onlyB := only(a, b), only(b, a); len(onlyA)+len(onlyB) > 0 || len(a) != len(b) {
		t.Errorf("%s and %s differ\nonly in %s:\n  %s\nonly in %s:\n  %s\n(%d and %d entries)", aName, bName,
			aName, strings.Join(onlyA, "\n  "), bName, strings.Join(onlyB, "\n  "), len(a), len(b))
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

// Unknown routes and wrong methods answer problem+json, never Gin's default text.
func TestUnknownRoutesAndMethodsAreProblemDocuments(t *testing.T) {
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/api/v1/nothing-here", 404},
		{"DELETE", "/healthz", 405},
	} {
		rec := serve(t, c.method, c.path, "")
		if rec.Code != c.status {
			t.Fatalf("%s %s = %d, want %d", c.method, c.path, rec.Code, c.status)
		}
		problem(t, rec)
	}
}

// Deny by default: every route the router serves has at least one row in a policy.csv (the
// kernel's policies/policy.csv or its area's), and every row names a route that is served.
// Adding a route without deciding who may call it fails here.
func TestEveryRouteHasAPolicy(t *testing.T) {
	served := map[string]bool{}
	for _, r := range router(t).Routes() {
		served[r.Method+" "+r.Path] = true
	}
	covered := map[string]bool{}
	for _, rule := range policies.Rules() {
		key := rule.Method + " " + rule.Route
		covered[key] = true
		if !served[key] {
			t.Errorf("policy.csv has a row for %s, which is not served", key)
		}
	}
	for key := range served {
		if !covered[key] {
			t.Errorf("%s has no row in any policy.csv: it would be refused to everyone", key)
		}
	}
}

// Outside dev mode the /dev routes do not exist at all.
func TestDevRoutesExistOnlyInDevMode(t *testing.T) {
	r := api.NewRouter(api.Deps{Log: zap.NewNop(), Registry: prometheus.NewRegistry()})
	for _, route := range r.Routes() {
		if strings.HasPrefix(route.Path, "/dev/") {
			t.Errorf("%s %s is served outside dev mode", route.Method, route.Path)
		}
	}
	for _, path := range []string{"/dev/users", "/dev/oidc/jwks.json"} {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s outside dev mode = %d, want 404", path, rec.Code)
		}
	}
}

// A panic in a handler is a 500 problem without the panic's text or a stack trace.
func TestPanicIsAProblemWithoutDetails(t *testing.T) {
	r := api.NewOpsRouter(api.Deps{Log: zap.NewNop(), Registry: prometheus.NewRegistry()})
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

// Every string a request may send has a documented bound: a maxLength, a code list, a pattern
// or a format (uuid, date, date-time). A free-text field added without one fails here. The
// stand-in SMS gateway of dev mode is not the API's: it keeps what the platform itself sends.
func TestEveryRequestStringIsBounded(t *testing.T) {
	doc := loadOpenAPI(t)
	for path, item := range doc.Paths.Map() {
		if path == "/dev/sms" {
			continue
		}
		for method, op := range item.Operations() {
			at := method + " " + path
			for _, p := range append(item.Parameters, op.Parameters...) {
				if p.Value.In == "query" {
					checkBounded(t, at+" ?"+p.Value.Name, p.Value.Schema)
				}
			}
			if op.RequestBody != nil {
				for _, media := range op.RequestBody.Value.Content {
					checkBounded(t, at+" body", media.Schema)
				}
			}
		}
	}
}

func checkBounded(t *testing.T, at string, ref *openapi3.SchemaRef) {
	t.Helper()
	if ref == nil || ref.Value == nil {
		return
	}
	s := ref.Value
	if s.Type.Is("string") && s.MaxLength == nil && len(s.Enum) == 0 && s.Pattern == "" &&
		s.Format != "uuid" && s.Format != "date" && s.Format != "date-time" {
		t.Errorf("%s: a string without maxLength, enum, pattern or format", at)
	}
	for name, p := range s.Properties {
		checkBounded(t, at+"/"+name, p)
	}
	checkBounded(t, at+"[]", s.Items)
	for _, sub := range append(append(s.AllOf, s.OneOf...), s.AnyOf...) {
		checkBounded(t, at, sub)
	}
}

// Text that is not plain (a NUL, bytes that are not UTF-8) is refused in a body at any depth and
// in a query parameter, naming the field, before a handler reads it; and so is a field longer
// than its maximum. (The /dev routes need no register to answer these.)
func TestTextThatIsNotPlainIsRefusedNamingTheField(t *testing.T) {
	for _, c := range []struct {
		method, path, body, field string
	}{
		{"POST", "/dev/token", `{"user": "larare-a1\u0000"}`, "user"},
		{"POST", "/dev/token", "{\"user\": \"larare-a1\xff\"}", "user"},
		{"POST", "/dev/token", `{"user": "` + strings.Repeat("a", 65) + `"}`, "user"},
		{"GET", "/dev/users?from=%00", "", "from"},
		{"GET", "/dev/users?from=%FF", "", "from"},
	} {
		rec := serve(t, c.method, c.path, c.body)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("%s %s %q = %d, want 422: %s", c.method, c.path, c.body, rec.Code, rec.Body)
		}
		if p := problem(t, rec); len(p.Errors) != 1 || p.Errors[0].Field != c.field {
			t.Fatalf("%s %s %q: %+v, want one error naming %s", c.method, c.path, c.body, p.Errors, c.field)
		}
	}
}
