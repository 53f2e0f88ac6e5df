package attendance

import (
	"strings"
	"testing"
)

// The rows are written in Go, not by html/template: every value in them must come out escaped.
func TestTheRegistersRowsEscapeEveryValue(t *testing.T) {
	evil := `"><script>x()</script>&`
	rows := []registerRow{{Index: 0, PersonID: evil, Name: evil, Status: Late, MinutesLate: evil, Note: "n",
		StatusError: evil, MinutesError: evil}}
	out := string(rowsHTML(rows, 39, rowTexts{present: evil, absent: evil, late: evil, minutes: evil, note: func(string) string { return evil }}))
	if strings.Contains(out, "<script>") || strings.Contains(out, evil) {
		t.Fatalf("a value came out unescaped:\n%s", out)
	}
	if n := strings.Count(out, "&#34;&gt;&lt;script&gt;x()&lt;/script&gt;&amp;"); n != 10 {
		t.Errorf("%d escaped values, want 10:\n%s", n, out)
	}
	for _, want := range []string{`name="registrations/0/status" value="late" checked>`, `id="registrations/0/status"`,
		`max="39"`, `aria-describedby="registrations/0/minutesLate-error"`, `aria-describedby="registrations/0/note"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the row lacks %s:\n%s", want, out)
		}
	}
}
