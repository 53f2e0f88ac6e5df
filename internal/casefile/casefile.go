// Package casefile renders a case as a readable PDF for the Schools Inspectorate and the family:
// a title, then sections of labelled lines. The JSON export beside it carries the same facts for
// machines; this is for people, printed or read on screen.
package casefile

import (
	"bytes"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"
)

// File is a case as it is printed.
type File struct {
	Title    string
	Subtitle string    // e.g. who exported it and when
	Created  time.Time // when it was exported: the PDF's creation date
	Sections []Section
}

// Section is a heading and its lines.
type Section struct {
	Heading string
	Lines   []Line
}

// Line is a label and its text; a line without a label is a paragraph.
type Line struct {
	Label, Text string
}

// PDF renders the file as an A4 PDF. The core fonts hold Western European text (Windows-1252):
// Swedish and English print as written; a character outside it prints as a question mark.
func (f File) PDF() ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(f.Title, true)
	pdf.SetCreator("Skolflow", true)
	// The same file prints to the same bytes.
	pdf.SetCreationDate(f.Created.UTC())
	pdf.SetModificationDate(f.Created.UTC())
	pdf.SetCatalogSort(true)
	pdf.SetMargins(18, 18, 18)
	pdf.SetAutoPageBreak(true, 18)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.AliasNbPages("{pages}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(0, 5, tr(fmt.Sprintf("%s  %d/{pages}", f.Title, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 16)
	pdf.MultiCell(0, 8, tr(f.Title), "", "L", false)
	if f.Subtitle != "" {
		pdf.SetFont("Helvetica", "", 9)
		pdf.MultiCell(0, 5, tr(f.Subtitle), "", "L", false)
	}
	for _, s := range f.Sections {
		pdf.Ln(4)
		pdf.SetFont("Helvetica", "B", 12)
		pdf.MultiCell(0, 7, tr(s.Heading), "", "L", false)
		for _, l := range s.Lines {
			if l.Label != "" {
				pdf.SetFont("Helvetica", "B", 9)
				pdf.MultiCell(0, 5, tr(l.Label), "", "L", false)
			}
			pdf.SetFont("Helvetica", "", 10)
			pdf.MultiCell(0, 5, tr(l.Text), "", "L", false)
		}
	}
	var b bytes.Buffer
	err := pdf.Output(&b)
	return b.Bytes(), err
}

// Namer answers a function that names a person by their id from names (id: given and family
// name), and by the id itself where names has none.
func Namer(names map[string]string) func(id string) string {
	return func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		return id
	}
}
