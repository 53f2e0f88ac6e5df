package integration

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// page is a person's browser without a browser: a cookie jar, the pages' HTML, and the CSRF
// token of the last page that had a form. It follows no redirect by itself, so that a test sees
// each one.
type page struct {
	t    testing.TB
	s    *stack
	c    *http.Client
	csrf string
	// opened are the pages a crawl reached (crawl).
	opened []string
}

// browse signs user in to the web pages through the code flow, as a browser would: the page
// asks for sign-in, the dev issuer's page signs the user in, and the callback starts a session.
func (s *stack) browse(t testing.TB, user string) *page {
	t.Helper()
	p := &page{t: t, s: s, c: &http.Client{Jar: newJar(t), CheckRedirect: noRedirect}}
	p.signIn(user, "/")
	return p
}

// signIn goes through the code flow from /signin?next=next and answers where it ended.
func (p *page) signIn(user, next string) string {
	p.t.Helper()
	res, _ := p.do("GET", "/signin?next="+url.QueryEscape(next), nil)
	authorize := p.location(res, http.StatusSeeOther)
	u, err := url.Parse(authorize)
	if err != nil {
		p.t.Fatal(err)
	}
	form := u.Query()
	form.Set("user", user)
	res, _ = p.do("POST", u.Path, form)
	callback := p.location(res, http.StatusSeeOther)
	res, _ = p.do("GET", callback, nil)
	return p.location(res, http.StatusSeeOther)
}

// location checks res's status and answers its Location, made relative to the stack.
func (p *page) location(res *http.Response, status int) string {
	p.t.Helper()
	if res.StatusCode != status {
		p.t.Fatalf("%s %s: %d, want %d", res.Request.Method, res.Request.URL, res.StatusCode, status)
	}
	return strings.TrimPrefix(res.Header.Get("Location"), p.s.api.URL)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// do sends a request (a form if form is not nil) and answers the response and its body; the
// CSRF token of a page with a form is kept for the next post.
func (p *page) do(method, path string, form url.Values) (*http.Response, string) {
	p.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	target := path
	if strings.HasPrefix(path, "/") {
		target = p.s.api.URL + path
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := p.c.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	if m := csrfInput.FindSubmatch(raw); m != nil {
		p.csrf = string(m[1])
	}
	return res, string(raw)
}

// get opens a page and answers its status and HTML.
func (p *page) get(path string) (int, string) {
	p.t.Helper()
	res, html := p.do("GET", path, nil)
	return res.StatusCode, html
}

// post sends a form with the CSRF token of the last page, as its form would.
func (p *page) post(path string, form url.Values) (*http.Response, string) {
	p.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("csrf") == "" && p.csrf != "" {
		form.Set("csrf", p.csrf)
	}
	return p.do("POST", path, form)
}

func newJar(t testing.TB) *cookiejar.Jar {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return jar
}

// browseAs signs subject (a principal name of any domain, such as the seeded register's) in to
// the web pages through the code flow, with the stack's issuer granting the code as its sign-in
// page would after the person chose themself.
func (s *stack) browseAs(t testing.TB, subject string) *page {
	t.Helper()
	p := &page{t: t, s: s, c: &http.Client{Jar: newJar(t), CheckRedirect: noRedirect}}
	res, _ := p.do("GET", "/signin", nil)
	authorize, err := url.Parse(p.location(res, http.StatusSeeOther))
	if err != nil {
		t.Fatal(err)
	}
	req, err := s.issuer.ParseAuthRequest(authorize.Query())
	if err != nil {
		t.Fatal(err)
	}
	res, _ = p.do("GET", req.Redirect(s.issuer.IssueCode(req, subject)), nil)
	if got := p.location(res, http.StatusSeeOther); got != "/" {
		t.Fatalf("%s signed in to %q", subject, got)
	}
	return p
}
