package documents

import (
	"fmt"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/casefile"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// Export is a document as it is exported for the Schools Inspectorate or the family: its
// versions as the reader may see them (a guardian the signed ones), with their signatures and
// hashes, the chain verified at export, and the names of the people it names.
type Export struct {
	Document     Document          `json:"document"`
	Verification Verification      `json:"verification"`
	Names        map[string]string `json:"names"` // person id: given and family name
	ExportedAt   time.Time         `json:"exportedAt"`
	ExportedBy   string            `json:"exportedBy"`
}

// export answers the document as JSON, or, with format=pdf, as a readable PDF.
func (h handlers) export(c *gin.Context) {
	const op = "documents.export"
	v := api.ViewerOf(c)
	id := c.Param("documentId")
	d, err := h.store.Document(c, id, !drafter(v))
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	links, err := h.store.Chain(c, id)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	// The pupil, whom every reader of the document may know, and the staff who drafted and
	// signed the versions the reader sees.
	people := []string{d.Pupil, v.PersonID}
	for _, ver := range d.Versions {
		people = append(people, ver.DraftedBy)
		if ver.SignedBy != nil {
			people = append(people, *ver.SignedBy)
		}
	}
	names, err := register.FullNames(c, h.env.DB, people) // a person named twice is answered once
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	out := Export{Document: d, Verification: Verify(links), Names: names, ExportedAt: time.Now().UTC().Truncate(time.Second), ExportedBy: v.PersonID}
	api.Export(c, op, "document-"+d.ID, out, out.File)
}

// File is the export as it is printed.
func (e Export) File() casefile.File {
	d, name := e.Document, func(id string) string {
		if n, ok := e.Names[id]; ok {
			return n
		}
		return id
	}
	f := casefile.File{
		Title:    fmt.Sprintf("%s: %s", kindTitle[d.Kind], name(d.Pupil)),
		Subtitle: fmt.Sprintf("Document %s. Exported %s by %s.", d.ID, e.ExportedAt.Format(time.RFC3339), name(e.ExportedBy)),
		Created:  e.ExportedAt,
	}
	chain := "Every signed version is as it was signed, and each follows the one before it."
	if !e.Verification.Valid {
		chain = fmt.Sprintf("Version %d fails: %s.", *e.Verification.FailedVersion, e.Verification.Reason)
	}
	f.Sections = append(f.Sections, casefile.Section{Heading: "The chain of signed versions", Lines: []casefile.Line{
		{Label: "Verified at export", Text: chain},
		{Label: "Signed versions", Text: fmt.Sprint(e.Verification.SignedVersions)},
	}})
	for _, v := range d.Versions {
		s := casefile.Section{Heading: fmt.Sprintf("Version %d", v.Version)}
		for _, field := range Kinds[d.Kind].Fields {
			s.Lines = append(s.Lines, casefile.Line{Label: field, Text: v.Fields[field]})
		}
		if v.Text != "" {
			s.Lines = append(s.Lines, casefile.Line{Label: "text", Text: v.Text})
		}
		s.Lines = append(s.Lines, casefile.Line{Label: "Drafted", Text: name(v.DraftedBy) + ", " + v.DraftedAt.UTC().Format(time.RFC3339)})
		if v.Signed {
			s.Lines = append(s.Lines,
				casefile.Line{Label: "Signed", Text: name(*v.SignedBy) + ", " + v.SignedAt.UTC().Format(time.RFC3339)},
				casefile.Line{Label: "SHA-256", Text: *v.SHA256})
			if v.Previous != nil {
				s.Lines = append(s.Lines, casefile.Line{Label: "SHA-256 of the version before", Text: *v.Previous})
			}
		} else {
			s.Lines = append(s.Lines, casefile.Line{Label: "Signed", Text: "not yet: a draft"})
		}
		f.Sections = append(f.Sections, s)
	}
	return f
}

// kindTitle is each kind's name as a reader knows it, with the law's term.
var kindTitle = map[string]string{
	"pedagogical-assessment": "Pedagogical assessment (pedagogisk bedömning)",
	"investigation":          "Investigation of the need for special support (utredning)",
	"action-programme":       "Action programme (åtgärdsprogram)",
	"no-programme-decision":  "Decision not to draw up an action programme",
	"incident-report":        "Report of degrading treatment (kränkande behandling)",
}
