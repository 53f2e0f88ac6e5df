package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// A token that verified is answered again from memory until it expires, and then refused like
// any expired token; a token changed by one character is its own token and does not verify.
func TestARememberedTokenStillExpires(t *testing.T) {
	_, d := devServer(t, "vh-1@skolflow.test")
	now := time.Now()
	v := NewVerifier(d.Issuer, d.Audience)
	v.now = func() time.Time { return now }
	tok, exp, err := d.Mint("vh-1@skolflow.test")
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if sub, err := v.Verify(context.Background(), tok); err != nil || sub != "vh-1@skolflow.test" {
			t.Fatalf("a fresh token: %q, %v", sub, err)
		}
	}
	if n := len(v.seen); n != 1 {
		t.Fatalf("%d tokens remembered, want 1", n)
	}
	head, rest, _ := strings.Cut(tok, ".")
	if _, err := v.Verify(context.Background(), head+"."+strings.ToUpper(rest[:1])+rest[1:]); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("a changed token: %v, want refused", err)
	}
	now = exp.Add(time.Second)
	if sub, err := v.Verify(context.Background(), tok); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("the remembered token after its expiry: %q, %v, want refused", sub, err)
	}
}
