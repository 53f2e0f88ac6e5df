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
	bad, err := bind(c, v)
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
