package integration

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/auth"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/ss12000"
)

// Every request and answer of these tests is held to the standard's official OpenAPI document
// (checkContract, with internal/ss12000spec): lists over several pages, each filter, expand,
// sortkey, lookups and errors.

const std = api.StandardPrefix

// asClient signs in as a demo machine client the way a system would: client credentials at the
// issuer's token endpoint, over HTTP.
func (s *stack) asClient(client string) *stack {
	s.t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	req, err := http.NewRequest("POST", s.api.URL+"/dev/oidc/token", strings.NewReader(form.Encode()))
	if err != nil {
		s.t.Fatal(err)
	}
	req.SetBasicAuth(client, demo.ClientSecret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("the token of client %s: %d", client, res.StatusCode)
	}
	var tok auth.TokenResponse
	if err := json.NewDecoder(res.Body).Decode(&tok); err != nil {
		s.t.Fatal(err)
	}
	s.token = tok.AccessToken
	return s
}

type ssObject = map[string]any

type ssPage struct {
	Data      []ssObject `json:"data"`
	PageToken string     `json:"pageToken"`
}

// pages reads a whole list, limit objects a page, and answers the objects and the pages read.
// The next page is asked with the token alone (and the limit), as the standard says.
func pages(s *stack, path string, limit int) ([]ssObject, int) {
	s.t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	p := expect[ssPage](s, http.StatusOK, "GET", path+sep+"limit="+strconv.Itoa(limit), nil)
	all, n := p.Data, 1
	base, query, _ := strings.Cut(path, "?")
	// The document requires a calendar's span and an aggregate's dates on every page.
	again, err := url.ParseQuery(query)
	if err != nil {
		s.t.Fatal(err)
	}
	for name := range again {
		if !slices.Contains([]string{"startTime.onOrAfter", "startTime.onOrBefore", "startDate", "endDate"}, name) {
			again.Del(name)
		}
	}
	for p.PageToken != "" {
		if n > 1000 {
			s.t.Fatalf("%s: more than 1000 pages", path)
		}
		again.Set("limit", strconv.Itoa(limit))
		again.Set("pageToken", p.PageToken)
		p = expect[ssPage](s, http.StatusOK, "GET", base+"?"+again.Encode(), nil)
		if len(p.Data) > limit {
			s.t.Fatalf("%s: a page of %d, limit %d", path, len(p.Data), limit)
		}
		all, n = append(all, p.Data...), n+1
	}
	return all, n
}

func idsOf(objects []ssObject) []string {
	ids := make([]string, len(objects))
	for i, o := range objects {
		ids[i], _ = o["id"].(string)
	}
	return ids
}

// The whole register, to a client granted every resource at the huvudman: each resource's list
// read a page at a time gives each object once, the same as the register holds (without the
// persons with a protection marking, which the client is not granted), by id and by lookup too.
func TestSS12000ServesTheRegisterAsTheStandardSays(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	// A second placement, so that every list is read over several pages.
	child := uuid.NewString()
	if _, err := register.Import(ctx, s.db, &register.Document{
		Persons:    []register.Person{{ID: child, GivenName: "Liv", FamilyName: "Förskolesson"}},
		Placements: []register.Placement{{ID: uuid.NewString(), Child: child, PlacedAt: demo.OrgID("fs"), SchoolType: "FS", StartDate: "2026-08-15"}},
	}); err != nil {
		t.Fatal(err)
	}
	start := ssFixtures(t, s)
	c := s.asClient("larplattform")
	span := "?startTime.onOrAfter=" + url.QueryEscape(start.Add(-time.Minute).Format(time.RFC3339)) +
		"&startTime.onOrBefore=" + url.QueryEscape(start.Add(2*time.Hour).Format(time.RFC3339))
	want := map[string]string{
		"calendarEvents" + span: `SELECT id::text FROM lessons`,
		"attendances":           `SELECT t.id::text FROM attendance t JOIN persons p ON p.id = t.person_id WHERE p.security_marking = 'Ingen'`,
		"absences":              `SELECT a.id::text FROM absence_reports a JOIN persons p ON p.id = a.person_id WHERE p.security_marking = 'Ingen'`,
		"grades": `SELECT g.id::text FROM grades g JOIN grading_periods gp ON gp.id = g.period_id JOIN persons p ON p.id = g.student_id
			WHERE g.signed_at IS NOT NULL AND gp.published_at <= now() AND p.security_marking = 'Ingen'`,
		"organisations": `SELECT id::text FROM organisations`,
		"persons":       `SELECT id::text FROM persons WHERE security_marking = 'Ingen'`,
		"placements":    `SELECT pl.id::text FROM placements pl JOIN persons p ON p.id = pl.child_id WHERE p.security_marking = 'Ingen'`,
		"duties":        `SELECT d.id::text FROM duties d JOIN persons p ON p.id = d.person_id WHERE p.security_marking = 'Ingen'`,
		"groups":        `SELECT id::text FROM groups`,
		"syllabuses":    `SELECT id::text FROM syllabuses`,
		"activities":    `SELECT id::text FROM activities a WHERE EXISTS (SELECT 1 FROM activity_groups g WHERE g.activity_id = a.id)`,
	}
	for resource, query := range want {
		rows, err := s.db.Query(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		var held []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			held = append(held, id)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		served, n := pages(c, std+"/"+resource, 1)
		resource, _, _ = strings.Cut(resource, "?")
		ids := idsOf(served)
		if slices.Sort(ids); !slices.Equal(ids, slices.Sorted(slices.Values(held))) || n < 2 {
			t.Fatalf("%s: served %v in %d pages, want %v", resource, ids, n, held)
		}
		for _, o := range served {
			meta, _ := o["meta"].(map[string]any)
			if meta["created"] == nil || meta["modified"] == nil {
				t.Fatalf("%s: %v has no meta", resource, o)
			}
		}
		one := expect[ssObject](c, http.StatusOK, "GET", std+"/"+resource+"/"+ids[0], nil)
		if one["id"] != ids[0] {
			t.Fatalf("%s/%s answered %v", resource, ids[0], one)
		}
		if resource == "calendarEvents" {
			continue // no lookup (calendar_events.go), no sortkey read here
		}
		looked := expect[[]ssObject](c, http.StatusOK, "POST", std+"/"+resource+"/lookup", map[string][]string{"ids": ids[:2]})
		if got := idsOf(looked); !slices.Equal(slices.Sorted(slices.Values(got)), ids[:2]) {
			t.Fatalf("%s: lookup of %v answered %v", resource, ids[:2], got)
		}
		// Every sortkey the standard defines for the list, each read over pages: the order holds
		// across them.
		for _, key := range specEnum(t, resource, "sortkey") {
			sorted, _ := pages(c, std+"/"+resource+"?sortkey="+key, 2)
			if got := idsOf(sorted); len(got) != len(ids) || !ordered(resource, sorted, key) {
				t.Fatalf("%s by %s: %v", resource, key, got)
			}
		}
	}
}

// specEnum answers the values the official document allows for a parameter (sortkey, expand)
// of a resource's list.
func specEnum(t *testing.T, resource, param string) []string {
	t.Helper()
	v, err := standardContract()
	if err != nil {
		t.Fatal(err)
	}
	item := v.Doc.Paths.Value("/" + resource)
	if item == nil || item.Get == nil {
		t.Fatalf("the standard has no list of %s", resource)
	}
	var values []string
	for _, p := range item.Get.Parameters {
		if p.Value == nil || p.Value.Name != param || p.Value.Schema == nil {
			continue
		}
		schema := p.Value.Schema.Value
		if schema.Items != nil {
			schema = schema.Items.Value
		}
		for _, e := range schema.Enum {
			values = append(values, e.(string))
		}
	}
	return values
}

// ordered reports whether objects are in the order of key (the database's collation is C:
// byte order, as Go compares strings). A value the object lacks sorts as the list sorts it: no
// end date after every date, no course or civic number before every text.
func ordered(resource string, objects []ssObject, key string) bool {
	text := func(o ssObject, name string) string {
		v, _ := o[name].(string)
		return v
	}
	instant := func(v any) string {
		t, _ := time.Parse(time.RFC3339Nano, v.(string))
		return t.UTC().Format("2006-01-02T15:04:05.000000000")
	}
	field, desc := strings.CutSuffix(key, "Desc")
	if !desc {
		field = strings.TrimSuffix(key, "Asc")
	}
	value := func(o ssObject) string {
		switch field {
		case "Modified":
			m, _ := o["meta"].(map[string]any)
			return instant(m["modified"])
		case "DisplayName":
			if resource == "persons" {
				return text(o, "givenName") + " " + text(o, "familyName")
			}
			return text(o, "displayName")
		case "GivenName", "FamilyName", "SubjectName", "SubjectCode", "CourseName", "CourseCode", "StartDate", "registeredDate":
			return text(o, strings.ToLower(field[:1])+field[1:])
		case "SubjectDesignation": // the register designates a subject by its code
			return text(o, "subjectCode")
		case "EndDate":
			if v, ok := o["endDate"].(string); ok {
				return v
			}
			return "9999-12-31"
		case "CivicNo":
			if c, ok := o["civicNo"].(map[string]any); ok {
				return c["value"].(string)
			}
			return ""
		case "StartTime":
			return instant(o["startTime"])
		}
		panic("the test cannot order by " + key)
	}
	for i := 1; i < len(objects); i++ {
		a, b := value(objects[i-1]), value(objects[i])
		if (!desc && a > b) || (desc && a < b) {
			return false
		}
	}
	return true
}

// clientAllowedOn says which demo clients each SS 12000 route is granted to: the learning
// platform everything, the meal service the organisations, persons, groups and placements of its
// schools and nothing else.
var clientAllowedOn = func() map[string][]string {
	out := map[string][]string{}
	for _, r := range ss12000.Resources() {
		allowed := []string{"larplattform"}
		if slices.Contains([]string{"organisations", "persons", "groups", "placements"}, r) {
			allowed = append(allowed, "maltidsservice")
		}
		out[r] = allowed
	}
	return out
}()

// The real policy files and the clients' real grants decide every SS 12000 route for every demo
// client, and no person signs in to them.
func TestEveryStandardRouteForEveryClient(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	n := 0
	for _, route := range servedRoutes(t) {
		method, path, _ := strings.Cut(route, " ")
		rest, ok := strings.CutPrefix(path, std+"/")
		if !ok {
			continue
		}
		n++
		resource, _, _ := strings.Cut(rest, "/")
		for _, name := range []string{"larplattform", "maltidsservice"} {
			client, found, err := s.authz.SignInClient(ctx, name)
			if err != nil || !found {
				t.Fatalf("client %s: found %v, %v", name, found, err)
			}
			scope, err := s.authz.ClientScope(client, method, path)
			if err != nil {
				t.Fatal(err)
			}
			if want := slices.Contains(clientAllowedOn[resource], name); scope.Allowed() != want {
				t.Errorf("%s for %s: allowed %v, want %v", route, name, scope.Allowed(), want)
			}
		}
		// A person's token names no client.
		if r := s.as("rektor-a").do(method, strings.Replace(path, ":id", demo.OrgID("a"), 1), map[string]any{}, nil); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s as a person: %d, want 401", route, r.StatusCode)
		}
	}
	if n < len(ss12000.Resources()) {
		t.Fatalf("%d SS 12000 routes served", n)
	}
}

// The meal service of school A and the preschool is served what lies there, and nothing of the
// rest of the city: not another school's pupil, not a resource it is not granted. A pupil with
// protected identity is served to no client that is not granted that explicitly, not even as a
// member of a group; to one that is, the pupil is served without an address. Every read is in
// the access log with the client as the actor.
func TestSS12000ClientsAreServedTheirGrantOnly(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	ssFixtures(t, s)
	// A published final grade of Maja's in Svenska 7A, set by larare-a1.
	var period string
	if err := s.db.QueryRow(ctx, `SELECT g.period_id::text FROM grades g JOIN grading_periods p ON p.id = g.period_id
		WHERE p.published_at <= now() LIMIT 1`).Scan(&period); err != nil {
		t.Fatal(err)
	}
	swedishGrade := finalGrade(t, s, period, demo.ActivityID("sv7a"), s.id("elev-2"), s.id("larare-a1"), "A", true)
	meal := s.asClient("maltidsservice")
	orgs, _ := pages(meal, std+"/organisations", 10)
	if got := slices.Sorted(slices.Values(idsOf(orgs))); !slices.Equal(got, slices.Sorted(slices.Values([]string{demo.OrgID("a"), demo.OrgID("fs")}))) {
		t.Fatalf("the meal service's organisations: %v", got)
	}
	people, _ := pages(meal, std+"/persons", 5)
	served := idsOf(people)
	for _, key := range []string{"elev-1", "elev-2", "rektor-a", "larare-a1", "vh-1", "barn-1"} {
		if !slices.Contains(served, s.id(key)) {
			t.Errorf("%s is not served to the meal service", key)
		}
	}
	for _, key := range []string{"elev-3", "vh-3", "elev-4", "elev-5", "larare-b1", "rektor-c"} {
		if slices.Contains(served, s.id(key)) {
			t.Errorf("%s is served to the meal service", key)
		}
		if r := meal.do("GET", std+"/persons/"+s.id(key), nil, nil); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s by id: %d, want 404", key, r.StatusCode)
		}
	}
	looked := expect[[]ssObject](meal, http.StatusOK, "POST", std+"/persons/lookup", map[string][]string{"ids": {s.id("elev-1"), s.id("elev-3"), s.id("elev-5")}})
	if got := idsOf(looked); !slices.Equal(got, []string{s.id("elev-1")}) {
		t.Fatalf("the meal service's lookup: %v", got)
	}
	// By civic number: school A's principal, not school B's.
	byCivicNo := expect[[]ssObject](meal, http.StatusOK, "POST", std+"/persons/lookup", map[string][]string{"civicNos": {"197003129819", "196805219828"}})
	if got := idsOf(byCivicNo); !slices.Equal(got, []string{s.id("rektor-a")}) {
		t.Fatalf("the meal service's lookup by civic number: %v", got)
	}
	class := expect[ssObject](meal, http.StatusOK, "GET", std+"/groups/"+demo.GroupID("7a"), nil)
	members, _ := json.Marshal(class["groupMemberships"])
	if strings.Contains(string(members), s.id("elev-3")) || !strings.Contains(string(members), s.id("elev-1")) {
		t.Fatalf("class 7A's members for the meal service: %s", members)
	}
	// An expand embeds only what the client is granted: the meal service has persons, not duties.
	if e := expect[api.StandardError](meal, http.StatusBadRequest, "GET", std+"/persons?expand=duties", nil); !strings.Contains(e.Message, "expand:") {
		t.Fatalf("expanding what is not granted: %+v", e)
	}
	for _, path := range []string{"/duties", "/activities", "/syllabuses", "/deletedEntities"} {
		if r := meal.do("GET", std+path, nil, nil); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s for the meal service: %d, want 403", path, r.StatusCode)
		}
	}

	// A pupil's guardian with protected identity is not named among the pupil's responsibles.
	quentin := expect[ssObject](s.asClient("larplattform"), http.StatusOK, "GET", std+"/persons/"+s.id("elev-5"), nil)
	if adults, _ := json.Marshal(quentin["responsibles"]); strings.Contains(string(adults), s.id("vh-5")) || !strings.Contains(string(adults), s.id("vh-4")) {
		t.Fatalf("elev-5's responsibles: %s", adults)
	}

	// A teacher with protected identity is named nowhere: not among an activity's teachers, not
	// as the one who took the register, and her duty is not found.
	if _, err := s.db.Exec(ctx, `UPDATE persons SET security_marking = 'Skyddad folkbokföring' WHERE id = $1`, s.id("larare-a1")); err != nil {
		t.Fatal(err)
	}
	platformView := s.asClient("larplattform")
	swedish := expect[ssObject](platformView, http.StatusOK, "GET", std+"/activities/"+demo.ActivityID("sv7a")+"?expandReferenceNames=true&expand=teachers", nil)
	if body, _ := json.Marshal(swedish); strings.Contains(string(body), demo.DutyID("larare-a1")) || strings.Contains(string(body), "Lärarsson") {
		t.Fatalf("an activity names its protected teacher: %s", body)
	}
	if r := platformView.do("GET", std+"/duties/"+demo.DutyID("larare-a1"), nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("the protected teacher's duty: %d", r.StatusCode)
	}
	// Nor by a grade she set: it is not served at all, as a list, by id or by her id.
	graded, _ := pages(platformView, std+"/grades", 10)
	if body, _ := json.Marshal(graded); len(graded) == 0 || strings.Contains(string(body), s.id("larare-a1")) || slices.Contains(idsOf(graded), swedishGrade) {
		t.Fatalf("the grades name the protected teacher: %s", body)
	}
	if r := platformView.do("GET", std+"/grades/"+swedishGrade, nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("a grade set by the protected teacher, by id: %d", r.StatusCode)
	}
	if byHer, _ := pages(platformView, std+"/grades?gradingTeacher="+s.id("larare-a1"), 10); len(byHer) != 0 {
		t.Fatalf("grades by the protected teacher's id: %v", idsOf(byHer))
	}
	// A placement's owner with protected identity is named neither among its owners nor by
	// the placements they own.
	// Rut's guardian, and vh-2 made her other custodial guardian.
	child, other := s.id("barn-1"), s.id("vh-2")
	var owner string
	if err := s.db.QueryRow(ctx, `SELECT responsible_id::text FROM responsibles WHERE person_id = $1`, child).Scan(&owner); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO responsibles (person_id, responsible_id, relation_type, start_date)
		VALUES ($1, $2, 'Vårdnadshavare', '2020-01-01')`, child, other); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(ctx, `UPDATE persons SET security_marking = 'Skyddad folkbokföring' WHERE id = $1`, owner); err != nil {
		t.Fatal(err)
	}
	platformView = s.asClient("larplattform")
	placed, _ := pages(platformView, std+"/placements?child="+child+"&expand=owners", 10)
	if body, _ := json.Marshal(placed); len(placed) != 1 || strings.Contains(string(body), owner) || strings.Count(string(body), other) != 2 {
		t.Fatalf("a placement names its protected owner, or its other owner other than once among owners and once embedded: %s", body)
	}
	if byOwner, _ := pages(platformView, std+"/placements?owner="+owner, 10); len(byOwner) != 0 {
		t.Fatalf("the placements of a protected owner, by their id: %v", idsOf(byOwner))
	}
	if owned := expect[ssObject](platformView, http.StatusOK, "GET", std+"/persons/"+other+"?expand=ownedPlacements", nil); len(owned["_embedded"].(map[string]any)["ownedPlacements"].([]any)) != 1 {
		t.Fatalf("the other owner's placements: %v", owned)
	}
	if r := platformView.do("GET", std+"/persons/"+owner+"?expand=ownedPlacements", nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("the protected owner: %d", r.StatusCode)
	}

	// Granted protected persons, the platform is served the protected pupil, without address.
	var addresses int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM person_addresses WHERE person_id = $1`, s.id("elev-3")).Scan(&addresses); err != nil {
		t.Fatal(err)
	}
	if addresses == 0 {
		t.Fatal("the protected pupil has no address in the register: the test would prove nothing")
	}
	platform := demo.Clients()[1]
	platform.Protected = true
	if err := ss12000.RegisterClient(ctx, s.db, platform); err != nil {
		t.Fatal(err)
	}
	olle := expect[ssObject](s.asClient("larplattform"), http.StatusOK, "GET", std+"/persons/"+s.id("elev-3"), nil)
	if olle["securityMarking"] != "Skyddad folkbokföring" || olle["addresses"] != nil {
		t.Fatalf("the protected pupil to a client granted them: %v", olle)
	}

	var reads int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM access_log WHERE actor_kind = 'client' AND actor_id = $1
		AND route = $2 AND target_id = $3`, demo.ClientID("maltidsservice"), std+"/persons/:id", s.id("elev-5")).Scan(&reads); err != nil {
		t.Fatal(err)
	}
	if reads != 1 {
		t.Fatalf("the meal service's read of elev-5 is logged %d times, want once", reads)
	}
}

// Bad input is answered 400 in the standard's Error shape, naming what is wrong.
func TestSS12000RefusesBadInput(t *testing.T) {
	s := newStack(t)
	c := s.asClient("larplattform")
	first := expect[ssPage](c, http.StatusOK, "GET", std+"/persons?limit=1", nil)
	ids := make([]string, 1001)
	for i := range ids {
		ids[i] = uuid.NewString()
	}
	for _, bad := range []struct {
		method, path string
		body         any
		names        string
	}{
		{"GET", "/persons?colour=red", nil, "colour"},
		{"GET", "/persons?pageToken=not-a-token", nil, "pageToken"},
		{"GET", "/persons?pageToken=" + forged(`{"f":{"colour":["red"]},"k":[],"i":"`+uuid.NewString()+`"}`), nil, "pageToken"},
		{"GET", "/persons?pageToken=" + forged(`{"f":{"civicNo":[]},"k":[],"i":"`+uuid.NewString()+`"}`), nil, "pageToken"},
		{"GET", "/persons?pageToken=" + forged(`{"s":"ModifiedDesc","k":["yesterday"],"i":"`+uuid.NewString()+`"}`), nil, "pageToken"},
		{"GET", "/aggregatedAttendance?pageToken=" + forged(`{"k":["`+uuid.NewString()+`"],"i":"`+uuid.NewString()+`"}`), nil, "startDate"},
		{"GET", "/persons?pageToken=" + url.QueryEscape(first.PageToken) + "&civicNo=201001011234", nil, "pageToken"},
		{"GET", "/persons?limit=0", nil, "limit"},
		{"GET", "/persons?limit=10001", nil, "limit"},
		{"GET", "/persons?limit=many", nil, "limit"},
		{"GET", "/persons?sortkey=ShoeSizeAsc", nil, "sortkey"},
		{"GET", "/persons?expand=shoes", nil, "expand"},
		{"GET", "/organisations?type=Stadsdel", nil, "type"},
		{"GET", "/persons?meta.modified.after=yesterday", nil, "meta.modified.after"},
		{"GET", "/persons/not-a-uuid", nil, "id"},
		{"POST", "/persons/lookup", map[string]any{"ids": ids}, "body"},
		{"POST", "/persons/lookup", map[string]any{"shoeSizes": []string{"42"}}, "shoeSizes"},
		{"POST", "/persons/lookup", map[string]any{"ids": []string{"x"}}, "ids"},
	} {
		e := expect[api.StandardError](c, http.StatusBadRequest, bad.method, std+bad.path, bad.body)
		if e.Code == "" || !strings.Contains(e.Message, bad.names+":") {
			t.Errorf("%s %s: %+v, want the message to name %s", bad.method, bad.path, e, bad.names)
		}
	}
	if r := c.do("GET", std+"/persons/"+uuid.NewString(), nil, nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown person: %d, want 404", r.StatusCode)
	}
	if r := s.as("").do("GET", std+"/persons", nil, nil); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", r.StatusCode)
	}
}

// Each filter of each list finds what the register holds that meets it, no more and no less.
func TestSS12000FiltersFindWhatTheyName(t *testing.T) {
	s := newStack(t)
	start := ssFixtures(t, s)
	c := s.asClient("larplattform")
	a, huvudman := demo.OrgID("a"), demo.OrgID("huvudman")
	at := func(d time.Duration) string { return url.QueryEscape(start.Add(d).Format(time.RFC3339)) }
	span := "startTime.onOrAfter=" + at(-time.Minute) + "&startTime.onOrBefore=" + at(2*time.Hour) + "&"
	const lessonsSeen = `SELECT id::text FROM lessons WHERE start_time >= $1`
	const shown = ` AND p.security_marking = 'Ingen'`
	const visible = `SELECT id::text FROM persons WHERE security_marking = 'Ingen'`
	for _, f := range []struct {
		resource, query string
		sql             string
		args            []any
	}{
		{"organisations", "parent=" + huvudman, `SELECT id::text FROM organisations WHERE parent_organisation_id = $1`, []any{huvudman}},
		{"organisations", "schoolUnitCode=90000001&schoolUnitCode=90000002", `SELECT id::text FROM organisations WHERE school_unit_code IN ('90000001', '90000002')`, nil},
		{"organisations", "organisationCode=DEMO", `SELECT id::text FROM organisations WHERE organisation_code = 'DEMO'`, nil},
		{"organisations", "municipalityCode=0180", `SELECT id::text FROM organisations WHERE municipality_code = '0180'`, nil},
		{"organisations", "type=Huvudman", `SELECT id::text FROM organisations WHERE organisation_type = 'Huvudman'`, nil},
		{"organisations", "schoolTypes=FS&schoolTypes=GY", `SELECT id::text FROM organisations WHERE school_types && '{FS,GY}'`, nil},
		{"organisations", "endDate.onOrAfter=2027-01-01", `SELECT id::text FROM organisations WHERE end_date IS NULL OR end_date >= '2027-01-01'`, nil},
		{"persons", "nameContains=LIN&nameContains=ma", visible + ` AND (given_name ILIKE '%lin%' OR family_name ILIKE '%lin%') AND (given_name ILIKE '%ma%' OR family_name ILIKE '%ma%')`, nil},
		{"persons", "eduPersonPrincipalName=vh-1@skolflow.test", `SELECT $1::text`, []any{s.id("vh-1")}},
		{"persons", "identifier.value=x", `SELECT id::text FROM persons WHERE false`, nil},
		{"persons", "relationship.entity.type=enrolment&relationship.organisation=" + a, visible + ` AND id IN (SELECT person_id FROM enrolments WHERE enroled_at = $1)`, []any{a}},
		{"persons", "relationship.entity.type=duty", visible + ` AND id IN (SELECT person_id FROM duties)`, nil},
		{"persons", "relationship.entity.type=responsibleFor.placement", visible + ` AND id IN (SELECT r.responsible_id FROM responsibles r JOIN placements p ON p.child_id = r.person_id)`, nil},
		{"persons", "relationship.entity.type=groupMembership&relationship.startDate.onOrAfter=2026-01-01", visible + ` AND id IN (SELECT person_id FROM group_memberships WHERE start_date >= '2026-01-01')`, nil},
		{"persons", "relationship.endDate.onOrBefore=2000-01-01&relationship.entity.type=duty", visible + ` AND id IN (SELECT person_id FROM duties WHERE end_date IS NULL OR end_date <= '2000-01-01')`, nil},
		{"placements", "organisation=" + demo.OrgID("fs"), `SELECT id::text FROM placements WHERE placed_at = $1`, []any{demo.OrgID("fs")}},
		{"placements", "child=" + s.id("barn-1"), `SELECT id::text FROM placements WHERE child_id = $1`, []any{s.id("barn-1")}},
		// A placement's owners are the child's custodial guardians in force.
		{"placements", "owner=" + s.id("vh-1"), `SELECT pl.id::text FROM placements pl JOIN responsibles r ON r.person_id = pl.child_id
			WHERE r.responsible_id = $1 AND r.relation_type = 'Vårdnadshavare' AND (r.end_date IS NULL OR r.end_date >= current_date)`, []any{s.id("vh-1")}},
		{"persons", "relationship.entity.type=placement.owner", visible + ` AND id IN (SELECT r.responsible_id FROM responsibles r
			JOIN placements p ON p.child_id = r.person_id WHERE r.relation_type = 'Vårdnadshavare' AND (r.end_date IS NULL OR r.end_date >= current_date))`, nil},
		{"duties", "organisation=" + huvudman, `SELECT d.id::text FROM duties d JOIN persons p ON p.id = d.person_id WHERE p.security_marking = 'Ingen'`, nil},
		{"duties", "organisation=" + a + "&dutyRole=Lärare", `SELECT id::text FROM duties WHERE duty_at = $1 AND duty_role = 'Lärare'`, []any{a}},
		{"duties", "person=" + s.id("rektor-a"), `SELECT id::text FROM duties WHERE person_id = $1`, []any{s.id("rektor-a")}},
		{"duties", "startDate.onOrAfter=2021-01-01", `SELECT id::text FROM duties WHERE start_date >= '2021-01-01'`, nil},
		{"groups", "groupType=Klass&schoolTypes=GR", `SELECT id::text FROM groups WHERE group_type = 'Klass' AND school_type = 'GR'`, nil},
		{"groups", "organisation=" + a + "&organisation=" + demo.OrgID("b"), `SELECT id::text FROM groups WHERE organisation_id IN ($1, $2)`, []any{a, demo.OrgID("b")}},
		{"groups", "endDate.onOrAfter=2027-01-01", `SELECT id::text FROM groups WHERE end_date IS NULL OR end_date >= '2027-01-01'`, nil},
		{"activities", "member=" + s.id("elev-1"), `SELECT ag.activity_id::text FROM activity_groups ag JOIN group_memberships m ON m.group_id = ag.group_id WHERE m.person_id = $1`, []any{s.id("elev-1")}},
		{"activities", "teacher=" + demo.DutyID("larare-c1"), `SELECT activity_id::text FROM activity_teachers WHERE duty_id = $1`, []any{demo.DutyID("larare-c1")}},
		{"activities", "organisation=" + a, `SELECT id::text FROM activities WHERE organisation_id = $1`, []any{a}},
		{"activities", "group=" + demo.GroupID("7a"), `SELECT activity_id::text FROM activity_groups WHERE group_id = $1`, []any{demo.GroupID("7a")}},
		{"calendarEvents", span + "activity=" + demo.ActivityID("sv7a"), lessonsSeen, []any{start.Add(-time.Minute)}},
		{"calendarEvents", span + "student=" + s.id("elev-1"), lessonsSeen, []any{start.Add(-time.Minute)}},
		{"calendarEvents", span + "student=" + s.id("elev-5"), lessonsSeen + ` AND false`, []any{start.Add(-time.Minute)}},
		{"calendarEvents", span + "teacher=" + demo.DutyID("larare-a1") + "&organisation=" + a + "&group=" + demo.GroupID("7a"), lessonsSeen, []any{start.Add(-time.Minute)}},
		{"calendarEvents", span + "endTime.onOrBefore=" + at(time.Hour), lessonsSeen + ` AND end_time <= $2`, []any{start.Add(-time.Minute), start.Add(time.Hour)}},
		{"calendarEvents", "startTime.onOrAfter=" + at(30*time.Minute) + "&startTime.onOrBefore=" + at(2*time.Hour) + "&endTime.onOrAfter=" + at(0), lessonsSeen, []any{start.Add(30 * time.Minute)}},
		{"attendances", "student=" + s.id("elev-1"), `SELECT id::text FROM attendance WHERE person_id = $1`, []any{s.id("elev-1")}},
		{"attendances", "organisation=" + a, `SELECT t.id::text FROM attendance t JOIN persons p ON p.id = t.person_id WHERE true` + shown, nil},
		{"attendances", "calendarEvent=" + queryIDs(t, s, `SELECT id::text FROM lessons ORDER BY start_time LIMIT 1`)[0],
			`SELECT t.id::text FROM attendance t JOIN persons p ON p.id = t.person_id WHERE t.lesson_id = (SELECT id FROM lessons ORDER BY start_time LIMIT 1)` + shown, nil},
		{"absences", "organisation=" + a, `SELECT a.id::text FROM absence_reports a JOIN persons p ON p.id = a.person_id JOIN enrolments e ON e.person_id = p.id WHERE e.enroled_at = $1` + shown, []any{a}},
		{"absences", "student=" + s.id("elev-2") + "&type=Anmäld%20frånvaro", `SELECT id::text FROM absence_reports WHERE person_id = $1`, []any{s.id("elev-2")}},
		{"absences", "registeredBy=" + s.id("vh-1") + "&startTime.onOrAfter=" + at(0), `SELECT a.id::text FROM absence_reports a JOIN persons p ON p.id = a.person_id WHERE true` + shown, nil},
		{"absences", "type=Beviljad%20ledighet", `SELECT id::text FROM absence_reports WHERE false`, nil},
		{"absences", "endTime.onOrBefore=" + at(0), `SELECT id::text FROM absence_reports WHERE false`, nil},
		{"grades", "organisation=" + a + "&gradingTeacher=" + s.id("larare-a2"), `SELECT g.id::text FROM grades g JOIN persons p ON p.id = g.student_id WHERE g.signed_at IS NOT NULL AND g.organisation_id = $1` + shown, []any{a}},
		{"grades", "student=" + s.id("elev-2") + "&registeredBy=" + s.id("larare-a2"), `SELECT id::text FROM grades WHERE student_id = $1`, []any{s.id("elev-2")}},
		{"grades", "registeredDate.onOrAfter=2026-01-01&registeredDate.onOrBefore=2099-01-01", `SELECT g.id::text FROM grades g JOIN persons p ON p.id = g.student_id
			JOIN grading_periods gp ON gp.id = g.period_id WHERE g.signed_at IS NOT NULL AND gp.published_at <= now()` + shown, nil},
	} {
		want := queryIDs(t, s, f.sql, f.args...)
		got, _ := pages(c, std+"/"+f.resource+"?"+f.query, 2)
		if ids := slices.Sorted(slices.Values(idsOf(got))); !slices.Equal(ids, want) {
			t.Errorf("%s?%s: %v, want %v", f.resource, f.query, ids, want)
		}
		if len(want) == 0 && !strings.Contains(f.sql, "false") {
			t.Errorf("%s?%s finds nothing in the demo register: the case proves nothing", f.resource, f.query)
		}
	}
}

// queryIDs answers the ids a query finds, sorted.
func queryIDs(t *testing.T, s *stack, sql string, args ...any) []string {
	t.Helper()
	rows, err := s.db.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	return ids
}

// meta.created and meta.modified are the database's: an import that changes nothing modifies
// nothing; a change of a row, or of what the standard serves inside an object (a group's
// members), modifies that object alone; deletions are told by deletedEntities, a page at a time.
func TestSS12000KeepsMetaAndDeletions(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	c := s.asClient("larplattform")
	var t0 time.Time
	if err := s.db.QueryRow(ctx, `SELECT now()`).Scan(&t0); err != nil {
		t.Fatal(err)
	}
	since := url.QueryEscape(t0.Format(time.RFC3339Nano))
	if _, err := demo.LoadRegister(ctx, s.db); err != nil {
		t.Fatal(err)
	}
	// Every resource with meta (a calendar is read for a span: TestSS12000ServesTheRegisterAsTheStandardSays).
	for _, r := range []string{"organisations", "persons", "placements", "duties", "groups", "syllabuses", "activities",
		"attendances", "absences", "grades"} {
		if got, _ := pages(c, std+"/"+r+"?meta.modified.after="+since, 10); len(got) != 0 {
			t.Fatalf("an unchanged import modified %s: %v", r, idsOf(got))
		}
	}
	if _, err := s.db.Exec(ctx, `UPDATE persons SET family_name = 'Lindqvist' WHERE id = $1`, s.id("elev-2")); err != nil {
		t.Fatal(err)
	}
	// A person's principal names are served inside the person: a new one modifies the person.
	if _, err := s.db.Exec(ctx, `INSERT INTO person_principal_names (principal_name, person_id) VALUES ('ny@skolflow.test', $1)`, s.id("vh-4")); err != nil {
		t.Fatal(err)
	}
	newcomer, activity := uuid.NewString(), uuid.NewString()
	if _, err := register.Import(ctx, s.db, &register.Document{
		Persons:          []register.Person{{ID: newcomer, GivenName: "Ny", FamilyName: "Elevsson"}},
		GroupMemberships: []register.GroupMembership{{Group: demo.GroupID("7b"), Person: newcomer, StartDate: "2026-11-30"}},
		Activities: []register.Activity{{ID: activity, DisplayName: "Slöjd 7B", Organisation: demo.OrgID("a"),
			Groups: []string{demo.GroupID("7b")}, Teachers: []string{}, StartDate: "2026-08-17"}},
	}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct {
		path string
		ids  []string
	}{
		{"/persons?meta.modified.after=" + since, []string{s.id("elev-2"), s.id("vh-4"), newcomer}},
		{"/persons?meta.created.after=" + since, []string{newcomer}},
		{"/groups?meta.modified.after=" + since, []string{demo.GroupID("7b")}},
		{"/organisations?meta.modified.after=" + since, nil},
		{"/persons?meta.modified.before=" + since + "&nameContains=Lindqvist", nil},
	} {
		got, _ := pages(c, std+want.path, 1)
		if ids := slices.Sorted(slices.Values(idsOf(got))); !slices.Equal(ids, slices.Sorted(slices.Values(want.ids))) {
			t.Errorf("%s: %v, want %v", want.path, ids, want.ids)
		}
	}
	latest := expect[ssPage](c, http.StatusOK, "GET", std+"/persons?sortkey=ModifiedDesc&limit=1", nil)
	if len(latest.Data) != 1 || (latest.Data[0]["id"] != newcomer && latest.Data[0]["id"] != s.id("elev-2")) {
		t.Fatalf("the persons modified last: %v", idsOf(latest.Data))
	}

	placement := queryIDs(t, s, `SELECT id::text FROM placements WHERE child_id = $1`, s.id("barn-1"))
	if _, err := s.db.Exec(ctx, `DELETE FROM placements WHERE child_id = $1`, s.id("barn-1")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM activities WHERE id = $1`, activity); err != nil {
		t.Fatal(err)
	}
	type deleted struct {
		Data      map[string][]string `json:"data"`
		PageToken string              `json:"pageToken"`
	}
	first := expect[deleted](c, http.StatusOK, "GET", std+"/deletedEntities?limit=1&after="+since, nil)
	second := expect[deleted](c, http.StatusOK, "GET", std+"/deletedEntities?limit=1&pageToken="+url.QueryEscape(first.PageToken), nil)
	all := map[string][]string{}
	for _, page := range []deleted{first, second} {
		for member, ids := range page.Data {
			all[member] = append(all[member], ids...)
		}
	}
	// The standard's name for the activities' list is activitites.
	if !slices.Equal(all["placements"], placement) || !slices.Equal(all["activitites"], []string{activity}) || len(all) != 2 {
		t.Fatalf("deletions: %v then %v", first, second)
	}
	if last := expect[deleted](c, http.StatusOK, "GET", std+"/deletedEntities?limit=5&after="+since+"&entities=Person", nil); len(last.Data) != 0 {
		t.Fatalf("deleted persons: %v", last.Data)
	}
}

// expand embeds what the standard says, and expandReferenceNames names what a reference points to.
func TestSS12000ExpandsWhatTheStandardSays(t *testing.T) {
	s := newStack(t)
	start := ssFixtures(t, s)
	c := s.asClient("larplattform")
	embedded := func(o ssObject, member string) []any {
		e, _ := o["_embedded"].(map[string]any)
		switch v := e[member].(type) {
		case []any:
			return v
		case map[string]any:
			return []any{v}
		}
		return nil
	}
	guardian := expect[ssObject](c, http.StatusOK, "GET", std+"/persons/"+s.id("vh-1")+"?expand=responsibleFor&expand=duties", nil)
	if n := len(embedded(guardian, "responsibleFor")); n != 4 || embedded(guardian, "duties") != nil {
		t.Fatalf("vh-1 expanded: %v", guardian)
	}
	pupil := expect[ssObject](c, http.StatusOK, "GET", std+"/persons/"+s.id("elev-1")+"?expand=groupMemberships&expand=placements&expand=ownedPlacements", nil)
	if n := len(embedded(pupil, "groupMemberships")); n != 2 {
		t.Fatalf("elev-1 expanded: %v", pupil)
	}
	principal := expect[ssObject](c, http.StatusOK, "GET", std+"/persons/"+s.id("rektor-a")+"?expand=duties", nil)
	if d := embedded(principal, "duties"); len(d) != 1 || d[0].(map[string]any)["dutyRole"] != "Rektor" {
		t.Fatalf("rektor-a expanded: %v", principal)
	}
	placed := expect[ssPage](c, http.StatusOK, "GET", std+"/placements?expand=child&expandReferenceNames=true", nil)
	if len(placed.Data) != 1 || embedded(placed.Data[0], "child")[0].(map[string]any)["givenName"] != "Rut" ||
		placed.Data[0]["placedAt"].(map[string]any)["displayName"] != "Lönnens förskola" {
		t.Fatalf("placements expanded: %v", placed.Data)
	}
	duty := expect[ssObject](c, http.StatusOK, "GET", std+"/duties/"+demo.DutyID("larare-a1")+"?expand=person", nil)
	if embedded(duty, "person")[0].(map[string]any)["id"] != s.id("larare-a1") {
		t.Fatalf("a duty expanded: %v", duty)
	}
	class := expect[ssObject](c, http.StatusOK, "GET", std+"/groups/"+demo.GroupID("7a")+"?expand=assignmentRoles", nil)
	if roles := embedded(class, "assignmentRoles"); len(roles) != 1 || roles[0].(map[string]any)["assignmentRoleType"] != "Mentor" {
		t.Fatalf("7A expanded: %v", class)
	}
	day := start.In(register.SchoolDay).Format(time.DateOnly)
	span := "startTime.onOrAfter=" + url.QueryEscape(start.Add(-time.Minute).Format(time.RFC3339)) +
		"&startTime.onOrBefore=" + url.QueryEscape(start.Add(2*time.Hour).Format(time.RFC3339))
	lessons := expect[ssPage](c, http.StatusOK, "GET", std+"/calendarEvents?"+span+"&expand=activity&expand=attendance&sortkey=StartTimeAsc", nil)
	if len(lessons.Data) != 2 || len(embedded(lessons.Data[0], "attendance")) != 1 || embedded(lessons.Data[0], "activity")[0].(map[string]any)["id"] != demo.ActivityID("sv7a") {
		t.Fatalf("lessons expanded: %v", lessons.Data)
	}
	// Maja attended both lessons of Svenska 7A, 40 minutes each.
	sums := expect[ssPage](c, http.StatusOK, "GET", std+"/aggregatedAttendance?startDate="+day+"&endDate="+day+"&expand=student", nil)
	if len(sums.Data) != 1 || sums.Data[0]["attendanceSum"] != 80.0 || sums.Data[0]["offeredSum"] != 80.0 ||
		sums.Data[0]["invalidAbsenceSum"] != 0.0 || embedded(sums.Data[0], "student")[0].(map[string]any)["id"] != s.id("elev-1") {
		t.Fatalf("the day's attendance summed: %v", sums.Data)
	}
	maths := expect[ssObject](c, http.StatusOK, "GET", std+"/activities/"+demo.ActivityID("ma7")+"?expand=groups&expand=teachers&expand=syllabus", nil)
	if len(embedded(maths, "groups")) != 1 || len(embedded(maths, "teachers")) != 1 || len(embedded(maths, "syllabus")) != 1 {
		t.Fatalf("Matematik 7 expanded: %v", maths)
	}

	// Every expand the standard defines, each on its own over a list's pages: some object of the
	// list embeds what it names, and the answer meets the document.
	arrived := time.Now().Add(-time.Minute).Truncate(time.Second).Format(time.RFC3339)
	expect[ssObject](c, http.StatusOK, "POST", std+"/attendanceEvents", map[string]any{"time": arrived, "eventType": "In",
		"person": map[string]string{"id": s.id("elev-1")}, "group": map[string]string{"id": demo.GroupID("7a")},
		"registeredBy": map[string]string{"id": s.id("larare-a1")}})
	required := map[string]string{"calendarEvents": span, "aggregatedAttendance": "startDate=" + day + "&endDate=" + day}
	for _, resource := range ss12000.Resources() {
		if strings.Contains(resource, ".") || resource == "subscriptions" {
			continue // a grant to report, or to subscribe: no list
		}
		for _, e := range specEnum(t, resource, "expand") {
			query := "expand=" + e
			if r := required[resource]; r != "" {
				query = r + "&" + query
			}
			list, _ := pages(c, std+"/"+resource+"?"+query, 2)
			if !slices.ContainsFunc(list, func(o ssObject) bool { return len(embedded(o, e)) > 0 }) {
				t.Errorf("%s?expand=%s embeds it in none of %d", resource, e, len(list))
			}
		}
	}
}

// ssFixtures adds what the attendance and grade resources serve, and answers when the first of
// two lessons of 7A began.
func ssFixtures(t *testing.T, s *stack) time.Time {
	t.Helper()
	ctx := context.Background()
	// Two lessons of 7A with the register taken, two reports of absence, and grades: two final
	// and published, one not yet published, one not final.
	start := time.Now().Add(-3 * time.Hour).Truncate(time.Minute)
	for i := range 2 {
		lesson := lessonAt(t, s, start.Add(time.Duration(i)*time.Hour))
		r := s.as("larare-a1").do("PUT", "/api/v1/lessons/"+lesson+"/attendance", attendance.RegistrationInput{Registrations: []attendance.Registration{
			{Person: s.id("elev-1"), Status: "present"}, {Person: s.id("elev-4"), Status: "late", MinutesLate: 10},
			{Person: s.id("elev-3"), Status: "present"}}}, nil)
		if r.StatusCode != http.StatusOK {
			b, _ := io.ReadAll(r.Body)
			t.Fatalf("taking the register: %d %s", r.StatusCode, b)
		}
	}
	for _, key := range []string{"elev-1", "elev-2", "elev-3"} {
		if _, err := s.db.Exec(ctx, `INSERT INTO absence_reports (id, person_id, reported_by, start_time, end_time)
			VALUES (gen_random_uuid(), $1, $2, now() + interval '1 day', now() + interval '2 days')`, s.id(key), s.id("vh-1")); err != nil {
			t.Fatal(err)
		}
	}
	published := gradingPeriod(t, s, demo.OrgID("a"), "HT2026", s.id("rektor-a"), true)
	for _, key := range []string{"elev-1", "elev-2", "elev-3"} {
		finalGrade(t, s, published, demo.ActivityID("ma7"), s.id(key), s.id("larare-a2"), "C", true)
	}
	finalGrade(t, s, published, demo.ActivityID("sv7a"), s.id("elev-1"), s.id("larare-a1"), "B", false)
	finalGrade(t, s, gradingPeriod(t, s, demo.OrgID("b"), "HT2026", s.id("rektor-b"), false),
		demo.ActivityID("en7b"), s.id("elev-5"), s.id("larare-b1"), "A", true)

	return start
}

// A system that takes the register reports a pupil absent from a lesson: it is registered as a
// teacher's registration is, and the guardians get the same-day notice. A system reports a
// guardian's report of absence: it is filed as the guardian's own, and the other guardian is
// told. A lesson or pupil outside the client's grant is not found; a client without the grant
// to report is refused; what is wrong is named.
func TestSS12000ReportsAttendanceAndAbsence(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	lesson := lessonAt(t, s, time.Now().Add(-10*time.Minute).Truncate(time.Minute))
	day := time.Now().In(register.SchoolDay).Format(time.DateOnly)
	report := func(pupil string, minutes int) map[string]any {
		return map[string]any{"calendarEvent": map[string]string{"id": lesson}, "student": map[string]string{"id": pupil},
			"isReported": true, "attendanceMinutes": minutes}
	}
	// A door reader of school B only may report nothing of school A.
	reader := ss12000.Client{ID: uuid.NewString(), ClientID: "dorrlasaren-b", DisplayName: "Dörrläsaren",
		Grants: []ss12000.Grant{{Resource: "attendances.report", Organisation: demo.OrgID("b")}}}
	if err := ss12000.RegisterClient(ctx, s.db, reader); err != nil {
		t.Fatal(err)
	}
	s.issuer.Clients["dorrlasaren-b"] = demo.ClientSecret
	if e := expect[api.StandardError](s.asClient("dorrlasaren-b"), http.StatusNotFound, "POST", std+"/attendances", report(s.id("elev-1"), 0)); !strings.Contains(e.Message, "calendarEvent.id:") {
		t.Fatalf("a lesson outside the grant: %+v", e)
	}
	if r := s.asClient("maltidsservice").do("POST", std+"/attendances", report(s.id("elev-1"), 0), nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a client without the grant to report: %d", r.StatusCode)
	}
	c := s.asClient("larplattform")
	for _, bad := range []struct {
		body   map[string]any
		status int
		field  string
	}{
		{report(s.id("elev-3"), 0), http.StatusNotFound, "student.id"}, // protected: outside the grant
		{report(s.id("elev-4"), 0), http.StatusNotFound, "student.id"}, // Sekretessmarkering likewise
		{report(s.id("elev-5"), 0), http.StatusBadRequest, "student.id"},
		{report(s.id("elev-1"), 41), http.StatusBadRequest, "attendanceMinutes"},
		{report("nobody", 0), http.StatusBadRequest, "student.id"},
		{map[string]any{"calendarEvent": map[string]string{"id": lesson}, "student": map[string]string{"id": s.id("elev-1")}}, http.StatusBadRequest, "isReported"},
	} {
		if e := expect[api.StandardError](c, bad.status, "POST", std+"/attendances", bad.body); !strings.Contains(e.Message, bad.field+":") {
			t.Errorf("%v: %+v, want %s named", bad.body, e, bad.field)
		}
	}
	var written int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM attendance WHERE lesson_id = $1`, lesson).Scan(&written); err != nil {
		t.Fatal(err)
	}
	if written != 0 {
		t.Fatalf("refused reports wrote %d rows", written)
	}
	got := expect[ssObject](c, http.StatusOK, "POST", std+"/attendances", report(s.id("elev-1"), 0))
	if got["invalidAbsenceMinutes"] != 40.0 || got["attendanceMinutes"] != 0.0 || got["student"].(map[string]any)["id"] != s.id("elev-1") {
		t.Fatalf("the reported absence: %v", got)
	}
	told(t, s, "vh-1", absence.AbsenceDayID(s.id("elev-1"), day), "absence.notice")
	// The same day, corrected: she came 15 minutes late.
	late := expect[ssObject](s.asClient("larplattform"), http.StatusOK, "POST", std+"/attendances", report(s.id("elev-1"), 25))
	if late["invalidAbsenceMinutes"] != 15.0 || late["id"] != got["id"] {
		t.Fatalf("a pupil 15 minutes late: %v, first %v", late, got)
	}

	// A guardian's report, through a system.
	tomorrow := time.Now().In(register.SchoolDay).AddDate(0, 0, 1)
	from := time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day(), 8, 0, 0, 0, register.SchoolDay)
	absent := func(by, kind string, start time.Time) map[string]any {
		return map[string]any{"startTime": start.Format(time.RFC3339), "endTime": start.Add(8 * time.Hour).Format(time.RFC3339),
			"type": kind, "student": map[string]string{"id": s.id("elev-1")}, "registeredBy": map[string]string{"id": by}}
	}
	c = s.asClient("larplattform")
	for _, bad := range []struct {
		body  map[string]any
		field string
	}{
		{absent(s.id("vh-4"), "Anmäld frånvaro", from), "registeredBy.id"},
		{absent(s.id("vh-1"), "Beviljad ledighet", from), "type"},
		{absent(s.id("vh-1"), "Anmäld frånvaro", from.AddDate(0, 0, -3)), "startTime"},
	} {
		if e := expect[api.StandardError](c, http.StatusBadRequest, "POST", std+"/absences", bad.body); !strings.Contains(e.Message, bad.field+":") {
			t.Errorf("%v: %+v, want %s named", bad.body, e, bad.field)
		}
	}
	first := expect[ssObject](c, http.StatusOK, "POST", std+"/absences", absent(s.id("vh-1"), "Anmäld frånvaro", from))
	again := expect[ssObject](c, http.StatusOK, "POST", std+"/absences", absent(s.id("vh-1"), "Anmäld frånvaro", from))
	if first["id"] != again["id"] || first["type"] != "Anmäld frånvaro" {
		t.Fatalf("the report, twice: %v and %v", first, again)
	}
	var reports int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM absence_reports WHERE person_id = $1`, s.id("elev-1")).Scan(&reports); err != nil {
		t.Fatal(err)
	}
	if reports != 1 {
		t.Fatalf("%d reports on record, want 1", reports)
	}
	told(t, s, "vh-2", absence.AbsenceReportID(first["id"].(string)), "absence.reported")
}

// A check-in reports a pupil's arrival at a group: recorded once however often it is reported,
// served as the standard says, and deleted when reported in error, which deletedEntities tells.
func TestSS12000AttendanceEvents(t *testing.T) {
	s := newStack(t)
	c := s.asClient("larplattform")
	arrived := time.Now().Add(-time.Minute).Truncate(time.Second)
	event := func(pupil, group string, at time.Time, kind string) map[string]any {
		return map[string]any{"time": at.Format(time.RFC3339), "eventType": kind,
			"person": map[string]string{"id": pupil}, "group": map[string]string{"id": group}}
	}
	for _, bad := range []struct {
		body   map[string]any
		status int
		field  string
	}{
		{event(s.id("elev-1"), demo.GroupID("7a"), arrived, "Kanske"), http.StatusBadRequest, "eventType"},
		{event(s.id("elev-1"), demo.GroupID("7a"), arrived.Add(time.Hour), "In"), http.StatusBadRequest, "time"},
		{event(s.id("elev-1"), demo.GroupID("7b"), arrived, "In"), http.StatusBadRequest, "person.id"},
		{event(s.id("elev-3"), demo.GroupID("7a"), arrived, "In"), http.StatusNotFound, "person.id"},
	} {
		if e := expect[api.StandardError](c, bad.status, "POST", std+"/attendanceEvents", bad.body); !strings.Contains(e.Message, bad.field+":") {
			t.Errorf("%v: %+v, want %s named", bad.body, e, bad.field)
		}
	}
	first := expect[ssObject](c, http.StatusOK, "POST", std+"/attendanceEvents", event(s.id("elev-1"), demo.GroupID("7a"), arrived, "In"))
	again := expect[ssObject](c, http.StatusOK, "POST", std+"/attendanceEvents", event(s.id("elev-1"), demo.GroupID("7a"), arrived, "In"))
	left := expect[ssObject](c, http.StatusOK, "POST", std+"/attendanceEvents", event(s.id("elev-1"), demo.GroupID("7a"), arrived.Add(30*time.Second), "Ut"))
	if first["id"] != again["id"] || first["eventType"] != "In" || left["eventType"] != "Ut" {
		t.Fatalf("the events: %v, %v, %v", first, again, left)
	}
	all, pagesRead := pages(c, std+"/attendanceEvents?group="+demo.GroupID("7a")+"&expand=person&expand=group", 1)
	if len(all) != 2 || pagesRead != 2 {
		t.Fatalf("7A's events: %v in %d pages", all, pagesRead)
	}
	looked := expect[[]ssObject](c, http.StatusOK, "POST", std+"/attendanceEvents/lookup", map[string][]string{"person": {s.id("elev-1")}})
	if len(looked) != 2 {
		t.Fatalf("looked up by person: %v", looked)
	}
	if r := c.do("DELETE", std+"/attendanceEvents/"+left["id"].(string), nil, nil); r.StatusCode != http.StatusNoContent {
		t.Fatalf("deleting an event: %d", r.StatusCode)
	}
	if r := c.do("GET", std+"/attendanceEvents/"+left["id"].(string), nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("a deleted event: %d", r.StatusCode)
	}
	gone := expect[struct{ Data map[string][]string }](c, http.StatusOK, "GET", std+"/deletedEntities?entities=AttendanceEvent", nil)
	if !slices.Equal(gone.Data["attendanceEvents"], []string{left["id"].(string)}) {
		t.Fatalf("deleted events: %v", gone.Data)
	}
	if r := s.asClient("maltidsservice").do("POST", std+"/attendanceEvents", event(s.id("elev-1"), demo.GroupID("7a"), arrived, "In"), nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a client not granted to report: %d", r.StatusCode)
	}
}

// forged is a page token a client made up: the server's own encoding of a query it never gave.
func forged(content string) string { return base64.RawURLEncoding.EncodeToString([]byte(content)) }
