package integration

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/app"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/register"
)

func names(people []register.PersonRef) []string {
	var out []string
	for _, p := range people {
		out = append(out, p.GivenName)
	}
	slices.Sort(out)
	return out
}

// A refused target and a missing one get the same answer: a 404 problem with the same type,
// title and detail, so the answer does not tell whether the pupil exists.
func TestRefusalDoesNotRevealExistence(t *testing.T) {
	s := newStack(t).as("vh-4") // guardian of elev-5 only
	var refused, missing, malformed api.Problem
	r1 := s.do("GET", "/api/v1/persons/"+s.id("elev-1"), nil, &refused)
	r2 := s.do("GET", "/api/v1/persons/"+uuid.NewString(), nil, &missing)
	r3 := s.do("GET", "/api/v1/persons/not-an-id", nil, &malformed)
	r4 := s.do("GET", "/api/v1/persons/"+s.id("elev-5")+"/absence-days/%00", nil, nil) // no date, and no row for the log
	for _, r := range []*http.Response{r1, r2, r3, r4} {
		if r.StatusCode != http.StatusNotFound {
			t.Fatalf("status %d, want 404 for all three", r.StatusCode)
		}
	}
	if refused.Type != missing.Type || refused.Title != missing.Title || refused.Detail != missing.Detail ||
		missing.Detail != malformed.Detail {
		t.Fatalf("refused %+v and missing %+v differ", refused, missing)
	}
	// The refusal is on record, with who asked about whom.
	var allowed bool
	err := s.db.QueryRow(context.Background(), `SELECT allowed FROM access_log
		WHERE actor_id = $1 AND target_kind = 'personId' AND target_id = $2 AND route = '/api/v1/persons/:personId'`,
		s.id("vh-4"), s.id("elev-1")).Scan(&allowed)
	if err != nil || allowed {
		t.Fatalf("access log: allowed=%v err=%v; want one refused row", allowed, err)
	}
}

// Pupils with a protection marking appear in a class list only to those with a need to know.
func TestProtectedPupilsInClassLists(t *testing.T) {
	s := newStack(t)
	group := get[register.GroupView](s.as("larare-a1"), "/api/v1/groups/"+demo.GroupID("7a"))
	if got := names(group.Members); !slices.Equal(got, []string{"Maja", "Olle", "Petra"}) {
		t.Errorf("the class teacher sees %v, want all three pupils of 7A", got)
	}
	for _, above := range []string{"forvaltning", "admin-huvudman"} {
		group := get[register.GroupView](s.as(above), "/api/v1/groups/"+demo.GroupID("7a"))
		if got := names(group.Members); !slices.Equal(got, []string{"Maja"}) {
			t.Errorf("%s, at the huvudman, sees %v: want only the pupil without a protection marking", above, got)
		}
	}
}

// An adult with a protection marking never appears to the child's other guardian; staff with a
// need to know see both.
func TestProtectedGuardianIsHiddenFromTheOtherGuardian(t *testing.T) {
	s := newStack(t)
	child := get[register.PersonView](s.as("vh-4"), "/api/v1/persons/"+s.id("elev-5"))
	for _, r := range child.Responsibles {
		if r.Person.ID == s.id("vh-5") {
			t.Fatalf("the other guardian sees the protected guardian: %+v", child.Responsibles)
		}
	}
	if len(child.Responsibles) != 1 {
		t.Errorf("responsibles = %+v, want only vh-4 themself", child.Responsibles)
	}
	if teacher := get[register.PersonView](s.as("larare-b1"), "/api/v1/persons/"+s.id("elev-5")); len(teacher.Responsibles) != 2 {
		t.Errorf("the class teacher sees %+v, want both guardians", teacher.Responsibles)
	}
	if above := get[register.PersonView](s.as("admin-huvudman"), "/api/v1/persons/"+s.id("elev-5")); len(above.Responsibles) != 1 {
		t.Errorf("an administrator at the huvudman sees %+v, want only the guardian without protection", above.Responsibles)
	}
	// The protection is for vh-5: they themself see both guardians.
	if protected := get[register.PersonView](s.as("vh-5"), "/api/v1/persons/"+s.id("elev-5")); len(protected.Responsibles) != 2 {
		t.Errorf("the protected guardian sees %+v, want both guardians", protected.Responsibles)
	}
}

// A guardian's own children: custody only; a teacher's own groups.
func TestOwnChildrenAndGroups(t *testing.T) {
	s := newStack(t)
	if got := names(get[[]register.PersonRef](s.as("vh-1"), "/api/v1/me/children")); !slices.Equal(got, []string{"Maja", "Nils", "Rut", "Sofia"}) {
		t.Errorf("vh-1's children = %v", got)
	}
	if kids := get[[]register.PersonRef](s.as("annan-1"), "/api/v1/me/children"); len(kids) != 0 {
		t.Errorf("a non-custodial adult's children = %v, want none", kids)
	}
	groups := get[[]register.MyGroup](s.as("larare-a2"), "/api/v1/me/groups")
	if len(groups) != 2 || groups[0].DisplayName != "7B" || !slices.Equal(groups[0].AssignmentRoles, []string{"Mentor"}) ||
		groups[1].DisplayName != "Matematik 7" {
		t.Errorf("larare-a2's groups = %+v", groups)
	}
}

// A school administrator's writes are checked field by field and written whole.
func TestRegisterWritesValidateEveryField(t *testing.T) {
	s := newStack(t).as("admin-a")
	var p api.Problem
	res := s.do("PUT", "/api/v1/persons/"+s.id("elev-1")+"/responsibles/"+s.id("vh-4"),
		map[string]any{"relationType": "Granne", "startDate": "2026-09-01", "endDate": "2026-08-01", "note": "x"}, &p)
	var fields []string
	for _, f := range p.Errors {
		fields = append(fields, f.Field)
	}
	slices.Sort(fields)
	if res.StatusCode != 422 || !slices.Equal(fields, []string{"endDate", "note", "relationType"}) {
		t.Fatalf("%d %v, want 422 naming endDate, note and relationType", res.StatusCode, fields)
	}
	// An id the register does not have is every id's answer: 404, as for an id the caller may
	// not reach (see TestLaterIDsAnswerLikeMissingOnes).
	res = s.do("PUT", "/api/v1/persons/"+s.id("elev-1")+"/responsibles/"+uuid.NewString(),
		map[string]any{"relationType": "Annan ansvarig", "startDate": nil, "endDate": nil}, nil)
	if res.StatusCode != 404 {
		t.Fatalf("an adult who is not in the register: %d, want 404", res.StatusCode)
	}
	if n := s.count(`SELECT count(*) FROM responsibles WHERE person_id = $1`, s.id("elev-1")); n != 3 {
		t.Fatalf("elev-1 has %d responsibles after two refused writes, want the 3 of the demo", n)
	}
}

// The bulk import over HTTP, for the huvudman's administrators: the same document twice changes
// nothing the second time and says so; a school's administrator may not import at all.
func TestImportOverHTTP(t *testing.T) {
	s := newStack(t)
	doc, _ := demo.Register()
	var res register.ImportResult
	if r := s.as("admin-huvudman").do("POST", "/api/v1/register/import", doc, &res); r.StatusCode != 200 || res.Changed {
		t.Fatalf("re-importing the demo register: %d %+v, want 200 and no change", r.StatusCode, res)
	}
	if r := s.as("admin-a").do("POST", "/api/v1/register/import", doc, nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a school's administrator importing: %d, want 403", r.StatusCode)
	}
	doc.Persons[0].CivicNo = ptr("197003129818")
	var p api.Problem
	if r := s.as("admin-huvudman").do("POST", "/api/v1/register/import", doc, &p); r.StatusCode != 422 ||
		len(p.Errors) != 1 || p.Errors[0].Field != "/persons/0/civicNo" || strings.Contains(p.Detail+p.Errors[0].Detail, "197003129818") {
		t.Fatalf("a wrong check digit: %d %+v, want one problem at /persons/0/civicNo without the number", r.StatusCode, p)
	}
}

// Register changes take effect at once on every API instance: a custody relation or duty added
// through one instance is honoured by the very next request to another, and a removed one is
// refused there, without a restart. Custody comes from the population register, so it changes
// through the huvudman's import; duties through a school administrator.
func TestTwoInstancesAgreeOnRegisterChanges(t *testing.T) {
	s := newStack(t)
	metrics, _ := app.NewMetrics()
	metrics.Registry = prometheus.NewRegistry()
	other, _, otherAuthz := newAPI(t, s.db, s.temporal, metrics, zap.NewNop(), s.queue, s.timings)
	// b is a client of the second instance, signing in with its own issuer's tokens.
	b := &stack{t: t, db: s.db, api: other}
	asB := func(user string) *stack {
		b.token = ""
		tok := expect[api.DevToken](b, http.StatusOK, "POST", "/dev/token", api.DevTokenRequest{User: user})
		b.token = tok.AccessToken
		return b
	}
	child := "/api/v1/persons/" + s.id("elev-1")
	custody := func(end *string) {
		t.Helper()
		doc := register.Document{Responsibles: []register.Responsible{{Person: s.id("elev-1"), Responsible: s.id("vh-4"),
			RelationType: register.Custody, StartDate: ptr("2026-01-01"), EndDate: end}}}
		if r := s.as("admin-huvudman").do("POST", "/api/v1/register/import", doc, nil); r.StatusCode != 200 {
			t.Fatalf("importing custody on instance A: %d", r.StatusCode)
		}
	}
	notifiedBefore := otherAuthz.Notified()

	if r := asB("vh-4").do("GET", child, nil, nil); r.StatusCode != 404 {
		t.Fatalf("before: %d, want 404", r.StatusCode)
	}
	custody(nil)
	if r := asB("vh-4").do("GET", child, nil, nil); r.StatusCode != 200 {
		t.Fatalf("instance B right after custody was added: %d, want 200", r.StatusCode)
	}
	custody(ptr(time.Now().AddDate(0, 0, -1).Format(time.DateOnly)))
	if r := asB("vh-4").do("GET", child, nil, nil); r.StatusCode != 404 {
		t.Fatalf("instance B right after custody ended: %d, want 404", r.StatusCode)
	}

	// A duty: larare-b1 of school B becomes a teacher at school A as well, then stops.
	groupsA := "/api/v1/schools/" + demo.OrgID("a") + "/groups"
	if r := asB("larare-b1").do("GET", groupsA, nil, nil); r.StatusCode != 404 {
		t.Fatalf("before the duty: %d, want 404", r.StatusCode)
	}
	var duty struct{ ID string }
	if r := s.as("admin-a").do("POST", "/api/v1/schools/"+demo.OrgID("a")+"/duties",
		map[string]any{"person": s.id("larare-b1"), "dutyRole": "Lärare", "startDate": "2020-01-01"}, &duty); r.StatusCode != 201 {
		t.Fatalf("adding the duty on instance A: %d", r.StatusCode)
	}
	if r := asB("larare-b1").do("GET", groupsA, nil, nil); r.StatusCode != 200 {
		t.Fatalf("instance B right after the duty was added: %d, want 200", r.StatusCode)
	}
	if r := s.as("admin-a").do("DELETE", "/api/v1/duties/"+duty.ID, nil, nil); r.StatusCode != 204 {
		t.Fatalf("ending the duty on instance A: %d", r.StatusCode)
	}
	if r := asB("larare-b1").do("GET", groupsA, nil, nil); r.StatusCode != 404 {
		t.Fatalf("instance B right after the duty ended: %d, want 404", r.StatusCode)
	}
	// Instance B also heard of each change by itself (LISTEN/NOTIFY), not only on request.
	eventually(t, 5*time.Second, "instance B to hear the four changes", func() bool {
		return otherAuthz.Notified()-notifiedBefore >= 4
	})
}

// A school administrator cannot use the register's writes to reach pupils of another school,
// to hand out custody, or to give themselves or others authority.
func TestRegisterWritesCannotWidenAccess(t *testing.T) {
	s := newStack(t).as("admin-a")
	schoolA := "/api/v1/schools/" + demo.OrgID("a")
	cases := []struct {
		name, method, path string
		body               any
		status             int
		field              string
	}{
		{"custody is not given here", "PUT", "/api/v1/persons/" + s.id("elev-1") + "/responsibles/" + s.id("vh-4"),
			map[string]any{"relationType": "Vårdnadshavare", "startDate": nil, "endDate": nil}, 422, "relationType"},
		{"custody is not ended here", "DELETE", "/api/v1/persons/" + s.id("elev-1") + "/responsibles/" + s.id("vh-1"), nil, 409, ""},
		{"an existing custody is not downgraded", "PUT", "/api/v1/persons/" + s.id("elev-1") + "/responsibles/" + s.id("vh-1"),
			map[string]any{"relationType": "Annan ansvarig", "startDate": nil, "endDate": nil}, 409, ""},
		{"oneself as a child's responsible adult", "PUT", "/api/v1/persons/" + s.id("elev-1") + "/responsibles/" + s.id("admin-a"),
			map[string]any{"relationType": "Annan ansvarig", "startDate": nil, "endDate": nil}, 422, "responsibleId"},
		{"a pupil of school B into a group of school A", "PUT", "/api/v1/groups/" + demo.GroupID("7a") + "/members/" + s.id("elev-5"),
			map[string]any{"startDate": "2026-08-17", "endDate": nil}, 404, ""},
		{"a duty for a pupil of school B", "POST", schoolA + "/duties",
			map[string]any{"person": s.id("elev-5"), "dutyRole": "Annan personal", "startDate": "2026-01-01"}, 422, "person"},
		{"a duty for a person with protected identity", "POST", schoolA + "/duties",
			map[string]any{"person": s.id("vh-3"), "dutyRole": "Annan personal", "startDate": "2026-01-01"}, 422, "person"},
		{"a principal's duty", "POST", schoolA + "/duties",
			map[string]any{"person": s.id("larare-b1"), "dutyRole": "Rektor", "startDate": "2026-01-01"}, 422, "dutyRole"},
		{"a duty for oneself", "POST", schoolA + "/duties",
			map[string]any{"person": s.id("admin-a"), "dutyRole": "Lärare", "startDate": "2026-01-01"}, 422, "person"},
		{"ending the principal's duty", "DELETE", "/api/v1/duties/" + demo.DutyID("rektor-a"), nil, 409, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var p api.Problem
			r := s.do(c.method, c.path, c.body, &p)
			if r.StatusCode != c.status {
				t.Fatalf("%d %+v, want %d", r.StatusCode, p, c.status)
			}
			if c.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != c.field) {
				t.Fatalf("problem %+v does not name %s", p, c.field)
			}
		})
	}
	// Nothing of it was written: elev-5 is in no group of school A, and no duty was added.
	if n := s.count(`SELECT count(*) FROM duties WHERE duty_at = $1`, demo.OrgID("a")); n != 5 {
		t.Errorf("school A has %d duties, want the demo's 5", n)
	}
	// Ending a teacher's duty keeps the record: it ends yesterday.
	if r := s.do("DELETE", "/api/v1/duties/"+demo.DutyID("larare-a2"), nil, nil); r.StatusCode != 204 {
		t.Fatalf("ending a teacher's duty: %d", r.StatusCode)
	}
	var ended bool
	if err := s.db.QueryRow(context.Background(), `SELECT end_date < current_date FROM duties WHERE id = $1`,
		demo.DutyID("larare-a2")).Scan(&ended); err != nil {
		t.Fatalf("the ended duty: %v", err)
	}
	if !ended {
		t.Error("the ended duty is gone or still in force")
	}
}

func ptr[T any](v T) *T { return &v }

// Requests at once share the access log's writes, and each still finds its own row, with its
// request id, actor, target and decision, before its answer.
func TestEveryDecisionOfConcurrentRequestsIsLogged(t *testing.T) {
	s := newStack(t)
	users := []string{"vh-1", "vh-2", "vh-4", "larare-a1", "rektor-a", "rektor-b", "annan-1", "larare-b1"}
	answers := make([]*http.Response, 40)
	var requests []func()
	for i := range answers {
		header := s.bearer(users[i%len(users)])
		requests = append(requests, func() { answers[i] = s.doRaw("GET", "/api/v1/persons/"+s.id("elev-1"), nil, header, nil) })
	}
	atOnce(requests...)
	want := map[string]bool{} // request id -> allowed
	for _, r := range answers {
		if r == nil {
			t.Fatal("a request got no answer")
		}
		want[r.Header.Get("X-Request-Id")] = r.StatusCode == http.StatusOK
	}
	rows, err := s.db.Query(context.Background(), `SELECT request_id, allowed FROM access_log WHERE target_id = $1`, s.id("elev-1"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for rows.Next() {
		var id string
		var allowed bool
		if err := rows.Scan(&id, &allowed); err != nil {
			t.Fatal(err)
		}
		got[id] = allowed
	}
	if len(want) != 40 || !maps.Equal(got, want) {
		t.Fatalf("the access log holds %d decisions %v, want the 40 requests' %v", len(got), got, want)
	}
}
