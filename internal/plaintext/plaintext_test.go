package plaintext_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/skolflow/skolflow/internal/plaintext"
)

func TestWalkNamesEveryStringThatIsNotPlainText(t *testing.T) {
	cases := []struct {
		name, raw string
		want      []string // field: detail
	}{
		{"plain text", `{"a": "Å ä ö \\u0000 as written", "b": [1, true, null], "c": {"d": "e"}}`, nil},
		{"a NUL at the top", `{"a": "x\u0000y"}`, []string{"/a: must not contain the NUL character (\\u0000)"}},
		{"bytes that are not UTF-8", "{\"a\": \"x\xffy\"}", []string{"/a: must be text in UTF-8"}},
		{"nested in objects and arrays", `{"a": [{"b": "ok"}, {"b": "\u0000"}], "c": {"d": {"e": "\u0000"}}}`,
			[]string{"/a/1/b: must not contain the NUL character (\\u0000)", "/c/d/e: must not contain the NUL character (\\u0000)"}},
		{"a member name with a NUL", `{"a": {"b\u0000": 1}}`, []string{"/a: has a member name with the NUL character (\\u0000)"}},
		{"a member name that is not UTF-8", "{\"a\": {\"b\xfe\": 1}}", []string{"/a: has a member name that is not text in UTF-8"}},
		{"an escaped backslash before u0000 is text", `{"a": "\\u0000"}`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			plaintext.Walk([]byte(c.raw), "", func(field, detail string) { got = append(got, field+": "+detail) })
			if !slices.Equal(got, c.want) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestProblemAndTooLong(t *testing.T) {
	if d := plaintext.Problem("Tandläkarbesök"); d != "" {
		t.Errorf("plain text: %q", d)
	}
	if d := plaintext.Problem("a\x00b"); d == "" {
		t.Error("a NUL passed")
	}
	if d := plaintext.Problem("a\xffb"); d == "" {
		t.Error("bytes that are not UTF-8 passed")
	}
	// Characters, not bytes: 1000 å are 2000 bytes and still fit.
	if d := plaintext.TooLong(strings.Repeat("å", 1000), 1000); d != "" {
		t.Errorf("1000 characters at most 1000: %q", d)
	}
	if d := plaintext.TooLong(strings.Repeat("a", 1001), 1000); d != "must be at most 1000 characters" {
		t.Errorf("1001 characters: %q", d)
	}
}
