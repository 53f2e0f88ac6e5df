package integration

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/skolflow/skolflow/activities"
	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/app"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/policies"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/workflows"
)

// Every user of the demo register (see internal/demo/register.json), plus one whose duty ended
// yesterday. Targets: pupil elev-1 of 7A (no protection marking), class 7A, school A (Ekbacken),
// the duty of larare-a1.
var everyone = []string{
	"rektor-a", "rektor-b", "admin-a", "admin-huvudman", "forvaltning",
	"larare-a1", "larare-a2", "larare-b1", "larare-gone",
	"vh-1", "vh-2", "vh-3", "vh-4", "vh-5", "annan-1",
}

// allowedOn lists, for every route the router serves, who may call it on those targets. A route
// the router serves that is missing here fails the test: a new route needs a decision here and a
// row in its policy.csv.
var allowedOn = map[string][]string{
	"GET /api/v1/me":                                               everyone,
	"GET /api/v1/me/children":                                      everyone,
	"GET /api/v1/me/groups":                                        everyone,
	"GET /api/v1/schools":                                          everyone,
	"GET /api/v1/schools/:schoolId":                                everyone,
	"GET /api/v1/schools/:schoolId/terms":                          everyone,
	"GET /api/v1/schools/:schoolId/groups":                         {"rektor-a", "admin-a", "admin-huvudman", "forvaltning", "larare-a1", "larare-a2"},
	"POST /api/v1/schools/:schoolId/duties":                        {"admin-a", "admin-huvudman"},
	"DELETE /api/v1/duties/:dutyId":                                {"admin-a", "admin-huvudman"},
	"GET /api/v1/groups/:groupId":                                  {"rektor-a", "admin-a", "admin-huvudman", "forvaltning", "larare-a1"},
	"PUT /api/v1/groups/:groupId/members/:personId":                {"admin-a", "admin-huvudman"},
	"DELETE /api/v1/groups/:groupId/members/:personId":             {"admin-a", "admin-huvudman"},
	"GET /api/v1/persons/:personId":                                {"vh-1", "vh-2", "larare-a1", "larare-a2", "rektor-a", "admin-a", "admin-huvudman", "forvaltning"},
	"PUT /api/v1/persons/:personId/responsibles/:responsibleId":    {"admin-a", "admin-huvudman"},
	"DELETE /api/v1/persons/:personId/responsibles/:responsibleId": {"admin-a", "admin-huvudman"},
	"POST /api/v1/register/import":                                 {"admin-huvudman"},
	"POST /api/v1/persons/:personId/absences":                      {"larare-a1", "larare-a2", "rektor-a"},
	"GET /api/v1/persons/:personId/absence-days/:day":              {"vh-1", "vh-2", "larare-a1", "larare-a2", "rektor-a"},
	"GET /api/v1/persons/:personId/absence-days":                   {"vh-1", "vh-2", "larare-a1", "larare-a2", "rektor-a"},
	"GET /api/v1/persons/:personId/absence-reports":                {"vh-1", "vh-2", "larare-a1", "larare-a2", "rektor-a"},
	// A decision about elev-1 assigned to the principal's role at school A.
	"GET /api/v1/tasks":                   everyone,
	"POST /api/v1/tasks/:taskId/complete": {"rektor-a"},
	"POST /api/v1/tasks/:taskId/reassign": {"rektor-a"},
	"GET /api/v1/processes/:processId":    {"vh-1", "vh-2", "larare-a1", "larare-a2", "rektor-a"},
	// Each person's own notifications; a notification to vh-1.
	"GET /api/v1/notifications":                       everyone,
	"POST /api/v1/notifications/:notificationId/read": {"vh-1"},
	"GET /api/v1/me/contact":                          everyone,
	"PUT /api/v1/me/contact":                          everyone,
	// A lesson of larare-a1 for 7A at school A.
	"POST /api/v1/schools/:schoolId/lessons":                 {"admin-a", "admin-huvudman"},
	"GET /api/v1/me/lessons":                                 everyone,
	"GET /api/v1/lessons/:lessonId":                          {"larare-a1", "rektor-a"},
	"PUT /api/v1/lessons/:lessonId/attendance":               {"larare-a1"},
	"GET /api/v1/lessons/:lessonId/attendance":               {"larare-a1", "rektor-a"},
	"GET /api/v1/persons/:personId/attendance":               {"vh-1", "vh-2", "larare-a1", "larare-a2", "rektor-a"},
	"GET /api/v1/persons/:personId/lessons":                  {"vh-1", "vh-2", "larare-a1", "larare-a2", "rektor-a"},
	"POST /api/v1/persons/:personId/absence-reports":         {"vh-1", "vh-2"},
	"POST /api/v1/persons/:personId/absence-days/:day/reply": {"vh-1", "vh-2"},
	"POST /api/v1/persons/:personId/leave-applications":      {"vh-1", "vh-2"},
	"GET /api/v1/persons/:personId/leave-applications":       {"vh-1", "vh-2", "larare-a1", "rektor-a"},
	"PUT /api/v1/schools/:schoolId/leave-delegation":         {"rektor-a"},
	"GET /api/v1/schools/:schoolId/leave-delegation":         {"rektor-a", "larare-a1", "larare-a2"},
	"GET /api/v1/schools/:schoolId/absence-investigations":   {"rektor-a", "forvaltning"},
	"GET /api/v1/schools/:schoolId/absence-overview":         {"rektor-a"},
	"GET /api/v1/schools/:schoolId/staff":                    {"rektor-a", "admin-a", "admin-huvudman"},
	// Matematik 7 (larare-a2), and a published grade larare-a2 set in it for elev-1 at school A.
	"POST /api/v1/activities/:activityId/risks": {"larare-a2"},
	"POST /api/v1/grades/:gradeId/corrections":  {"larare-a2", "rektor-a"},
	// School A's grading period of HT2026 (the same), Matematik 7's grades in it (larare-a2
	// teaches it; no one holds a co-signing task), and the catalogue of its group.
	"POST /api/v1/schools/:schoolId/grading-periods":                 {"rektor-a"},
	"GET /api/v1/schools/:schoolId/grading-periods":                  {"rektor-a", "larare-a1", "larare-a2"},
	"GET /api/v1/grading-periods/:periodId":                          {"rektor-a", "larare-a1", "larare-a2"},
	"GET /api/v1/activities/:activityId/grades":                      {"larare-a2", "rektor-a"},
	"PUT /api/v1/activities/:activityId/grades":                      {"larare-a2"},
	"POST /api/v1/activities/:activityId/grades/cosign":              {},
	"GET /api/v1/grading-periods/:periodId/catalogues/:group":        {"rektor-a", "forvaltning"},
	"POST /api/v1/grading-periods/:periodId/catalogues/:group/sign":  {"rektor-a"},
	"GET /api/v1/grading-periods/:periodId/catalogues/:group/verify": {"rektor-a", "forvaltning"},
	"GET /api/v1/persons/:personId/grades":                           {"vh-1", "vh-2", "larare-a1", "larare-a2", "rektor-a"},
	"GET /api/v1/groups/:groupId/grades":                             {"larare-a1", "rektor-a"},
	// An investigation of elev-1 that larare-a1 drafted and signed (version 1).
	"POST /api/v1/persons/:personId/documents":                  {"larare-a1", "larare-a2", "rektor-a"},
	"GET /api/v1/persons/:personId/documents":                   {"vh-1", "vh-2", "larare-a1", "larare-a2", "rektor-a"},
	"GET /api/v1/documents/:documentId":                         {"vh-1", "vh-2", "larare-a1", "rektor-a"},
	"GET /api/v1/documents/:documentId/verify":                  {"vh-1", "vh-2", "larare-a1", "rektor-a"},
	"GET /api/v1/documents/:documentId/export":                  {"vh-1", "vh-2", "larare-a1", "rektor-a"},
	"POST /api/v1/documents/:documentId/staff":                  {"rektor-a"},
	"DELETE /api/v1/documents/:documentId/staff/:member":        {"rektor-a"},
	"POST /api/v1/documents/:documentId/versions":               {"larare-a1", "rektor-a"},
	"PUT /api/v1/documents/:documentId/versions/:version":       {"larare-a1", "rektor-a"},
	"POST /api/v1/documents/:documentId/versions/:version/sign": {"larare-a1", "rektor-a"},
	// A report by larare-a1 at school A about elev-1.
	"POST /api/v1/schools/:schoolId/incidents": {"rektor-a", "admin-a", "admin-huvudman", "larare-a1", "larare-a2"},
	"GET /api/v1/schools/:schoolId/incidents":  {"rektor-a", "forvaltning"},
	"GET /api/v1/incidents/:incidentId":        {"larare-a1", "rektor-a", "forvaltning"},
	"GET /api/v1/incidents/:incidentId/export": {"larare-a1", "rektor-a", "forvaltning"},
	// A support case for elev-1 that larare-a1 signalled.
	"POST /api/v1/persons/:personId/support-cases": {"larare-a1", "larare-a2", "rektor-a"},
	"GET /api/v1/support-cases/:caseId":            {"vh-1", "vh-2", "larare-a1", "rektor-a"},
	"GET /api/v1/support-cases/:caseId/export":     {"vh-1", "vh-2", "larare-a1", "rektor-a"},
	"POST /api/v1/support-cases/:caseId/decision":  {"rektor-a"},
	"POST /api/v1/support-cases/:caseId/appeals":   {"rektor-a"},
	// Rounds and seats are the organiser's officers' (school A's under their organiser); Maja's
	// application is her guardians'.
	"GET /api/v1/enrollment-rounds":                                              everyone,
	"POST /api/v1/schools/:schoolId/enrollment-rounds":                           {"forvaltning"},
	"GET /api/v1/schools/:schoolId/enrollment-rounds":                            {"forvaltning"},
	"GET /api/v1/schools/:schoolId/enrollment-rounds/:round":                     {"forvaltning"},
	"GET /api/v1/schools/:schoolId/enrollment-rounds/:round/applications/:child": {"forvaltning"},
	"GET /api/v1/schools/:schoolId/preschool-guarantees":                         {"admin-a", "admin-huvudman", "forvaltning"},
	"GET /api/v1/schools/:schoolId/capacities":                                   {"rektor-a", "forvaltning"},
	"PUT /api/v1/schools/:schoolId/capacities":                                   {"forvaltning"},
	"POST /api/v1/persons/:personId/applications":                                {"vh-1", "vh-2"},
	"GET /api/v1/persons/:personId/applications":                                 {"vh-1", "vh-2"},
	"GET /api/v1/persons/:personId/applications/:round":                          {"vh-1", "vh-2"},
	"PUT /api/v1/persons/:personId/applications/:round":                          {"vh-1", "vh-2"},
	"POST /api/v1/persons/:personId/applications/:round/appeals":                 {"vh-1", "vh-2"},
}

// The real policy files and the real register decide every route for every role.
func TestEveryRouteForEveryRole(t *testing.T) {
	s := newStack(t)
	addFormerTeacher(t, s)
	process, task := addDecision(t, s)
	period := gradingPeriod(t, s, demo.OrgID("a"), "HT2026", s.id("rektor-a"), true)
	params := map[string]string{
		"personId": s.id("elev-1"), "groupId": demo.GroupID("7a"), "schoolId": demo.OrgID("a"),
		"dutyId": demo.DutyID("larare-a1"), "responsibleId": s.id("vh-1"), "day": "2026-11-30",
		"taskId": task, "processId": process, "notificationId": addNotification(t, s, process, "vh-1"),
		"lessonId": addLesson(t, s), "activityId": demo.ActivityID("ma7"),
		"periodId": period, "group": demo.GroupID("ma7"),
		"gradeId":    finalGrade(t, s, period, demo.ActivityID("ma7"), s.id("elev-1"), s.id("larare-a2"), "C", true),
		"documentId": signedDocument(t, s), "version": "1", "incidentId": addIncident(t, s),
		"caseId": signalSupport(t, s).ID, "member": s.id("larare-a1"), "round": uuid.NewString(),
		"child": s.id("elev-1"),
	}
	for _, route := range servedRoutes(t) {
		method, path, _ := strings.Cut(route, " ")
		if policies.Public(method, path) {
			continue // no sign-in, no decision: the operations and dev routes
		}
		if strings.HasPrefix(path, api.StandardPrefix+"/") {
			continue // machine clients' only: TestEveryStandardRouteForEveryClient
		}
		allowed, ok := allowedOn[route]
		if !ok {
			t.Errorf("%s is served but has no row in this table", route)
			continue
		}
		for _, user := range everyone {
			want := contains(allowed, user)
			t.Run(fmt.Sprintf("%s/%s", route, user), func(t *testing.T) {
				if got := decide(t, s, user, method, path, params).Allowed; got != want {
					t.Errorf("%s as %s: allowed = %v, want %v", route, user, got, want)
				}
			})
		}
	}
}

// Every id in a path is decided, not only the first. Each row is a route with two ids and a
// later id other than the main table's, and who may call it with it: a pupil with protected
// identity at school A, a pupil of school B, an adult with protected identity, and ids no one
// has. The first ids are the main table's: class 7A and pupil elev-1 of school A.
func TestEveryLaterIDForEveryRole(t *testing.T) {
	s := newStack(t)
	addFormerTeacher(t, s)
	cases := []struct {
		route, param, key string
		allowed           []string
	}{
		// Need to know a protected pupil stops at their school: not the organiser's administrator.
		{"PUT /api/v1/groups/:groupId/members/:personId", "personId", "elev-3", []string{"admin-a"}},
		{"DELETE /api/v1/groups/:groupId/members/:personId", "personId", "elev-3", []string{"admin-a"}},
		// A pupil of school B: not school A's administrator, who has no business with them.
		{"PUT /api/v1/groups/:groupId/members/:personId", "personId", "elev-5", []string{"admin-huvudman"}},
		{"DELETE /api/v1/groups/:groupId/members/:personId", "personId", "elev-5", []string{"admin-huvudman"}},
		{"PUT /api/v1/groups/:groupId/members/:personId", "personId", "nobody", nil},
		{"DELETE /api/v1/groups/:groupId/members/:personId", "personId", "nobody", nil},
		// An adult without a protection marking, at another school: the relation gives them nothing.
		{"PUT /api/v1/persons/:personId/responsibles/:responsibleId", "responsibleId", "vh-4", []string{"admin-a", "admin-huvudman"}},
		// An adult with protected identity is linked to a child only through the import.
		{"PUT /api/v1/persons/:personId/responsibles/:responsibleId", "responsibleId", "vh-5", nil},
		{"DELETE /api/v1/persons/:personId/responsibles/:responsibleId", "responsibleId", "vh-5", nil},
		{"PUT /api/v1/persons/:personId/responsibles/:responsibleId", "responsibleId", "nobody", nil},
		{"DELETE /api/v1/persons/:personId/responsibles/:responsibleId", "responsibleId", "nobody", nil},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		method, path, _ := strings.Cut(c.route, " ")
		covered[c.route] = true
		params := map[string]string{"personId": s.id("elev-1"), "groupId": demo.GroupID("7a"), "responsibleId": s.id("vh-1")}
		params[c.param] = s.id(c.key)
		for _, user := range everyone {
			want := contains(c.allowed, user)
			t.Run(fmt.Sprintf("%s/%s=%s/%s", c.route, c.param, c.key, user), func(t *testing.T) {
				if got := decide(t, s, user, method, path, params).Allowed; got != want {
					t.Errorf("allowed = %v, want %v", got, want)
				}
			})
		}
	}
	// A route with a later id that is missing above fails: it needs rows here.
	for _, route := range servedRoutes(t) {
		_, path, _ := strings.Cut(route, " ")
		if len(policies.LaterTargets(path)) > 0 && !covered[route] {
			t.Errorf("%s has a later id but no row in this table", route)
		}
	}
}

// The cases the old platform got wrong, by name.
func TestNoOneSeesAChildTheyHaveNoBusinessSeeing(t *testing.T) {
	s := newStack(t)
	addFormerTeacher(t, s)
	schoolB := map[string]string{"schoolId": demo.OrgID("b")}
	cases := []struct {
		name, user, route string
		params            map[string]string
		want              bool
	}{
		{"the principal of school A against school B", "rektor-a", "GET /api/v1/schools/:schoolId/groups", schoolB, false},
		{"the principal of school B in their own school", "rektor-b", "GET /api/v1/schools/:schoolId/groups", schoolB, true},
		{"a guardian against another family's child", "vh-4", "GET /api/v1/persons/:personId", map[string]string{"personId": s.id("elev-1")}, false},
		{"a guardian against their own child", "vh-4", "GET /api/v1/persons/:personId", map[string]string{"personId": s.id("elev-5")}, true},
		{"a teacher against a group they do not teach", "larare-a2", "GET /api/v1/groups/:groupId", map[string]string{"groupId": demo.GroupID("7a")}, false},
		{"a teacher against the group they teach", "larare-a2", "GET /api/v1/groups/:groupId", map[string]string{"groupId": demo.GroupID("ma7")}, true},
		{"a teacher whose duty ended yesterday", "larare-gone", "GET /api/v1/groups/:groupId", map[string]string{"groupId": demo.GroupID("7a")}, false},
		{"a teacher whose duty ended yesterday, on a former pupil", "larare-gone", "GET /api/v1/persons/:personId", map[string]string{"personId": s.id("elev-1")}, false},
		{"a non-custodial responsible adult (Annan ansvarig) on the child's absence", "annan-1", "GET /api/v1/persons/:personId/absence-days/:day", map[string]string{"personId": s.id("elev-1"), "day": "2026-11-30"}, false},
		{"a non-custodial responsible adult (Annan ansvarig) reporting the child absent, a custody decision", "annan-1",
			"POST /api/v1/persons/:personId/absence-reports", map[string]string{"personId": s.id("elev-1")}, false},
		{"a custodial guardian reporting the child absent", "vh-2",
			"POST /api/v1/persons/:personId/absence-reports", map[string]string{"personId": s.id("elev-1")}, true},
		{"a non-custodial responsible adult (Annan ansvarig) on the child", "annan-1", "GET /api/v1/persons/:personId", map[string]string{"personId": s.id("elev-1")}, false},
		{"a school administrator of school A on a pupil of school B", "admin-a", "PUT /api/v1/persons/:personId/responsibles/:responsibleId", map[string]string{"personId": s.id("elev-5")}, false},
		// Protected identity: need to know stops at the pupil's own school and relations.
		{"the protected pupil's own guardian", "vh-3", "GET /api/v1/persons/:personId", map[string]string{"personId": s.id("elev-3")}, true},
		{"the protected pupil's class teacher", "larare-a1", "GET /api/v1/persons/:personId", map[string]string{"personId": s.id("elev-3")}, true},
		{"the protected pupil's principal", "rektor-a", "GET /api/v1/persons/:personId", map[string]string{"personId": s.id("elev-3")}, true},
		{"a teacher at the school who does not teach the protected pupil", "larare-a2", "GET /api/v1/persons/:personId", map[string]string{"personId": s.id("elev-3")}, false},
		{"a huvudman officer on the protected pupil", "forvaltning", "GET /api/v1/persons/:personId", map[string]string{"personId": s.id("elev-3")}, false},
		{"a huvudman administrator on the protected pupil", "admin-huvudman", "GET /api/v1/persons/:personId", map[string]string{"personId": s.id("elev-3")}, false},
		{"another guardian on the protected guardian", "vh-4", "GET /api/v1/persons/:personId", map[string]string{"personId": s.id("vh-5")}, false},
		// Pupil documentation: need to know, and the protected pupil's documents no less.
		{"the protected pupil's class teacher beginning a document about them", "larare-a1", "POST /api/v1/persons/:personId/documents", map[string]string{"personId": s.id("elev-3")}, true},
		{"a teacher at the school who does not teach the protected pupil, on their documents", "larare-a2", "GET /api/v1/persons/:personId/documents", map[string]string{"personId": s.id("elev-3")}, false},
		{"a huvudman officer on the protected pupil's documents", "forvaltning", "GET /api/v1/persons/:personId/documents", map[string]string{"personId": s.id("elev-3")}, false},
		{"a guardian on another family's child's documents", "vh-3", "GET /api/v1/persons/:personId/documents", map[string]string{"personId": s.id("elev-1")}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			method, path, _ := strings.Cut(c.route, " ")
			if got := decide(t, s, c.user, method, path, c.params).Allowed; got != c.want {
				t.Errorf("allowed = %v, want %v", got, c.want)
			}
		})
	}
}

func decide(t *testing.T, s *stack, user, method, route string, params map[string]string) policies.Decision {
	t.Helper()
	req := policies.Request{Person: s.id(user), Method: method, Route: route, Params: params}
	for _, seg := range strings.Split(route, "/") {
		if strings.HasPrefix(seg, ":") {
			req.Target, req.ID = seg[1:], params[seg[1:]]
			break
		}
	}
	d, err := s.authz.Decide(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// addFormerTeacher adds larare-gone: a teacher of 7A at school A whose duty ended yesterday.
func addFormerTeacher(t *testing.T, s *stack) {
	t.Helper()
	yesterday := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	id := s.id("larare-gone")
	doc := &register.Document{
		Persons: []register.Person{{ID: id, GivenName: "Ulf", FamilyName: "Slutat",
			EduPersonPrincipalNames: []string{"larare-gone@" + demo.UserDomain}}},
		Duties: []register.Duty{{ID: demo.DutyID("larare-gone"), Person: id, DutyAt: demo.OrgID("a"),
			DutyRole: "Lärare", StartDate: "2020-08-01", EndDate: &yesterday}},
		GroupAssignments: []register.GroupAssignment{{Group: demo.GroupID("7a"), Duty: demo.DutyID("larare-gone"),
			AssignmentRole: "Lärare", StartDate: "2020-08-01", EndDate: &yesterday}},
	}
	if _, err := register.Import(context.Background(), s.db, doc); err != nil {
		t.Fatal(err)
	}
}

// addDecision records a decision process about elev-1 with its task for the principal's role at
// school A, as the Decision workflow's activities would.
func addDecision(t *testing.T, s *stack) (process, task string) {
	t.Helper()
	ctx := context.Background()
	a := &activities.Activities{DB: s.db}
	process = workflows.DecisionID("leave.decide", s.id("elev-1"), "fixture")
	if err := a.RegisterProcess(ctx, workflows.Process{ID: process, Kind: "leave.decide", SchoolID: demo.OrgID("a"),
		SubjectPerson: s.id("elev-1")}); err != nil {
		t.Fatal(err)
	}
	spec := workflows.TaskSpec{Step: "decide", Kind: "leave.decide", SchoolID: demo.OrgID("a"), SubjectPerson: s.id("elev-1"),
		Assignee: workflows.Assignee{Role: "Rektor", OrgID: demo.OrgID("a")}, HeldBy: []string{"Rektor", "Lärare"}}
	task = workflows.TaskID(process, "fixture-run", "decide")
	if err := a.CreateTask(ctx, workflows.Task{ID: task, ProcessID: process, Spec: spec, Assignee: spec.Assignee}); err != nil {
		t.Fatal(err)
	}
	return process, task
}

// addLesson adds a lesson of larare-a1 for 7A at school A, starting now.
func addLesson(t *testing.T, s *stack) string {
	t.Helper()
	return lessonAt(t, s, time.Now())
}

// addNotification tells a demo user something in a process, as the Notify activity does.
func addNotification(t *testing.T, s *stack, process, user string) string {
	t.Helper()
	a := &activities.Activities{DB: s.db}
	n, err := a.Notify(context.Background(), workflows.NotifyRequest{ProcessID: process, Recipient: s.id(user),
		Purpose: "task.reminder", Params: map[string]string{"kind": "leave.decide", "dueAt": "2026-12-01 16:00"}})
	if err != nil {
		t.Fatal(err)
	}
	return n.ID
}

func servedRoutes(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, r := range api.NewRouter(api.Deps{Registry: prometheus.NewRegistry(), Dev: &api.DevMode{},
		Modules: app.Modules(area.Env{})}).Routes() {
		out = append(out, r.Method+" "+r.Path)
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
