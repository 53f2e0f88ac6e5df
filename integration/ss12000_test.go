package integration

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/skolflow/skolflow/api"
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
	base, _, _ := strings.Cut(path, "?")
	for p.PageToken != "" {
		if n > 1000 {
			s.t.Fatalf("%s: more than 1000 pages", path)
		}
		p = expect[ssPage](s, http.StatusOK, "GET", base+"?limit="+strconv.Itoa(limit)+"&pageToken="+url.QueryEscape(p.PageToken), nil)
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
	c := s.asClient("larplattform")
	want := map[string]string{
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
		looked := expect[[]ssObject](c, http.StatusOK, "POST", std+"/"+resource+"/lookup", map[string][]string{"ids": ids[:2]})
		if got := idsOf(looked); !slices.Equal(slices.Sorted(slices.Values(got)), ids[:2]) {
			t.Fatalf("%s: lookup of %v answered %v", resource, ids[:2], got)
		}
		// The standard's sortkeys, each read over pages: the order holds across them.
		for _, key := range []string{"ModifiedDesc", "DisplayNameAsc", "StartDateAsc", "EndDateDesc", "FamilyNameAsc", "SubjectCodeDesc"} {
			if !sortable[resource][key] {
				continue
			}
			sorted, _ := pages(c, std+"/"+resource+"?sortkey="+key, 2)
			if got := idsOf(sorted); len(got) != len(ids) || !ordered(sorted, key) {
				t.Fatalf("%s by %s: %v", resource, key, got)
			}
		}
	}
}

// sortable are the sortkeys the test above reads, by resource.
var sortable = map[string]map[string]bool{
	"organisations": {"ModifiedDesc": true, "DisplayNameAsc": true},
	"persons":       {"ModifiedDesc": true, "FamilyNameAsc": true},
	"placements":    {"ModifiedDesc": true, "StartDateAsc": true, "EndDateDesc": true},
	"duties":        {"ModifiedDesc": true, "StartDateAsc": true},
	"groups":        {"ModifiedDesc": true, "DisplayNameAsc": true, "StartDateAsc": true, "EndDateDesc": true},
	"syllabuses":    {"ModifiedDesc": true, "SubjectCodeDesc": true},
	"activities":    {"ModifiedDesc": true, "DisplayNameAsc": true},
}

// ordered reports whether objects are in the order of key.
func ordered(objects []ssObject, key string) bool {
	value := func(o ssObject) string {
		switch key {
		case "ModifiedDesc":
			m, _ := o["meta"].(map[string]any)
			t, _ := time.Parse(time.RFC3339Nano, m["modified"].(string))
			return t.UTC().Format(time.RFC3339Nano)
		case "DisplayNameAsc":
			return o["displayName"].(string)
		case "StartDateAsc":
			return o["startDate"].(string)
		case "EndDateDesc":
			if v, ok := o["endDate"].(string); ok {
				return v
			}
			return "9999-12-31" // none: the standard's lists treat it as after every date
		case "FamilyNameAsc":
			return o["familyName"].(string)
		case "SubjectCodeDesc":
			return o["subjectCode"].(string)
		}
		return ""
	}
	desc := strings.HasSuffix(key, "Desc")
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
	if n != 3*len(ss12000.Resources())-2 {
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
	class := expect[ssObject](meal, http.StatusOK, "GET", std+"/groups/"+demo.GroupID("7a"), nil)
	members, _ := json.Marshal(class["groupMemberships"])
	if strings.Contains(string(members), s.id("elev-3")) || !strings.Contains(string(members), s.id("elev-1")) {
		t.Fatalf("class 7A's members for the meal service: %s", members)
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
