package auth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// devServer serves a DevIssuer's endpoints over real HTTP as the API's dev routes do, with a
// stand-in sign-in page that signs subject in at once instead of showing the demo users.
func devServer(t *testing.T, subject string) (*httptest.Server, *DevIssuer) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	d, err := NewDevIssuer("http://"+srv.Listener.Addr().String()+"/dev/oidc", "skolflow", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /dev/oidc/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(d.Discovery())
	})
	mux.HandleFunc("GET /dev/oidc/jwks.json", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(d.JWKS())
	})
	mux.HandleFunc("GET /dev/oidc/authorize", func(w http.ResponseWriter, r *http.Request) {
		req, err := d.ParseAuthRequest(r.URL.Query())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, req.Redirect(d.IssueCode(req, subject)), http.StatusSeeOther)
	})
	mux.HandleFunc("POST /dev/oidc/token", d.ServeToken)
	srv.Config.Handler = mux
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, d
}

// noRedirects is a browser that stops at each redirect, so the test reads where it goes.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// authorize sends the browser to the attempt's URL and answers the code the issuer sends it back
// with, checking the state came back unchanged.
func authorize(t *testing.T, a Attempt) string {
	t.Helper()
	res, err := noRedirects.Get(a.URL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("authorize: %d", res.StatusCode)
	}
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Scheme + "://" + back.Host + back.Path; got != "http://127.0.0.1:9/callback" {
		t.Fatalf("sent back to %s", got)
	}
	if back.Query().Get("state") != a.State {
		t.Fatalf("state %q came back as %q", a.State, back.Query().Get("state"))
	}
	return back.Query().Get("code")
}

func TestClientSignsInWithTheCodeFlowAndPKCE(t *testing.T) {
	srv, d := devServer(t, "rektor-a@skolflow.test")
	c := NewClient(d.Issuer, "skolflow", "", "http://127.0.0.1:9/callback")
	ctx := context.Background()
	a, err := c.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(a.URL)
	q := u.Query()
	if !strings.HasPrefix(a.URL, srv.URL+"/dev/oidc/authorize?") || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") != oauth2.S256ChallengeFromVerifier(a.Verifier) || q.Get("nonce") != a.Nonce ||
		q.Get("state") != a.State || q.Get("client_id") != "skolflow" || q.Get("scope") != "openid" {
		t.Fatalf("authorization URL %s", a.URL)
	}
	if b, _ := c.Start(ctx); b.State == a.State || b.Nonce == a.Nonce || b.Verifier == a.Verifier {
		t.Fatal("two attempts share a secret")
	}
	subject, err := c.Finish(ctx, authorize(t, a), a.Verifier, a.Nonce)
	if err != nil || subject != "rektor-a@skolflow.test" {
		t.Fatalf("Finish = %q, %v", subject, err)
	}
}

// Each refusal wraps ErrInvalidToken; a code is good for one try, right or wrong.
func TestClientRefusals(t *testing.T) {
	_, d := devServer(t, "vh-1@skolflow.test")
	c := NewClient(d.Issuer, "skolflow", "any secret", "http://127.0.0.1:9/callback")
	ctx := context.Background()
	start := func() Attempt {
		a, err := c.Start(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	refused := func(name string, err error) {
		t.Helper()
		if !errors.Is(err, ErrInvalidToken) {
			t.Errorf("%s: %v, want ErrInvalidToken", name, err)
		}
	}

	a := start()
	code := authorize(t, a)
	_, err := c.Finish(ctx, code, oauth2.GenerateVerifier(), a.Nonce)
	refused("another verifier", err)
	_, err = c.Finish(ctx, code, a.Verifier, a.Nonce)
	refused("the right verifier after a wrong one", err)

	a = start()
	code = authorize(t, a)
	if _, err := c.Finish(ctx, code, a.Verifier, a.Nonce); err != nil {
		t.Fatal(err)
	}
	_, err = c.Finish(ctx, code, a.Verifier, a.Nonce)
	refused("a code used twice", err)

	a = start()
	_, err = c.Finish(ctx, authorize(t, a), a.Verifier, start().Nonce)
	refused("another attempt's nonce", err)

	_, err = c.Finish(ctx, "no-such-code", a.Verifier, a.Nonce)
	refused("an unknown code", err)

	a = start()
	code = authorize(t, a)
	d.mu.Lock()
	g := d.codes[code]
	g.expires = time.Now().Add(-time.Second)
	d.codes[code] = g
	d.mu.Unlock()
	_, err = c.Finish(ctx, code, a.Verifier, a.Nonce)
	refused("an expired code", err)

	other := NewClient(d.Issuer, "someone-else", "", "http://127.0.0.1:9/callback")
	a = start()
	_, err = other.Finish(ctx, authorize(t, a), a.Verifier, a.Nonce)
	refused("another client", err)
}

// The token endpoint answers RFC 6749's errors for what Client never sends.
func TestTokenEndpointErrors(t *testing.T) {
	srv, d := devServer(t, "vh-1@skolflow.test")
	req := AuthRequest{ClientID: "skolflow", RedirectURI: "http://127.0.0.1:9/callback", State: "s", Nonce: "n",
		CodeChallenge: oauth2.S256ChallengeFromVerifier(strings.Repeat("v", 43))}
	form := func(code string, change func(url.Values)) url.Values {
		f := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {req.RedirectURI},
			"code_verifier": {strings.Repeat("v", 43)}, "client_id": {"skolflow"}}
		if change != nil {
			change(f)
		}
		return f
	}
	for _, c := range []struct {
		name   string
		form   url.Values
		status int
		error  string
	}{
		{"the right request, client_id in the form", form(d.IssueCode(req, "vh-1@skolflow.test"), nil), 200, ""},
		{"another grant type", form(d.IssueCode(req, "x"), func(f url.Values) { f.Set("grant_type", "password") }), 400, "unsupported_grant_type"},
		{"no grant type", form(d.IssueCode(req, "x"), func(f url.Values) { f.Del("grant_type") }), 400, "invalid_request"},
		{"no client", form(d.IssueCode(req, "x"), func(f url.Values) { f.Del("client_id") }), 401, "invalid_client"},
		{"no verifier", form(d.IssueCode(req, "x"), func(f url.Values) { f.Del("code_verifier") }), 400, "invalid_request"},
		{"a verifier too short", form(d.IssueCode(req, "x"), func(f url.Values) { f.Set("code_verifier", "short") }), 400, "invalid_request"},
		{"another redirect URI", form(d.IssueCode(req, "x"), func(f url.Values) { f.Set("redirect_uri", "http://127.0.0.1:9/other") }), 400, "invalid_grant"},
		{"a parameter twice", form(d.IssueCode(req, "x"), func(f url.Values) { f.Add("code", "again") }), 400, "invalid_request"},
	} {
		res, err := http.PostForm(srv.URL+"/dev/oidc/token", c.form)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Error   string `json:"error"`
			IDToken string `json:"id_token"`
		}
		_ = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if res.StatusCode != c.status || body.Error != c.error || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d %q (Cache-Control %q), want %d %q", c.name, res.StatusCode, body.Error,
				res.Header.Get("Cache-Control"), c.status, c.error)
		}
		if c.status == 200 && body.IDToken == "" {
			t.Errorf("%s: no id_token", c.name)
		}
	}
}

// Both tokens of a sign-in verify as the API verifies bearer tokens: the access token is Mint's.
func TestTheCodeFlowsAccessTokenIsTheAPIs(t *testing.T) {
	srv, d := devServer(t, "vh-1@skolflow.test")
	verifier := oauth2.GenerateVerifier()
	req := AuthRequest{ClientID: "skolflow", RedirectURI: "http://127.0.0.1:9/callback", State: "s", Nonce: "n",
		CodeChallenge: oauth2.S256ChallengeFromVerifier(verifier)}
	cfg := oauth2.Config{ClientID: "skolflow", RedirectURL: req.RedirectURI,
		Endpoint: oauth2.Endpoint{TokenURL: srv.URL + "/dev/oidc/token"}}
	tok, err := cfg.Exchange(context.Background(), d.IssueCode(req, "vh-1@skolflow.test"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	v := NewVerifier(d.Issuer, d.Audience)
	if sub, err := v.Verify(context.Background(), tok.AccessToken); err != nil || sub != "vh-1@skolflow.test" {
		t.Fatalf("the access token: %q, %v", sub, err)
	}
	if tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 {
		t.Fatalf("token_type %q, expires_in %d", tok.TokenType, tok.ExpiresIn)
	}
}

func TestEndSessionURL(t *testing.T) {
	_, d := devServer(t, "vh-1@skolflow.test")
	c := NewClient(d.Issuer, "skolflow", "", "http://127.0.0.1:9/callback")
	want := d.Issuer + "/logout?client_id=skolflow&post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2F"
	if got := c.EndSessionURL(context.Background(), "http://127.0.0.1:9/"); got != want {
		t.Fatalf("EndSessionURL = %q, want %q", got, want)
	}
	if got := c.EndSessionURL(context.Background(), ""); got != d.Issuer+"/logout" {
		t.Fatalf("EndSessionURL without a redirect = %q", got)
	}
}

// An issuer that does not answer is an error, not a refusal; and no end-session URL.
func TestClientWithoutAnIssuer(t *testing.T) {
	c := NewClient("http://127.0.0.1:1/dev/oidc", "skolflow", "", "http://127.0.0.1:9/callback")
	ctx := context.Background()
	if _, err := c.Start(ctx); err == nil || errors.Is(err, ErrInvalidToken) {
		t.Errorf("Start = %v, want an error that is not ErrInvalidToken", err)
	}
	if _, err := c.Finish(ctx, "code", oauth2.GenerateVerifier(), "nonce"); err == nil || errors.Is(err, ErrInvalidToken) {
		t.Errorf("Finish = %v, want an error that is not ErrInvalidToken", err)
	}
	if got := c.EndSessionURL(ctx, "http://127.0.0.1:9/"); got != "" {
		t.Errorf("EndSessionURL = %q, want none", got)
	}
}

// ParseAuthRequest names the first parameter that is missing or wrong.
func TestAuthRequestParameters(t *testing.T) {
	d, err := NewDevIssuer("http://127.0.0.1:9/dev/oidc", "skolflow", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	good := AuthRequest{ClientID: "skolflow", RedirectURI: "https://app.example/cb?x=1", State: "st", Nonce: "no",
		CodeChallenge: oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier())}
	if got, err := d.ParseAuthRequest(good.Values()); err != nil || got != good {
		t.Fatalf("a good request: %+v, %v", got, err)
	}
	for _, c := range []struct{ name, value, param string }{
		{"response_type", "", "response_type"},
		{"response_type", "token", "response_type"},
		{"client_id", "", "client_id"},
		{"client_id", "other", "client_id"},
		{"redirect_uri", "", "redirect_uri"},
		{"redirect_uri", "/callback", "redirect_uri"},
		{"redirect_uri", "javascript:alert(1)", "redirect_uri"},
		{"redirect_uri", "https://app.example/cb#frag", "redirect_uri"},
		{"state", "", "state"},
		{"state", "a\x00b", "state"},
		{"nonce", "", "nonce"},
		{"code_challenge", "", "code_challenge"},
		{"code_challenge", "too-short", "code_challenge"},
		{"code_challenge_method", "", "code_challenge_method"},
		{"code_challenge_method", "plain", "code_challenge_method"},
	} {
		v := good.Values()
		v.Set(c.name, c.value)
		_, err := d.ParseAuthRequest(v)
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Param != c.param {
			t.Errorf("%s=%q: %v, want a ParamError naming %s", c.name, c.value, err, c.param)
		}
	}
	v := good.Values()
	v.Add("state", "again")
	if _, err := d.ParseAuthRequest(v); err == nil || !strings.Contains(err.Error(), "state") {
		t.Errorf("state twice: %v", err)
	}
	if got := good.Redirect("C"); got != "https://app.example/cb?code=C&state=st&x=1" {
		t.Errorf("Redirect = %s", got)
	}
}
