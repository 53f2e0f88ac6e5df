package integration

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/skolflow/skolflow/auth"
	"github.com/skolflow/skolflow/internal/demo"
)

// callback is the web pages' redirect URI in these tests; nothing listens there: the browser
// below stops at every redirect and the test reads where it would go.
const callback = "http://127.0.0.1:9/auth/callback"

// httpBrowser is a cookie-less httpBrowser that does not follow redirects.
var httpBrowser = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// A person signs in through the dev issuer's sign-in page with the authorization-code flow and
// PKCE, as the web pages will: the page lists the demo users, a button signs one in and sends
// the httpBrowser back with a code, and the relying party exchanges it for the person's subject.
func TestSignInWithTheCodeFlow(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	c := auth.NewClient(s.issuer.Issuer, "skolflow", "", callback)
	a, err := c.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	form := signInForm(t, a.URL, "rektor-a")
	code := signIn(t, s, form, a.State)
	subject, err := c.Finish(ctx, code, a.Verifier, a.Nonce)
	if err != nil || subject != "rektor-a@"+demo.UserDomain {
		t.Fatalf("Finish = %q, %v", subject, err)
	}

	// The end of the session sends the httpBrowser back where the web pages ask.
	res, err := httpBrowser.Get(c.EndSessionURL(ctx, "http://127.0.0.1:9/"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "http://127.0.0.1:9/" {
		t.Fatalf("logout: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// The token endpoint redeems a code once, for the verifier of its challenge only, and its access
// token is a bearer token of the API.
func TestTheTokenEndpointRedeemsACodeOnce(t *testing.T) {
	s := newStack(t)
	verifier := oauth2.GenerateVerifier()
	request := url.Values{
		"response_type": {"code"}, "client_id": {"skolflow"}, "redirect_uri": {callback}, "state": {"st"},
		"nonce": {"no"}, "code_challenge": {oauth2.S256ChallengeFromVerifier(verifier)}, "code_challenge_method": {"S256"},
	}
	newCode := func() string {
		return signIn(t, s, signInForm(t, s.issuer.Issuer+"/authorize?"+request.Encode(), "vh-1"), "st")
	}
	redeem := func(code, verifier string) (int, map[string]any) {
		t.Helper()
		res, err := http.PostForm(s.api.URL+"/dev/oidc/token", url.Values{"grant_type": {"authorization_code"},
			"code": {code}, "redirect_uri": {callback}, "code_verifier": {verifier}, "client_id": {"skolflow"}})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body map[string]any
		if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
			t.Fatalf("the token endpoint's answer is not JSON: %v", err)
		}
		return res.StatusCode, body
	}

	if status, body := redeem(newCode(), oauth2.GenerateVerifier()); status != 400 || body["error"] != "invalid_grant" {
		t.Errorf("a wrong verifier: %d %v, want 400 invalid_grant", status, body)
	}
	code := newCode()
	status, body := redeem(code, verifier)
	if status != 200 || body["token_type"] != "Bearer" || body["id_token"] == nil {
		t.Fatalf("the right verifier: %d %v", status, body)
	}
	if status, body := redeem(code, verifier); status != 400 || body["error"] != "invalid_grant" {
		t.Errorf("a code used twice: %d %v, want 400 invalid_grant", status, body)
	}
	s.token = body["access_token"].(string)
	if res := s.do("GET", "/api/v1/me", nil, nil); res.StatusCode != http.StatusOK {
		t.Errorf("GET /api/v1/me with the code flow's access token: %d", res.StatusCode)
	}
}

// A bad authorization request is a 400 page naming the parameter; it never sends the httpBrowser on.
func TestABadSignInRequestNamesTheParameter(t *testing.T) {
	s := newStack(t)
	good := url.Values{
		"response_type": {"code"}, "client_id": {"skolflow"}, "redirect_uri": {callback}, "state": {"st"}, "nonce": {"no"},
		"code_challenge": {oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier())}, "code_challenge_method": {"S256"},
	}
	for _, c := range []struct{ param, value string }{
		{"code_challenge", ""},
		{"code_challenge_method", "plain"},
		{"redirect_uri", "/relative"},
		{"client_id", "mallory"},
	} {
		q := url.Values{}
		for k, v := range good {
			q[k] = v
		}
		if c.value == "" {
			q.Del(c.param)
		} else {
			q.Set(c.param, c.value)
		}
		res, err := httpBrowser.Get(s.issuer.Issuer + "/authorize?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		page := readAll(t, res)
		if res.StatusCode != http.StatusBadRequest || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
			!strings.Contains(page, "<code>"+c.param+"</code>") {
			t.Errorf("%s=%q: %d %s\n%s", c.param, c.value, res.StatusCode, res.Header.Get("Content-Type"), page)
		}
	}
	// A user the register does not know cannot be signed in.
	form := signInForm(t, s.issuer.Issuer+"/authorize?"+good.Encode(), "rektor-a")
	form.Set("user", "mallory")
	res, err := httpBrowser.PostForm(s.issuer.Issuer+"/authorize", form)
	if err != nil {
		t.Fatal(err)
	}
	if page := readAll(t, res); res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "<code>user</code>") {
		t.Errorf("an unknown user: %d\n%s", res.StatusCode, page)
	}
}

// formOf matches one form of the sign-in page, and hiddenField each of its hidden fields.
var (
	formOf      = regexp.MustCompile(`(?s)<form method="post" action="authorize">.*?</form>`)
	hiddenField = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// signInForm opens the sign-in page at authorizeURL and answers the fields of the button that
// signs user in, as a httpBrowser would send them.
func signInForm(t *testing.T, authorizeURL, user string) url.Values {
	t.Helper()
	res, err := httpBrowser.Get(authorizeURL)
	if err != nil {
		t.Fatal(err)
	}
	page := readAll(t, res)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("the sign-in page: %d %s\n%s", res.StatusCode, res.Header.Get("Content-Type"), page)
	}
	if !strings.Contains(page, `<html lang="sv">`) || strings.Count(page, "<h1>") != 1 {
		t.Errorf("the sign-in page is not one Swedish page with one heading:\n%s", page)
	}
	button := `<button type="submit" name="user" value="` + user + `">`
	for _, f := range formOf.FindAllString(page, -1) {
		if !strings.Contains(f, button) {
			continue
		}
		fields := url.Values{"user": {user}}
		for _, m := range hiddenField.FindAllStringSubmatch(f, -1) {
			fields.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
		}
		return fields
	}
	t.Fatalf("the sign-in page has no button for %s:\n%s", user, page)
	return nil
}

// signIn posts the sign-in form and answers the code the httpBrowser is sent back with, checking it
// goes to the redirect URI with the client's state.
func signIn(t *testing.T, s *stack, form url.Values, state string) string {
	t.Helper()
	res, err := httpBrowser.PostForm(s.issuer.Issuer+"/authorize", form)
	if err != nil {
		t.Fatal(err)
	}
	page := readAll(t, res)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("signing in: %d\n%s", res.StatusCode, page)
	}
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Scheme + "://" + back.Host + back.Path; got != callback || back.Query().Get("state") != state ||
		back.Query().Get("code") == "" {
		t.Fatalf("sent back to %s", back)
	}
	return back.Query().Get("code")
}

func readAll(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
