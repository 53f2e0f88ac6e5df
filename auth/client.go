package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Client signs a person in through the issuer with OpenID Connect's authorization-code flow and
// PKCE: it is the relying party of the web pages. Start makes the attempt and the URL to send the
// browser to; the caller keeps the attempt (in its session, never in the URL) until the issuer
// sends the browser back with a code, and hands both to Finish.
type Client struct {
	issuer, clientID, clientSecret, redirectURL string

	mu       sync.Mutex
	provider *oidc.Provider // nil until discovery was read
	config   *oauth2.Config
	verifier *oidc.IDTokenVerifier
	http     *http.Client
}

// NewClient signs in with issuer as clientID (with clientSecret, which may be "" for a public
// client), the issuer sending the browser back to redirectURL. The issuer's discovery document is
// read on first use, so the web pages can start before the issuer answers (in dev mode it is the
// same process).
func NewClient(issuer, clientID, clientSecret, redirectURL string) *Client {
	return &Client{
		issuer: strings.TrimSuffix(issuer, "/"), clientID: clientID, clientSecret: clientSecret, redirectURL: redirectURL,
		// Every call to the issuer gives up after this, so a sign-in fails fast instead of hanging.
		http: &http.Client{Timeout: 10 * time.Second},
	}
}

// Attempt is one sign-in on its way: what the caller keeps until the browser comes back, and the
// issuer's URL to send the browser to. State, Nonce and Verifier are secrets of this attempt.
type Attempt struct {
	State    string // the browser must bring it back unchanged (the callback's "state")
	Nonce    string // the ID token must carry it; hand it to Finish
	Verifier string // the PKCE code verifier; hand it to Finish
	URL      string // the issuer's authorization URL, with the state, nonce and code challenge
}

// Start makes a new attempt: fresh random state, nonce and PKCE verifier (S256).
func (c *Client) Start(ctx context.Context) (Attempt, error) {
	cfg, _, err := c.get(ctx)
	if err != nil {
		return Attempt{}, err
	}
	a := Attempt{State: rand.Text(), Nonce: rand.Text(), Verifier: oauth2.GenerateVerifier()}
	a.URL = cfg.AuthCodeURL(a.State, oidc.Nonce(a.Nonce), oauth2.S256ChallengeOption(a.Verifier))
	return a, nil
}

// Finish exchanges the code the issuer sent the browser back with for tokens, verifies the ID
// token (signature, issuer, audience = the client ID, expiry) and that it carries the attempt's
// nonce, and returns its subject. The caller has already checked the callback's state against
// the attempt's. Any refusal, by the issuer or of its answer, wraps ErrInvalidToken; other errors
// (the issuer cannot be reached, or fails) do not.
func (c *Client) Finish(ctx context.Context, code, verifier, nonce string) (string, error) {
	cfg, iv, err := c.get(ctx)
	if err != nil {
		return "", err
	}
	tok, err := cfg.Exchange(oidc.ClientContext(ctx, c.http), code, oauth2.VerifierOption(verifier))
	if err != nil {
		var refused *oauth2.RetrieveError
		if errors.As(err, &refused) && refused.Response != nil && refused.Response.StatusCode < 500 {
			return "", errors.Join(ErrInvalidToken, err)
		}
		return "", err
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return "", errors.Join(ErrInvalidToken, errors.New("the token response has no id_token"))
	}
	id, err := iv.Verify(ctx, raw)
	if err != nil {
		return "", errors.Join(ErrInvalidToken, err)
	}
	if nonce == "" || subtle.ConstantTimeCompare([]byte(id.Nonce), []byte(nonce)) != 1 {
		return "", errors.Join(ErrInvalidToken, errors.New("the ID token's nonce is not the attempt's"))
	}
	if id.Subject == "" {
		return "", errors.Join(ErrInvalidToken, errors.New("no subject"))
	}
	return id.Subject, nil
}

// EndSessionURL is the issuer's end_session_endpoint (OpenID Connect RP-Initiated Logout), to
// send the browser to after the caller ended its own session, with postLogoutRedirect (if not
// "") for the issuer to send it back to. It is "" when the issuer publishes none, or its
// discovery document cannot be read: then signing out of the caller's session is all there is.
func (c *Client) EndSessionURL(ctx context.Context, postLogoutRedirect string) string {
	_, _, err := c.get(ctx)
	if err != nil {
		return ""
	}
	var claims struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := c.provider.Claims(&claims); err != nil || claims.EndSession == "" {
		return ""
	}
	u, err := url.Parse(claims.EndSession)
	if err != nil {
		return ""
	}
	if postLogoutRedirect != "" {
		q := u.Query()
		// client_id tells the issuer whose registered post_logout_redirect_uri this is, as
		// there is no id_token_hint.
		q.Set("client_id", c.clientID)
		q.Set("post_logout_redirect_uri", postLogoutRedirect)
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// get reads the issuer's discovery document once it answers; a failed read is tried again on
// the next call.
func (c *Client) get(ctx context.Context) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.config, c.verifier, nil
	}
	// The provider keeps this context to fetch keys for as long as it lives, so it must never be
	// cancelled (see Verifier.get).
	p, err := oidc.NewProvider(oidc.ClientContext(context.WithoutCancel(ctx), c.http), c.issuer)
	if err != nil {
		return nil, nil, err
	}
	c.provider = p
	c.config = &oauth2.Config{
		ClientID: c.clientID, ClientSecret: c.clientSecret, RedirectURL: c.redirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID},
	}
	c.verifier = p.Verifier(&oidc.Config{ClientID: c.clientID, SupportedSigningAlgs: []string{"RS256", "ES256"}})
	return c.config, c.verifier, nil
}
