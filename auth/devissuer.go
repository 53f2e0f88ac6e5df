package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// DevIssuer is the small OIDC issuer of `skolflow dev`: it holds signing keys, publishes them as
// a JWKS, and mints tokens for demo users. It exists only in dev mode.
type DevIssuer struct {
	Issuer   string // e.g. http://127.0.0.1:8080/dev/oidc
	Audience string
	TTL      time.Duration
	// Clients are the machine clients that get tokens with client credentials (RFC 6749 §4.4):
	// each client_id's secret. A token's subject is its client_id.
	Clients map[string]string

	mu    sync.Mutex
	keys  []jose.JSONWebKey    // newest first; older keys stay published so their tokens still verify
	codes map[string]codeGrant // the authorization codes not yet redeemed nor expired; see devcode.go
}

// NewDevIssuer makes an issuer with one fresh signing key.
func NewDevIssuer(issuer, audience string, ttl time.Duration) (*DevIssuer, error) {
	d := &DevIssuer{Issuer: issuer, Audience: audience, TTL: ttl}
	return d, d.Rotate()
}

// Rotate makes a new signing key; tokens signed with the old one still verify while it is
// published.
func (d *DevIssuer) Rotate() error {
	// RS256, the algorithm every OpenID provider supports and the one a city's identity provider
	// signs with in practice; its signatures also verify faster than ES256's, on every request.
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	kid := make([]byte, 8)
	_, _ = rand.Read(kid)
	k := jose.JSONWebKey{Key: priv, KeyID: hex.EncodeToString(kid), Algorithm: string(jose.RS256), Use: "sig"}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.keys = append([]jose.JSONWebKey{k}, d.keys...)
	if len(d.keys) > 2 {
		d.keys = d.keys[:2]
	}
	return nil
}

// Mint signs a token for subject with the newest key: an access token for the API (audience
// Audience).
func (d *DevIssuer) Mint(subject string) (string, time.Time, error) {
	now := time.Now()
	exp := now.Add(d.TTL)
	tok, err := d.sign(d.claims(subject, d.Audience, now, exp))
	return tok, exp, err
}

// claims are the registered claims of a token for subject and audience.
func (d *DevIssuer) claims(subject, audience string, now, exp time.Time) jwt.Claims {
	return jwt.Claims{
		Issuer:   d.Issuer,
		Subject:  subject,
		Audience: jwt.Audience{audience},
		IssuedAt: jwt.NewNumericDate(now),
		Expiry:   jwt.NewNumericDate(exp),
	}
}

// sign serializes a JWT of every claims given (each a struct or map, merged) with the newest key.
func (d *DevIssuer) sign(claims ...any) (string, error) {
	d.mu.Lock()
	key := d.keys[0]
	d.mu.Unlock()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", key.KeyID))
	if err != nil {
		return "", err
	}
	b := jwt.Signed(signer)
	for _, c := range claims {
		b = b.Claims(c)
	}
	return b.Serialize()
}

// JWKS is the public half of every published key.
func (d *DevIssuer) JWKS() jose.JSONWebKeySet {
	d.mu.Lock()
	defer d.mu.Unlock()
	var set jose.JSONWebKeySet
	for _, k := range d.keys {
		set.Keys = append(set.Keys, k.Public())
	}
	return set
}

// Discovery is the issuer's OpenID configuration document. Its endpoints are served under the
// issuer's URL: the sign-in page (authorize), the token endpoint, and the end of a session
// (logout).
func (d *DevIssuer) Discovery() map[string]any {
	return map[string]any{
		"issuer":                                d.Issuer,
		"jwks_uri":                              d.Issuer + "/jwks.json",
		"authorization_endpoint":                d.Issuer + "/authorize",
		"token_endpoint":                        d.Issuer + "/token",
		"end_session_endpoint":                  d.Issuer + "/logout",
		"response_types_supported":              []string{"code"},
		"grant_types_supported":                 []string{"authorization_code", "client_credentials"},
		"code_challenge_methods_supported":      []string{"S256"},
		"scopes_supported":                      []string{"openid"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post", "none"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
	}
}
