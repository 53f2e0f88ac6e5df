package integration

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/skolflow/skolflow/grading"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/leave"
)

// The authorization sweep of the pages: every demo user signs in and follows every link the
// pages show them; then every user opens every page any user reached. A page answers what its
// API twin answers the same person (a page about what one may not see is the API's 404), no
// page ever fails, and a protected person's name appears on no page of a user to whom the API
// does not show it.
func TestEveryPageAsEveryDemoUser(t *testing.T) {
	s := newStack(t)
	// Work under way, so that there is something on every page: today's lessons, a leave
	// application awaiting the other guardian, an absence investigation (of a protected
	// pupil, Olle Ek) awaiting the principal, and a grading period.
	timetable(t, s)
	from, to := leaveDays(4)
	expect[leave.Application](s.as("vh-1"), http.StatusCreated, "POST", "/api/v1/persons/"+s.id("elev-1")+"/leave-applications",
		leave.ApplicationInput{From: from, To: to, Reason: "Resa"})
	taskFor(t, s, "vh-2", "leave.consent", s.id("elev-1"))
	openInvestigation(t, s, s.id("elev-3"), "2025-02")
	// A grading period whose entry has opened: the teachers' grade forms and the principal's
	// period, each group's forms and catalogue.
	period := openPeriod(t, s, time.Hour, time.Hour+time.Minute, 2*time.Hour)
	endsWithTheTest(t, s, period.ProcessID)
	gradingTask(t, s, "larare-a2", grading.KindSet, period.ProcessID, demo.GroupID("ma7"))
	users := demoUsers(t, s)
	pages := map[string]*page{}
	reached := map[string]bool{}
	for _, u := range users {
		pages[u] = s.browse(t, u)
		pages[u].opened = pages[u].crawl(60)
		for _, path := range pages[u].opened {
			reached[path] = true
		}
	}
	paths := slices.Sorted(func(yield func(string) bool) {
		for p := range reached {
			if !yield(p) {
				return
			}
		}
	})
	t.Logf("%d users, %d pages: %s", len(users), len(paths), strings.Join(paths, " "))
	// Every page every user reached passes axe's WCAG 2.1 A and AA rules, as that user sees it,
	// at a phone's width (the flows' tests check a desk's too).
	b := browser(t)
	for _, u := range users {
		tab := b.Tab(t, phoneWidth, phoneHeight)
		s.signIn(t, tab, u)
		checked := map[string]bool{} // one path of each route: the same template with other ids
		for _, path := range pages[u].opened {
			if route := routeOf(path); !checked[route] {
				checked[route] = true
				tab.Go(s.api.URL + path)
				tab.AssertAccessible(t)
			}
		}
	}
	protected := protectedNames(t)
	for _, u := range users {
		p := pages[u]
		hidden := hiddenFrom(s, u, protected)
		for _, path := range paths {
			status, html := p.get(path)
			if status >= 500 || (status != http.StatusOK && status != http.StatusNotFound && status != http.StatusForbidden) {
				t.Errorf("%s opens %s: %d", u, path, status)
				continue
			}
			if api, ok := apiTwin(path); ok {
				if want := s.as(u).do("GET", api, nil, nil).StatusCode; want != status {
					t.Errorf("%s opens %s: %d, but its API twin %s answers %d", u, path, status, api, want)
				}
			}
			for _, name := range hidden {
				if strings.Contains(html, name) {
					t.Errorf("%s sees the protected name %q on %s", u, name, path)
				}
			}
			if status == http.StatusOK {
				checkSmallAndSelfContained(t, u+" "+path, html)
			}
			if internal := internalName.FindString(textOf(html)); internal != "" {
				t.Errorf("%s: %s shows the internal name %q", u, path, internal)
			}
		}
	}
}

// twins map a page to the API resource it shows: the page must answer as the API does.
var twins = []struct {
	page *regexp.Regexp
	api  string
}{
	{regexp.MustCompile(`^/processes/([^/?]+)$`), "/api/v1/processes/$1"},
	{regexp.MustCompile(`^/children/([0-9a-f-]{36})$`), "/api/v1/persons/$1"},
	{regexp.MustCompile(`^/groups/([0-9a-f-]{36})$`), "/api/v1/groups/$1"},
	{regexp.MustCompile(`^/lessons/([0-9a-f-]{36})/register$`), "/api/v1/lessons/$1/attendance"},
	{regexp.MustCompile(`^/schools/([0-9a-f-]{36})/absence-investigations$`), "/api/v1/schools/$1/absence-investigations"},
	{regexp.MustCompile(`^/schools/([0-9a-f-]{36})/today$`), "/api/v1/schools/$1/absence-overview"},
	{regexp.MustCompile(`^/schools/([0-9a-f-]{36})/leave-delegation$`), "/api/v1/schools/$1/leave-delegation"},
	{regexp.MustCompile(`^/children/([0-9a-f-]{36})/leave$`), "/api/v1/persons/$1/leave-applications"},
	{regexp.MustCompile(`^/children/([0-9a-f-]{36})/grades$`), "/api/v1/persons/$1/grades"},
	{regexp.MustCompile(`^/schools/([0-9a-f-]{36})/grading$`), "/api/v1/schools/$1/grading-periods"},
	{regexp.MustCompile(`^/grading-periods/([0-9a-f-]{36})$`), "/api/v1/grading-periods/$1"},
	{regexp.MustCompile(`^/grading-periods/([0-9a-f-]{36})/groups/[0-9a-f-]{36}$`), "/api/v1/grading-periods/$1"},
	{regexp.MustCompile(`^/grading-periods/([0-9a-f-]{36})/catalogues/([0-9a-f-]{36})$`), "/api/v1/grading-periods/$1/catalogues/$2"},
}

func apiTwin(path string) (string, bool) {
	for _, tw := range twins {
		if tw.page.MatchString(path) {
			return tw.page.ReplaceAllString(path, tw.api), true
		}
	}
	return "", false
}

// internalName is a code a person should never read: a task kind, a status or a catalogue key
// the catalogue did not translate (two or more dotted lower-case words).
var internalName = regexp.MustCompile(`\b[a-z]+(?:-[a-z]+)*\.[a-z]+(?:[.-][a-z]+)*\b`)

var (
	htmlTag   = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>|<[^>]*>`)
	htmlSpace = regexp.MustCompile(`\s+`)
)

// textOf is the text a person reads on a page: no tags, no attributes.
func textOf(html string) string {
	text := htmlTag.ReplaceAllString(html, " ")
	// A web address or an email address in the text is not an internal name.
	text = regexp.MustCompile(`\S+@\S+|https?://\S+`).ReplaceAllString(text, " ")
	return htmlSpace.ReplaceAllString(text, " ")
}

var href = regexp.MustCompile(`href="(/[^"#]*)`)

// crawl follows every link of the pages from the start page, at most max pages, and answers
// the paths that opened.
func (p *page) crawl(max int) []string {
	p.t.Helper()
	seen := map[string]bool{"/": true}
	queue := []string{"/"}
	var opened []string
	for len(queue) > 0 && len(opened) < max {
		path := queue[0]
		queue = queue[1:]
		res, html := p.do("GET", path, nil)
		status := res.StatusCode
		if status >= 500 {
			p.t.Errorf("%s: %d", path, status)
		}
		if next := res.Header.Get("Location"); status == http.StatusSeeOther && !seen[next] && !skipCrawl(next) {
			seen[next] = true // a menu entry that leads to the person's own school, say
			queue = append(queue, next)
		}
		if status != http.StatusOK {
			continue
		}
		opened = append(opened, path)
		for _, m := range href.FindAllStringSubmatch(html, -1) {
			next := strings.ReplaceAll(m[1], "&amp;", "&")
			if seen[next] || skipCrawl(next) {
				continue
			}
			seen[next] = true
			queue = append(queue, next)
		}
	}
	return opened
}

// skipCrawl leaves out what is not a page of the person's (sign-in and out, the language
// switch, files, the dev routes).
func skipCrawl(path string) bool {
	for _, prefix := range []string{"/signin", "/signout", "/signed-out", "/language", "/static/", "/dev/", "/api/"} {
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return false
}

// demoUsers are the keys of the demo users, as the dev issuer's /dev/users lists them.
func demoUsers(t *testing.T, s *stack) []string {
	var list []struct {
		User string `json:"user"`
	}
	res := s.as("").do("GET", "/dev/users", nil, &list)
	if res.StatusCode != http.StatusOK || len(list) == 0 {
		t.Fatalf("/dev/users: %d, %d users", res.StatusCode, len(list))
	}
	var users []string
	for _, u := range list {
		users = append(users, u.User)
	}
	sort.Strings(users)
	return users
}

// protectedPerson is a person of the demo register with a protection marking: id and full name.
type protectedPerson struct{ id, given, family string }

func protectedNames(t *testing.T) []protectedPerson {
	var doc struct {
		Persons []struct {
			ID              string `json:"id"`
			GivenName       string `json:"givenName"`
			FamilyName      string `json:"familyName"`
			SecurityMarking string `json:"securityMarking"`
		} `json:"persons"`
	}
	if err := json.Unmarshal(demo.RegisterJSON, &doc); err != nil {
		t.Fatal(err)
	}
	var out []protectedPerson
	for _, p := range doc.Persons {
		if p.SecurityMarking != "" && p.SecurityMarking != "Ingen" {
			out = append(out, protectedPerson{p.ID, p.GivenName, p.FamilyName})
		}
	}
	if len(out) == 0 {
		t.Fatal("the demo register has no protected person to test with")
	}
	return out
}

// hiddenFrom answers the full names of the protected persons the API does not show user.
func hiddenFrom(s *stack, user string, protected []protectedPerson) []string {
	var hidden []string
	for _, p := range protected {
		var got struct {
			GivenName  string `json:"givenName"`
			FamilyName string `json:"familyName"`
		}
		res := s.as(user).do("GET", "/api/v1/persons/"+p.id, nil, &got)
		if res.StatusCode != http.StatusOK || got.FamilyName != p.family {
			hidden = append(hidden, p.given+" "+p.family)
		}
	}
	return hidden
}

var (
	anID = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z]+-[0-9a-f]{8}-[^/?]+`)
	aDay = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)
)

// routeOf is a path with its ids and days taken out: the page template it shows.
func routeOf(path string) string {
	return aDay.ReplaceAllString(anID.ReplaceAllString(path, ":id"), ":day")
}

var (
	fetched = regexp.MustCompile(`(?i)<(?:img|script|iframe|link|source|video|audio|object|embed)\b[^>]*\b(?:src|href|data)="([^"]*)"`)
	scripts = regexp.MustCompile(`(?i)<script\b|\son[a-z]+="`)
)

// checkSmallAndSelfContained: a page is under 50 KB before compression, runs no script, and
// makes the browser request nothing but the platform's own paths.
func checkSmallAndSelfContained(t *testing.T, what, html string) {
	t.Helper()
	if len(html) > 50*1024 {
		t.Errorf("%s: %d bytes, over 50 KB", what, len(html))
	}
	if scripts.MatchString(html) {
		t.Errorf("%s runs a script", what)
	}
	for _, m := range fetched.FindAllStringSubmatch(html, -1) {
		if !strings.HasPrefix(m[1], "/") || strings.HasPrefix(m[1], "//") {
			t.Errorf("%s makes the browser fetch %q", what, m[1])
		}
	}
}
