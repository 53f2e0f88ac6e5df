package casefile

import (
	"bytes"
	"strings"
	"testing"
)

// A file renders to a PDF, the same bytes each time, however long its text.
func TestAFileRendersToAPDF(t *testing.T) {
	f := File{Title: "Åtgärdsprogram", Subtitle: "Exporterad", Sections: []Section{
		{Heading: "Version 1", Lines: []Line{{Label: "Behov", Text: "Läsförståelse"}, {Text: strings.Repeat("Lång text. ", 2000)}}}}}
	a, err := f.PDF()
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.PDF()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(a, []byte("%PDF-")) || !bytes.Equal(a, b) {
		t.Fatalf("not a stable PDF: %q…", a[:min(len(a), 16)])
	}
}
