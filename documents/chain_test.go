package documents

import (
	"strings"
	"testing"
	"time"
)

func sealed(n int, text string) Sealed {
	return Sealed{DocumentID: "6f1c2f8e-0000-4000-8000-000000000001", Version: n, Kind: "action-programme",
		Pupil: "p", SchoolUnit: "s", Fields: map[string]string{"need": "Läsning", "measures": "<b>Stöd</b> & tid"},
		Text: text, DraftedBy: "a", SignedBy: "r", SignedAt: SignedAtText(time.Date(2026, 12, 1, 8, 30, 0, 123456789, time.FixedZone("CET", 3600)))}
}

// The canonical form is fixed: members in order, field names sorted, no HTML escaping, the
// signing time in UTC to the microsecond.
func TestTheCanonicalForm(t *testing.T) {
	want := `{"documentId":"6f1c2f8e-0000-4000-8000-000000000001","version":1,"kind":"action-programme","pupil":"p",` +
		`"schoolUnit":"s","fields":{"measures":"<b>Stöd</b> & tid","need":"Läsning"},"text":"rad 1\nrad \"2\"",` +
		`"draftedBy":"a","signedBy":"r","signedAt":"2026-12-01T07:30:00.123456Z"}`
	if got := string(Canonical(sealed(1, "rad 1\nrad \"2\""))); got != want {
		t.Fatalf("canonical form:\n got %s\nwant %s", got, want)
	}
	if got := string(Canonical(Sealed{})); !strings.Contains(got, `"fields":{}`) {
		t.Fatalf("no fields: %s, want an empty object", got)
	}
}

// The hash is SHA-256 over the previous hash and the canonical form; any change to the version
// or to the previous hash changes it.
func TestTheHashCoversTheVersionAndThePreviousHash(t *testing.T) {
	base := Hash("", sealed(1, "x"))
	if len(base) != 64 || base != Hash("", sealed(1, "x")) {
		t.Fatalf("hash %q is not a stable hex SHA-256", base)
	}
	changes := map[string]func(*Sealed){
		"text":      func(s *Sealed) { s.Text = "y" },
		"a field":   func(s *Sealed) { s.Fields = map[string]string{"need": "Läsning", "measures": "annat"} },
		"signer":    func(s *Sealed) { s.SignedBy = "someone else" },
		"time":      func(s *Sealed) { s.SignedAt = SignedAtText(time.Date(2026, 12, 1, 8, 30, 0, 0, time.UTC)) },
		"pupil":     func(s *Sealed) { s.Pupil = "q" },
		"version":   func(s *Sealed) { s.Version = 2 },
		"drafter":   func(s *Sealed) { s.DraftedBy = "b" },
		"kind":      func(s *Sealed) { s.Kind = "investigation" },
		"the place": func(s *Sealed) { s.SchoolUnit = "t" },
	}
	for name, change := range changes {
		v := sealed(1, "x")
		change(&v)
		if Hash("", v) == base {
			t.Errorf("changing the %s keeps the hash", name)
		}
	}
	if Hash(base, sealed(1, "x")) == base {
		t.Error("the previous hash is not in the hash")
	}
}

// chain signs n versions in order.
func chain(n int) []Link {
	var links []Link
	previous := ""
	for i := 1; i <= n; i++ {
		s := sealed(i, strings.Repeat("v", i))
		h := Hash(previous, s)
		links = append(links, Link{Sealed: s, Previous: previous, Hash: h})
		previous = h
	}
	return links
}

// Verify answers the first version that is not as signed, or whose link is broken.
func TestVerifyFindsTheFirstBrokenVersion(t *testing.T) {
	if v := Verify(chain(5)); !v.Valid || v.SignedVersions != 5 || v.FailedVersion != nil {
		t.Fatalf("an intact chain: %+v", v)
	}
	if v := Verify(nil); !v.Valid || v.SignedVersions != 0 {
		t.Fatalf("no signed version: %+v", v)
	}
	cases := map[string]struct {
		change func([]Link) []Link
		failed int
		reason string
	}{
		"a text altered": {func(l []Link) []Link { l[2].Text = "altered"; return l }, 3, "not as it was signed"},
		"a hash replaced to fit": {func(l []Link) []Link {
			l[1].Text = "altered"
			l[1].Hash = Hash(l[1].Previous, l[1].Sealed)
			return l
		}, 3, "does not follow"},
		"a version taken out": {func(l []Link) []Link { return append(l[:1], l[2:]...) }, 3, "missing"},
		"the signer changed":  {func(l []Link) []Link { l[0].SignedBy = "x"; return l }, 1, "not as it was signed"},
	}
	for name, c := range cases {
		v := Verify(c.change(chain(5)))
		if v.Valid || v.FailedVersion == nil || *v.FailedVersion != c.failed || !strings.Contains(v.Reason, c.reason) {
			t.Errorf("%s: %+v, want version %d failing (%s)", name, v, c.failed, c.reason)
		}
	}
}
