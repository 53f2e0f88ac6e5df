// Package auth signs users in: it verifies OIDC/JWT bearer tokens against the issuer's JWKS, and
// in dev mode runs a small issuer of its own. Verification takes the same path in both.
package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// Verifier checks bearer tokens: signature against the issuer's published keys (fetched from its
// JWKS, and fetched again when a token names a key not seen before, so key rotation works),
// issuer, audience and expiry.
type Verifier struct {
	issuer, audience string

	mu       sync.Mutex
	verifier *oidc.IDTokenVerifier
}

// NewVerifier verifies tokens of issuer for audience. The issuer's discovery document is read on
// first use, so the API can start before the issuer answers (in dev mode it is the API itself).
func NewVerifier(issuer, audience string) *Verifier {
	return &Verifier{issuer: strings.TrimSuffix(issuer, "/"), audience: audience}
}

// ErrInvalidToken is returned for any token that does not verify; the reason is in the chain
// for the log, never for the caller.
var ErrInvalidToken = errors.New("invalid token")

// Verify returns the token's subject.
func (v *Verifier) Verify(ctx context.Context, raw string) (string, error) {
	iv, err := v.get(ctx)
	if err != nil {
		return "", err
	}
	tok, err := iv.Verify(ctx, raw)
	if err != nil {
		return "", errors.Join(ErrInvalidToken, err)
	}
	if tok.Subject == "" {
		return "", errors.Join(ErrInvalidToken, errors.New("no subject"))
	}
	return tok.Subject, nil
}

func (v *Verifier) get(ctx context.Context) (*oidc.IDTokenVerifier, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.verifier != nil {
		return v.verifier, nil
	}
	// The provider keeps this context to fetch keys for as long as it lives, so it must never be
	// cancelled; its HTTP client gives up on an issuer that does not answer, so sign-in fails fast
	// instead of hanging every request.
	client := &http.Client{Timeout: 10 * time.Second}
	p, err := oidc.NewProvider(oidc.ClientContext(context.WithoutCancel(ctx), client), v.issuer)
	if err != nil {
		return nil, err
	}
	v.verifier = p.Verifier(&oidc.Config{ClientID: v.audience, SupportedSigningAlgs: []string{"RS256", "ES256"}})
	return v.verifier, nil
}
