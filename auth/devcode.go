package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// The dev issuer's authorization-code flow with PKCE (RFC 6749 §4.1, RFC 7636, OpenID Connect
// Core §3.1), as Client drives it: the sign-in page (served by the API's dev routes, which know
// the demo users) takes an AuthRequest and mints a code for the user chosen; ServeToken redeems
// it, once, for an access token and an ID token. The issuer knows one client, whose ID is its
// Audience; any client secret, or none, is accepted.

// codeTTL is how long an authorization code can be redeemed: long enough for a browser's
// redirect, short enough that a leaked code is soon worthless (RFC 6749 §4.1.2: at most 10 min).
const codeTTL = time.Minute

// codeGrant is what an authorization code was issued for.
type codeGrant struct {
	AuthRequest
	subject string
	expires time.Time
}

// AuthRequest is an authorization request of the code flow, as the sign-in page takes it: its
// query on GET, its form's hidden fields on POST (see Values).
type AuthRequest struct {
	ClientID      string
	RedirectURI   string // where the browser is sent back with the code
	State         string // the client's, sent back with the code
	Nonce         string // the client's, carried in the ID token
	CodeChallenge string // BASE64URL(SHA256(code_verifier)); only the S256 method is supported
}

// ParamError says which parameter of an authorization request is missing or wrong.
type ParamError struct {
	Param  string
	Reason string // e.g. "is missing"
}

func (e *ParamError) Error() string { return e.Param + " " + e.Reason }

// ParseAuthRequest reads an authorization request from its parameters; an error is a
// *ParamError naming the first wrong one. Other parameters (scope, prompt, ...) are ignored.
func (d *DevIssuer) ParseAuthRequest(v url.Values) (AuthRequest, error) {
	one := func(name string) (string, error) {
		switch vs := v[name]; {
		case len(vs) == 0 || vs[0] == "":
			return "", &ParamError{name, "is missing"}
		case len(vs) > 1:
			return "", &ParamError{name, "is given more than once"}
		default:
			return vs[0], nil
		}
	}
	var r AuthRequest
	responseType, err := one("response_type")
	if err != nil {
		return r, err
	}
	if responseType != "code" {
		return r, &ParamError{"response_type", "must be code: only the authorization-code flow is supported"}
	}
	if r.ClientID, err = one("client_id"); err != nil {
		return r, err
	}
	if r.ClientID != d.Audience {
		return r, &ParamError{"client_id", "is not a client of this issuer"}
	}
	if r.RedirectURI, err = one("redirect_uri"); err != nil {
		return r, err
	}
	if reason := redirectProblem(r.RedirectURI); reason != "" {
		return r, &ParamError{"redirect_uri", reason}
	}
	if r.State, err = one("state"); err != nil {
		return r, err
	}
	if !visibleASCII(r.State, 512) {
		return r, &ParamError{"state", "must be at most 512 visible ASCII characters"}
	}
	if r.Nonce, err = one("nonce"); err != nil {
		return r, err
	}
	if !visibleASCII(r.Nonce, 512) {
		return r, &ParamError{"nonce", "must be at most 512 visible ASCII characters"}
	}
	if r.CodeChallenge, err = one("code_challenge"); err != nil {
		return r, err
	}
	if !isS256Challenge(r.CodeChallenge) {
		return r, &ParamError{"code_challenge", "must be BASE64URL(SHA256(code_verifier)): 43 characters"}
	}
	method, err := one("code_challenge_method")
	if err != nil {
		return r, &ParamError{"code_challenge_method", "is missing: it must be S256"}
	}
	if method != "S256" {
		return r, &ParamError{"code_challenge_method", "must be S256"}
	}
	return r, nil
}

// Values are the request's parameters, as ParseAuthRequest reads them.
func (r AuthRequest) Values() url.Values {
	return url.Values{
		"response_type": {"code"}, "client_id": {r.ClientID}, "redirect_uri": {r.RedirectURI},
		"state": {r.State}, "nonce": {r.Nonce}, "code_challenge": {r.CodeChallenge}, "code_challenge_method": {"S256"},
	}
}

// Redirect is where the browser goes once the user signed in: the redirect URI with the code
// and the client's state.
func (r AuthRequest) Redirect(code string) string {
	u, _ := url.Parse(r.RedirectURI) // ParseAuthRequest parsed it
	q := u.Query()
	q.Set("code", code)
	q.Set("state", r.State)
	u.RawQuery = q.Encode()
	return u.String()
}

// IssueCode mints a one-time authorization code for subject, signed in through r. It can be
// redeemed once, within codeTTL, by r's client with r's redirect URI and the verifier of r's
// challenge.
func (d *DevIssuer) IssueCode(r AuthRequest, subject string) string {
	code := rand.Text()
	now := time.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.codes == nil {
		d.codes = map[string]codeGrant{}
	}
	for c, g := range d.codes { // the codes never redeemed; a few at most in dev
		if now.After(g.expires) {
			delete(d.codes, c)
		}
	}
	d.codes[code] = codeGrant{AuthRequest: r, subject: subject, expires: now.Add(codeTTL)}
	return code
}

// redeem takes code's grant out: a code is good for one try, right or wrong.
func (d *DevIssuer) redeem(code string) (codeGrant, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	g, ok := d.codes[code]
	delete(d.codes, code)
	return g, ok && time.Now().Before(g.expires)
}

// TokenResponse is the token endpoint's answer (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3).
// Both tokens are JWTs of the issuer: the access token is Mint's, for the API; the ID token's
// audience is the client, and it carries the authorization request's nonce.
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	IDToken     string `json:"id_token,omitempty"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
}

// tokenError is the token endpoint's refusal (RFC 6749 §5.2).
type tokenError struct {
	Code        string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// ServeToken is the token endpoint: a form-encoded token request (RFC 6749 §4.1.3) with the
// PKCE code_verifier; the client authenticates with HTTP Basic or client_id in the form. It
// answers TokenResponse, or a tokenError with 400 (401 for invalid_client).
func (d *DevIssuer) ServeToken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	answer := func(status int, body any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(body)
	}
	refuse := func(code, description string) { answer(http.StatusBadRequest, tokenError{code, description}) }

	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		refuse("invalid_request", "the body is not a form (application/x-www-form-urlencoded) of at most 64 KiB")
		return
	}
	form := r.PostForm
	for name, vs := range form {
		if len(vs) > 1 {
			refuse("invalid_request", name+" is given more than once")
			return
		}
	}
	switch form.Get("grant_type") {
	case "authorization_code":
	case "client_credentials":
		d.clientCredentials(w, r, form, answer, refuse)
		return
	case "":
		refuse("invalid_request", "grant_type is missing")
		return
	default:
		refuse("unsupported_grant_type", "only authorization_code and client_credentials are supported")
		return
	}
	client := form.Get("client_id")
	if id, _, ok := r.BasicAuth(); ok {
		// RFC 6749 §2.3.1: the client ID is form-encoded before it goes into the header.
		unescaped, err := url.QueryUnescape(id)
		if err != nil || (client != "" && client != unescaped) {
			refuse("invalid_request", "the client is named twice, differently")
			return
		}
		client = unescaped
	}
	if client != d.Audience {
		w.Header().Set("WWW-Authenticate", `Basic realm="skolflow dev"`)
		answer(http.StatusUnauthorized, tokenError{"invalid_client", "not a client of this issuer"})
		return
	}
	code, redirectURI, verifier := form.Get("code"), form.Get("redirect_uri"), form.Get("code_verifier")
	for _, name := range []string{"code", "redirect_uri", "code_verifier"} {
		if form.Get(name) == "" {
			refuse("invalid_request", name+" is missing")
			return
		}
	}
	if !isVerifier(verifier) {
		refuse("invalid_request", "code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~")
		return
	}
	g, ok := d.redeem(code)
	switch {
	case !ok:
		refuse("invalid_grant", "the code is unknown, expired or already used")
		return
	case g.ClientID != client:
		refuse("invalid_grant", "the code was issued to another client")
		return
	case g.RedirectURI != redirectURI:
		refuse("invalid_grant", "redirect_uri is not the authorization request's")
		return
	case subtle.ConstantTimeCompare([]byte(oauth2.S256ChallengeFromVerifier(verifier)), []byte(g.CodeChallenge)) != 1:
		refuse("invalid_grant", "code_verifier does not match the code_challenge")
		return
	}
	access, _, err := d.Mint(g.subject)
	if err != nil {
		answer(http.StatusInternalServerError, tokenError{"server_error", ""})
		return
	}
	now := time.Now()
	id, err := d.sign(d.claims(g.subject, g.ClientID, now, now.Add(d.TTL)), map[string]any{"nonce": g.Nonce})
	if err != nil {
		answer(http.StatusInternalServerError, tokenError{"server_error", ""})
		return
	}
	answer(http.StatusOK, TokenResponse{AccessToken: access, IDToken: id, TokenType: "Bearer", ExpiresIn: int64(d.TTL / time.Second)})
}

// redirectProblem says what is wrong with a redirect URI, or "". The dev issuer sends the
// browser to any host: it signs in demo users only.
func redirectProblem(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case len(raw) > 2048:
		return "is longer than 2048 characters"
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return "must be an absolute http or https URL"
	case u.User != nil:
		return "must not hold a user name or password"
	case strings.Contains(raw, "#"):
		return "must not have a fragment"
	}
	return ""
}

// visibleASCII reports whether s has 1 to max characters, each printable ASCII (RFC 6749's VSCHAR).
func visibleASCII(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// isS256Challenge reports whether s is the base64url (unpadded) of a SHA-256 hash.
func isS256Challenge(s string) bool {
	return len(s) == 43 && strings.Trim(s, base64URL) == ""
}

// isVerifier reports whether s is a PKCE code verifier (RFC 7636 §4.1).
func isVerifier(s string) bool {
	return len(s) >= 43 && len(s) <= 128 && strings.Trim(s, base64URL+".~") == ""
}

const base64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
