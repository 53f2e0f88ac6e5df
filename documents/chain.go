package documents

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// The hash chain. A signed version's hash is the SHA-256 of the previous signed version's hash
// and the version's canonical form; the first version's previous hash is empty. Changing any
// signed version, or taking one out, breaks the hash of that version or the link of the next.

// Sealed is a version as its hash covers it: what it says and about whom, who drafted and who
// signed it, and when it was signed.
type Sealed struct {
	DocumentID string            `json:"documentId"`
	Version    int               `json:"version"`
	Kind       string            `json:"kind"`
	Pupil      string            `json:"pupil"`
	SchoolUnit string            `json:"schoolUnit"`
	Fields     map[string]string `json:"fields"`
	Text       string            `json:"text"`
	DraftedBy  string            `json:"draftedBy"`
	SignedBy   string            `json:"signedBy"`
	SignedAt   string            `json:"signedAt"` // SignedAtText
}

// Canonical is the version's canonical form: JSON with its members in the order of Sealed, the
// fields' names sorted by their bytes, no insignificant white space, and characters escaped only
// where JSON requires it (not <, > or &). The same version always gives the same bytes.
func Canonical(v Sealed) []byte {
	if v.Fields == nil {
		v.Fields = map[string]string{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("documents: a version of strings does not encode: " + err.Error()) // cannot happen
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// Hash is the version's hash in the chain after previous (the previous signed version's hash,
// "" for the first): hex SHA-256 of previous, a newline, and the canonical form.
func Hash(previous string, v Sealed) string {
	h := sha256.New()
	h.Write([]byte(previous))
	h.Write([]byte("\n"))
	h.Write(Canonical(v))
	return hex.EncodeToString(h.Sum(nil))
}

// SignedAtText is a signing time as the canonical form holds it: UTC, to the microsecond that
// PostgreSQL keeps.
func SignedAtText(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// Link is a signed version as it is stored: what was sealed, the previous hash it was chained
// to, and its own hash.
type Link struct {
	Sealed
	Previous string
	Hash     string
}

// Verification answers whether a document's signed versions are as they were signed.
type Verification struct {
	Valid          bool `json:"valid"`
	SignedVersions int  `json:"signedVersions"`
	// FailedVersion is the first version that is not as signed, or whose link to the version
	// before it is broken; null when the chain holds.
	FailedVersion *int   `json:"failedVersion"`
	Reason        string `json:"reason,omitempty"`
}

// Verify recomputes the chain of a document's signed versions, in order.
func Verify(links []Link) Verification {
	previous := ""
	for i, l := range links {
		reason := ""
		switch {
		case l.Version != i+1:
			reason = "a signed version is missing before this one"
		case l.Previous != previous:
			reason = "the version does not follow the version before it"
		case Hash(previous, l.Sealed) != l.Hash:
			reason = "the version is not as it was signed"
		}
		if reason != "" {
			n := l.Version
			return Verification{SignedVersions: len(links), FailedVersion: &n, Reason: reason}
		}
		previous = l.Hash
	}
	return Verification{Valid: true, SignedVersions: len(links)}
}
