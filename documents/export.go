package documents

import (
	"context"
	"fmt"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/casefile"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// Dossier is a document as it is exported: its versions as the reader may see them (a guardian
// the signed ones), with their signatures and hashes, and its chain verified at export. A case
// of another area (a support case) exports its documents as dossiers beside its own record.
type Dossier struct {
	Document     Document     `json:"document"`
	Verification Verification `json:"verification"`
}

// Dossier answers the document as a dossier; with signedOnly, with its signed versions alone.
func (s Store) Dossier(ctx context.Context, id string, signedOnly bool) (Dossier, error) {
	d, err := s.Document(ctx, id, signedOnly)
	if err != nil {
		return Dossier{}, err
	}
	links, err := s.Chain(ctx, id)
	return Dossier{Document: d, Verification: Verify(links)}, err
}

// People answers the people the dossier names: its pupil, whom every reader of the document may
// know, and the staff who drafted and signed the versions the reader sees.
func (d Dossier) People() []string {
	people := []string{d.Document.Pupil}
	for _, v := range d.Document.Versions {
		people = append(people, v.DraftedBy)
		if v.SignedBy != nil {
			people = append(people, *v.SignedBy)
		}
	}
	return people
}

// Sections is the dossier as it is printed, each person named by name: the chain's
// verification, then each version.
func (d Dossier) Sections(name func(id string) string) []casefile.Section {
	chain := "Every signed version is as it was signed, and each follows the one before it."
	if !d.Verification.Valid {
		chain = fmt.Sprintf("Version %d fails: %s.", *d.Verification.FailedVersion, d.Verification.Reason)
	}
	title := KindTitle(d.Document.Kind)
	out := []casefile.Section{{Heading: title + ": the chain of signed versions", Lines: []casefile.Line{
		{Label: "Document", Text: d.Document.ID},
		{Label: "Verified at export", Text: chain},
		{Label: "Signed versions", Text: fmt.Sprint(d.Verification.SignedVersions)},
	}}}
	for _, v := range d.Document.Versions {
		s := casefile.Section{Heading: fmt.Sprintf("%s: version %d", title, v.Version)}
		for _, field := range Kinds[d.Document.Kind].Fields {
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
		out = append(out, s)
	}
	return out
}

// Export is a document as it is exported for the Schools Inspectorate or the family, with the
// names of the people it names.
type Export struct {
	Dossier
	Names      map[string]string `json:"names"` // person id: given and family name
	ExportedAt time.Time         `json:"exportedAt"`
	ExportedBy string            `json:"exportedBy"`
}

// export answers the document as JSON, or, with format=pdf, as a readable PDF.
func (h handlers) export(c *gin.Context) {
	const op = "documents.export"
	v := api.ViewerOf(c)
	d, err := h.store.Dossier(c, c.Param("documentId"), !drafter(v))
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	names, err := register.FullNames(c, h.env.DB, append(d.People(), v.PersonID)) // a person named twice is answered once
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	out := Export{Dossier: d, Names: names, ExportedAt: time.Now().UTC().Truncate(time.Second), ExportedBy: v.PersonID}
	api.Export(c, op, "document-"+d.Document.ID, out, out.File)
}

// File is the export as it is printed.
func (e Export) File() casefile.File {
	name := casefile.Namer(e.Names)
	return casefile.File{
		Title:    fmt.Sprintf("%s: %s", KindTitle(e.Document.Kind), name(e.Document.Pupil)),
		Subtitle: fmt.Sprintf("Document %s. Exported %s by %s.", e.Document.ID, e.ExportedAt.Format(time.RFC3339), name(e.ExportedBy)),
		Created:  e.ExportedAt,
		Sections: e.Sections(name),
	}
}

// KindTitle is a kind's name as a reader knows it, with the law's term.
func KindTitle(kind string) string { return kindTitle[kind] }

var kindTitle = map[string]string{
	"pedagogical-assessment": "Pedagogical assessment (pedagogisk bedömning)",
	"investigation":          "Investigation of the need for special support (utredning)",
	"action-programme":       "Action programme (åtgärdsprogram)",
	"no-programme-decision":  "Decision not to draw up an action programme",
	"incident-report":        "Report of degrading treatment (kränkande behandling)",
}
