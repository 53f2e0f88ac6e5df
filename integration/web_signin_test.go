package integration

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/internal/app"
)

// A page asked for without a session leads to sign-in, and sign-in back to it; the session's
// cookie is HttpOnly, SameSite=Lax, with an expiry (and not Secure: the stack is plain HTTP).
func TestSignInLeadsBackToThePageAsked(t *testing.T) {
	s := newStack(t)
	p := s.browse(t, "vh-1")
	status, html := p.get("/")
	if status != http.StatusOK {
		t.Fatalf("start page: %d", status)
	}
	if !strings.Contains(html, `<html lang="sv">`) || !strings.Contains(html, "Inloggad: ") {
		t.Fatalf("the start page is not the signed-in guardian's in Swedish:\n%s", html)
	}
	u, _ := url.Parse(s.api.URL)
	var session *http.Cookie
	for _, c := range p.c.Jar.Cookies(u) {
		if c.Name == "skolflow_session" {
			session = c
		}
	}
	if session == nil {
		t.Fatal("no session cookie after sign-in")
	}

	stranger := s.browse(t, "vh-2")
	stranger.c.Jar.SetCookies(u, nil)
	res, _ := (&page{t: t, s: s, c: &http.Client{CheckRedirect: p.c.CheckRedirect}}).do("GET", "/notifications?x=1", nil)
	if got := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || got != "/signin?next=%2Fnotifications%3Fx%3D1" {
		t.Fatalf("a page without a session: %d to %q, want 303 to sign-in and back", res.StatusCode, got)
	}
	fresh := &page{t: t, s: s, c: &http.Client{Jar: newJar(t), CheckRedirect: p.c.CheckRedirect}}
	if back := fresh.signIn("vh-2", "/notifications?x=1"); back != "/notifications?x=1" {
		t.Fatalf("sign-in returned to %q, want the page asked for", back)
	}
	res, _ = fresh.do("GET", "/signin?next="+url.QueryEscape("https://elsewhere.example/"), nil)
	loc := fresh.location(res, http.StatusSeeOther)
	if !strings.Contains(loc, "/dev/oidc/authorize?") {
		t.Fatalf("sign-in went to %q", loc)
	}
}

// The session's cookie is what a city's would be: HttpOnly, SameSite=Lax, with an expiry.
func TestTheSessionCookieIsHttpOnlyAndLax(t *testing.T) {
	s := newStack(t)
	p := &page{t: t, s: s, c: &http.Client{Jar: newJar(t), CheckRedirect: noRedirect}}
	res, _ := p.do("GET", "/signin", nil)
	authorize, _ := url.Parse(p.location(res, http.StatusSeeOther))
	form := authorize.Query()
	form.Set("user", "vh-1")
	res, _ = p.do("POST", authorize.Path, form)
	res, _ = p.do("GET", p.location(res, http.StatusSeeOther), nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("callback: %d", res.StatusCode)
	}
	var set string
	for _, h := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(h, "skolflow_session=") {
			set = h
		}
	}
	for _, want := range []string{"HttpOnly", "SameSite=Lax", "Max-Age=3600", "Path=/"} {
		if !strings.Contains(set, want) {
			t.Errorf("session cookie %q lacks %s", set, want)
		}
	}
	if strings.Contains(set, "Secure") {
		t.Errorf("session cookie %q is Secure on plain HTTP: the browser would drop it", set)
	}
}

// A form without its CSRF token is refused with 403, and nothing is written.
func TestAFormWithoutItsCSRFTokenWritesNothing(t *testing.T) {
	s := newStack(t)
	p := s.browse(t, "vh-1")
	if status, _ := p.get("/settings"); status != http.StatusOK {
		t.Fatalf("settings: %d", status)
	}
	before := s.count(`SELECT count(*) FROM contact_preferences WHERE person_id = $1 AND language = 'en'`, s.id("vh-1"))
	for _, token := range []string{"", "wrong"} {
		res, html := p.do("POST", "/settings", url.Values{"csrf": {token}, "language": {"en"}})
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("a form with CSRF token %q: %d, want 403", token, res.StatusCode)
		}
		if !strings.Contains(html, "Ingenting sparades") {
			t.Errorf("the refusal does not say nothing was saved:\n%s", html)
		}
	}
	if after := s.count(`SELECT count(*) FROM contact_preferences WHERE person_id = $1 AND language = 'en'`, s.id("vh-1")); after != before {
		t.Fatal("a refused form changed the settings")
	}
	// With the token the same form is taken.
	res, _ := p.post("/settings", url.Values{"language": {"en"}, "email": {"vh1@example.test"}, "channels": {"email"}})
	if got := p.location(res, http.StatusSeeOther); got != "/settings" {
		t.Fatalf("settings saved to %q", got)
	}
	if status, html := p.get("/settings"); status != http.StatusOK || !strings.Contains(html, `<html lang="en">`) || !strings.Contains(html, "Your settings are saved.") {
		t.Fatalf("after choosing English: %d\n%s", status, html)
	}
}

// Signing out ends the session: its cookie no longer opens a page.
func TestSigningOutEndsTheSession(t *testing.T) {
	s := newStack(t)
	p := s.browse(t, "larare-a1")
	if status, _ := p.get("/"); status != http.StatusOK {
		t.Fatalf("start: %d", status)
	}
	res, _ := p.post("/signout", nil)
	end := p.location(res, http.StatusSeeOther)
	if !strings.Contains(end, "/dev/oidc/logout") {
		t.Fatalf("sign-out went to %q, want the issuer's end of session", end)
	}
	if n := s.count(`SELECT count(*) FROM web_sessions`); n != 0 {
		t.Fatalf("%d sessions after signing out, want 0", n)
	}
	res, _ = p.do("GET", "/", nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
		t.Fatalf("a page after signing out: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// A session that has ended (here: unused too long) leads to sign-in and back to the page.
func TestAnEndedSessionSignsInAgainAndReturns(t *testing.T) {
	s := newStack(t)
	p := s.browse(t, "rektor-a")
	// Half an hour passes unused: the row says so, and the instances are told, as they are of
	// every change to a session.
	if _, err := s.db.Exec(context.Background(), `WITH idle AS (UPDATE web_sessions SET seen_at = now() - interval '31 minutes')
		SELECT pg_notify('web_sessions', '')`); err != nil {
		t.Fatal(err)
	}
	var res *http.Response
	eventually(t, 10*time.Second, "the idle session to end", func() bool {
		res, _ = p.do("GET", "/tasks", nil)
		return res.StatusCode == http.StatusSeeOther
	})
	if got := p.location(res, http.StatusSeeOther); got != "/signin?next=%2Ftasks" {
		t.Fatalf("an idle session: to %q", got)
	}
	if back := p.signIn("rektor-a", "/tasks"); back != "/tasks" {
		t.Fatalf("back to %q", back)
	}
	if status, _ := p.get("/tasks"); status != http.StatusOK {
		t.Fatalf("tasks after signing in again: %d", status)
	}
}

// A path that is no page answers a page that says so, in the person's language; the API's
// paths keep answering problem+json.
func TestAnUnknownPageSaysSo(t *testing.T) {
	s := newStack(t)
	p := s.browse(t, "vh-1")
	status, html := p.get("/no/such/page")
	if status != http.StatusNotFound || !strings.Contains(html, "Sidan finns inte") {
		t.Fatalf("unknown page: %d\n%s", status, html)
	}
	res, _ := p.do("GET", "/api/v1/no-such", nil)
	if res.StatusCode != http.StatusNotFound || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("unknown API path: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// A sign-out through one API instance ends the session on every instance at once, though each
// keeps the sessions it has read: the change is told to all (NOTIFY), well before the instance
// would read the session again by itself.
func TestASignOutOnOneInstanceEndsTheSessionOnEvery(t *testing.T) {
	s := newStack(t)
	metrics, err := app.NewMetrics()
	if err != nil {
		t.Fatal(err)
	}
	metrics.Registry = prometheus.NewRegistry()
	other, _, _ := newAPI(t, s.db, s.temporal, metrics, zap.NewNop(), s.queue, s.timings)
	p := s.browse(t, "vh-1")
	onOther := &page{t: t, s: &stack{t: t, db: s.db, api: other}, c: p.c} // the same browser, the other instance
	if status, _ := onOther.get("/"); status != http.StatusOK {
		t.Fatalf("the other instance: %d", status)
	}
	if status, _ := p.get("/"); status != http.StatusOK {
		t.Fatalf("this instance: %d", status)
	}
	res, _ := p.post("/signout", nil)
	p.location(res, http.StatusSeeOther)
	eventually(t, 10*time.Second, "the other instance to end the session", func() bool {
		res, _ := onOther.do("GET", "/", nil)
		return res.StatusCode == http.StatusSeeOther
	})
}
