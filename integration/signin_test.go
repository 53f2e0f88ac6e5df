package integration

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/auth"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/register"
)

// Tokens are checked for signature, issuer, audience and expiry; every failure is a 401 problem
// with a WWW-Authenticate challenge, and says nothing about why beyond that.
func TestSignInRefusesBadTokens(t *testing.T) {
	s := newStack(t)
	subject := "vh-1@" + demo.UserDomain
	good, _, err := s.issuer.Mint(subject)
	if err != nil {
		t.Fatal(err)
	}
	mint := func(issuer, audience string, ttl time.Duration) string {
		i, err := auth.NewDevIssuer(issuer, audience, ttl)
		if err != nil {
			t.Fatal(err)
		}
		tok, _, err := i.Mint(subject)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	s.issuer.TTL = -time.Minute
	expired, _, _ := s.issuer.Mint(subject)
	s.issuer.TTL = time.Hour
	parts := strings.Split(good, ".")
	cases := map[string]string{
		"no token":           "",
		"not a JWT":          "hello",
		"expired":            expired,
		"another issuer":     mint("http://127.0.0.1:1/other", "skolflow", time.Hour),
		"another audience":   mint(s.issuer.Issuer, "someone-else", time.Hour),
		"an unknown key":     mint(s.issuer.Issuer, "skolflow", time.Hour), // same issuer name, its own key
		"a tampered payload": parts[0] + "." + strings.TrimRight(parts[1], "=") + "x." + parts[2],
		"a subject not in the register": func() string {
			tok, _, _ := s.issuer.Mint("nobody@" + demo.UserDomain)
			return tok
		}(),
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			s.token = tok
			var p api.Problem
			res := s.do("GET", "/api/v1/me", nil, &p)
			if res.StatusCode != http.StatusUnauthorized || p.Type != "urn:skolflow:problem:unauthenticated" {
				t.Fatalf("status %d, problem %+v; want 401", res.StatusCode, p)
			}
			if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("no Bearer challenge: %q", res.Header.Get("WWW-Authenticate"))
			}
		})
	}
	s.token = good
	if res := s.do("GET", "/api/v1/me", nil, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("a good token: %d", res.StatusCode)
	}
}

// After the issuer rotates its key, tokens signed with the new key verify (the API fetches the
// JWKS again for a key it has not seen) and tokens signed with the old one still do while it is
// published.
func TestKeyRotation(t *testing.T) {
	s := newStack(t).as("vh-1")
	before := s.token
	if res := s.do("GET", "/api/v1/me", nil, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("before rotation: %d", res.StatusCode)
	}
	if err := s.issuer.Rotate(); err != nil {
		t.Fatal(err)
	}
	s.as("vh-1")
	if s.token == before {
		t.Fatal("the token did not change")
	}
	if res := s.do("GET", "/api/v1/me", nil, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("a token signed with the new key: %d", res.StatusCode)
	}
	s.token = before
	if res := s.do("GET", "/api/v1/me", nil, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("a token signed with the previous key: %d", res.StatusCode)
	}
}

// The dev endpoints list the demo users and mint tokens for them only.
func TestDevUsersAndTokens(t *testing.T) {
	s := newStack(t)
	var users []api.DevUser
	if res := s.do("GET", "/dev/users", nil, &users); res.StatusCode != http.StatusOK {
		t.Fatalf("GET /dev/users: %d", res.StatusCode)
	}
	roles := map[string]string{}
	for _, u := range users {
		for _, r := range u.Roles {
			roles[u.User] += r.Role + "@" + r.School + ";"
		}
	}
	if !strings.Contains(roles["rektor-a"], "Rektor@Ekbackens skola") || !strings.Contains(roles["vh-4"], "Vårdnadshavare@Björkdalens skola") {
		t.Errorf("roles = %v", roles)
	}
	var tok api.DevToken
	if res := s.do("POST", "/dev/token", api.DevTokenRequest{User: "rektor-b"}, &tok); res.StatusCode != http.StatusOK || tok.TokenType != "Bearer" {
		t.Fatalf("POST /dev/token: %d %+v", res.StatusCode, tok)
	}
	s.token = tok.AccessToken
	if me := get[register.Me](s, "/api/v1/me"); me.ID != s.id("rektor-b") || len(me.Duties) != 1 || me.Duties[0].DutyRole != "Rektor" {
		t.Errorf("me = %+v, want rektor-b with one Rektor duty", me)
	}
	s.token = ""
	var p api.Problem
	if res := s.do("POST", "/dev/token", api.DevTokenRequest{User: "mallory"}, &p); res.StatusCode != 422 || p.Errors[0].Field != "user" {
		t.Fatalf("a token for a user who is not in the register: %d %+v", res.StatusCode, p)
	}
}
