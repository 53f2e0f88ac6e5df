// Package auth signs users in: it verifies OIDC/JWT bearer tokens against the issuer's JWKS, and
// in dev mode runs a small issuer of its own. Verification takes the same path in both.
package auth

import (
	"context"
	"crypto/sha256"
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
//
// A token that verified is remembered until it expires: a client sends the same token with every
// request for as long as it lives, and its signature, issuer and audience cannot change, so only
// its expiry is checked again. This halves the CPU of a cheap read (an RS256 signature costs
// 100 µs here). Tokens are kept by their SHA-256, never as text.
type Verifier struct {
	issuer, audience string
	now              func() time.Time

	mu       sync.Mutex
	verifier *oidc.IDTokenVerifier

	seenMu sync.RWMutex
	seen   map[[sha256.Size]byte]verified
}

// verified is a token that verified: its subject, until it expires.
type verified struct {
	subject string
	expiry  time.Time
}

// maxSeen bounds the tokens remembered: more than a city's people signed in at once. When it is
// reached the expired ones go, and if none has, all of them (they verify again on their next use).
const maxSeen = 1 << 18

// NewVerifier verifies tokens of issuer for audience. The issuer's discovery document is read on
// first use, so the API can start before the issuer answers (in dev mode it is the API itself).
func NewVerifier(issuer, audience string) *Verifier {
	return &Verifier{issuer: strings.TrimSuffix(issuer, "/"), audience: audience, now: time.Now,
		seen: map[[sha256.Size]byte]verified{}}
}

// ErrInvalidToken is returned for any token that does not verify; the reason is in the chain
// for the log, never for the caller.
var ErrInvalidToken = errors.New("invalid token")

// Verify returns the token's subject.
func (v *Verifier) Verify(ctx context.Context, raw string) (string, error) {
	key := sha256.Sum256([]byte(raw))
	v.seenMu.RLock()
	known, ok := v.seen[key]
	v.seenMu.RUnlock()
	if ok && v.now().Before(known.expiry) {
		return known.subject, nil
	}
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
	v.remember(key, verified{subject: tok.Subject, expiry: tok.Expiry})
	return tok.Subject, nil
}

// remember keeps a verified token until its expiry, within maxSeen.
func (v *Verifier) remember(key [sha256.Size]byte, t verified) {
	v.seenMu.Lock()
	defer v.seenMu.Unlock()
	if len(v.seen) >= maxSeen {
		now := v.now()
		for k, s := range v.seen {
			if !now.Before(s.expiry) {
				delete(v.seen, k)
			}
		}
		if len(v.seen) >= maxSeen {
			clear(v.seen)
		}
	}
	v.seen[key] = t
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
	v.verifier = p.Verifier(&oidc.Config{ClientID: v.audience, SupportedSigningAlgs: []string{"RS256", "ES256"}, Now: v.now})
	return v.verifier, nil
}
