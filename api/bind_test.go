package api

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// bindBody binds body into v as a handler would, and answers the fields it named.
func bindBody(t *testing.T, body string, v any) []string {
	t.Helper()
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("PUT", "/", strings.NewReader(body))
	bad, err := Bind(c, v)
	if err != nil {
		t.Fatalf("bind(%q): %v", body, err)
	}
	var named []string
	for _, f := range bad {
		named = append(named, f.Field+": "+f.Detail)
	}
	return named
}

func TestBindNamesTextThatIsNotPlainAtAnyDepth(t *testing.T) {
	type item struct {
		Note string `json:"note"`
	}
	var in struct {
		Reason string            `json:"reason"`
		Items  []item            `json:"items"`
		Extra  map[string]any    `json:"extra"`
		Codes  map[string]string `json:"codes"`
	}
	got := bindBody(t, "{\"reason\": \"a\\u0000b\", \"items\": [{\"note\": \"ok\"}, {\"note\": \"\xff\"}],"+
		" \"extra\": {\"deep\": [\"\\u0000\"]}, \"codes\": {\"a\": \"b\"}}", &in)
	want := []string{
		"extra/deep/0: must not contain the NUL character (\\u0000)",
		"items/1/note: must be text in UTF-8",
		"reason: must not contain the NUL character (\\u0000)",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("named %q, want %q", got, want)
	}
}

func TestBindRefusesRequiredMembersMissingOrNull(t *testing.T) {
	type setting struct {
		Days  int     `json:"days" required:"true"`
		Email *string `json:"email" required:"nullable"`
		Note  string  `json:"note"`
	}
	for _, c := range []struct {
		body string
		want []string
	}{
		{`{}`, []string{"days: is required", "email: is required: send null for none"}},
		{`{"days": null, "email": null}`, []string{"days: is required"}},
		{`{"days": 0, "email": null}`, nil},
		{`{"days": 3, "email": "a@b.se", "note": "x"}`, nil},
	} {
		var in setting
		if got := bindBody(t, c.body, &in); !slices.Equal(got, c.want) {
			t.Errorf("%s: named %q, want %q", c.body, got, c.want)
		}
	}
}

func TestDateChecksKeepToTheAcceptedYears(t *testing.T) {
	var bad Fields
	bad.Date("day", "0000-01-01")
	bad.Date("from", "9999-12-31")
	bad.Date("to", "2026-11-30")
	start, end := "1899-12-31", "2200-12-31"
	bad.Period(&start, &end)
	var got []string
	for _, f := range bad {
		got = append(got, f.Field+": "+f.Detail)
	}
	want := []string{
		"day: must be a date from 1900-01-01 to 2200-12-31",
		"from: must be a date from 1900-01-01 to 2200-12-31",
		"startDate: must be a date from 1900-01-01 to 2200-12-31",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("named %q, want %q", got, want)
	}
}

func TestValidEmailRefusesWhatTheDatabaseRefuses(t *testing.T) {
	for s, want := range map[string]bool{
		"vh-1@skolflow.test":    true,
		"åsa.öberg@exempel.se":  true,
		"a\u2028b@exempel.se":   false, // line separator
		"a\u2029b@exempel.se":   false, // paragraph separator
		"a\u0085b@exempel.se":   false, // next line
		"a\u00a0b@exempel.se":   false, // no-break space
		"a\vb@exempel.se":       false, // vertical tab: Go's \s does not know it
		"a\x01b@exempel.se":     false,
		"a\u200bb@exempel.se":   false, // zero-width space, a format character
		"not-an-address":        false,
		"two@at@signs.se":       false,
		"spaces in@exempel.se":  false,
		"trailing@exempel.se\n": false,
	} {
		if got := validEmail(s); got != want {
			t.Errorf("validEmail(%q) = %v, want %v", s, got, want)
		}
	}
}
