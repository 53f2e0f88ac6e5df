package support

import (
	"fmt"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/documents"
	"github.com/skolflow/skolflow/internal/casefile"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/store"
)

// Export is a support case as it is exported for the Schools Inspectorate or the family: the
// case, its investigation and decision as dossiers (versions, signatures, hashes, the chain
// verified), the process's history with each step's deadline and when it was met, as the reader
// may see them, and the names of the people they name. A guardian sees no draft: an
// investigation with no signed version is not in their export.
type Export struct {
	Case       Case                 `json:"case"`
	Documents  []documents.Dossier  `json:"documents"`
	Steps      []store.ProcessStep  `json:"steps"`
	History    []store.ProcessEvent `json:"history"`
	Names      map[string]string    `json:"names"` // person id: given and family name
	ExportedAt time.Time            `json:"exportedAt"`
	ExportedBy string               `json:"exportedBy"`
}

// export answers the case as JSON, or, with format=pdf, as a readable PDF.
func (h handlers) export(c *gin.Context) {
	const op = "support.export"
	v := api.ViewerOf(c)
	staff := v.Relations["case-staff"] || v.Relations["case-principal"]
	cs, err := h.store.Case(c, c.Param("caseId"), staff)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	out := Export{Case: cs, Documents: []documents.Dossier{}, ExportedAt: time.Now().UTC().Truncate(time.Second), ExportedBy: v.PersonID}
	people := []string{cs.Pupil, cs.SignalledBy, v.PersonID}
	for _, a := range cs.Appeals {
		people = append(people, a.RecordedBy)
	}
	docs := documents.Store{DB: h.env.DB}
	for _, id := range []*string{cs.Investigation, cs.Decision} {
		if id == nil {
			continue
		}
		d, err := docs.Dossier(c, *id, !staff)
		if err != nil {
			api.Abort(c, errs.E(op, err))
			return
		}
		if len(d.Document.Versions) > 0 {
			out.Documents = append(out.Documents, d)
			people = append(people, d.People()...)
		}
	}
	if out.Steps, err = store.ProcessSteps(c, h.env.DB, cs.ProcessID); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if out.History, err = api.ProcessHistory(c, h.env.DB, cs.ProcessID, v); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if out.Names, err = register.FullNames(c, h.env.DB, append(people, api.HistoryActors(out.History)...)); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	api.Export(c, op, "support-case-"+cs.ID, out, out.File)
}

// File is the export as it is printed.
func (e Export) File() casefile.File {
	cs, name := e.Case, casefile.Namer(e.Names)
	f := casefile.File{
		Title:    "Special support (särskilt stöd): " + name(cs.Pupil),
		Subtitle: fmt.Sprintf("Case %s. Exported %s by %s.", cs.ID, e.ExportedAt.Format(time.RFC3339), name(e.ExportedBy)),
		Created:  e.ExportedAt,
	}
	theCase := casefile.Section{Heading: "The case", Lines: []casefile.Line{
		{Label: "Signalled", Text: name(cs.SignalledBy) + ", " + cs.SignalledAt.UTC().Format(time.RFC3339)},
	}}
	if cs.Concern != nil {
		theCase.Lines = append(theCase.Lines, casefile.Line{Label: "Concern", Text: *cs.Concern})
	}
	if cs.DecidedAt != nil {
		theCase.Lines = append(theCase.Lines, casefile.Line{Label: "Decided", Text: cs.DecidedAt.UTC().Format(time.RFC3339)})
	}
	theCase.Lines = append(theCase.Lines, casefile.Line{Label: "Appeal", Text: AppealRoute})
	for _, a := range cs.Appeals {
		theCase.Lines = append(theCase.Lines, casefile.Line{Label: "Appeal received", Text: a.ReceivedOn + ", recorded by " + name(a.RecordedBy)})
	}
	f.Sections = append(f.Sections, theCase)
	steps := casefile.Section{Heading: "The steps, each with its deadline"}
	for _, s := range e.Steps {
		steps.Lines = append(steps.Lines, casefile.Line{Label: stepName[s.Kind], Text: s.Describe()})
	}
	f.Sections = append(f.Sections, steps)
	for _, d := range e.Documents {
		f.Sections = append(f.Sections, d.Sections(name)...)
	}
	f.Sections = append(f.Sections, api.HistorySection(e.History, name))
	return f
}

// AppealRoute is how a decision on an action programme, or not to draw one up, is appealed (the
// guardians' notice, templates/support.decided.*, says it in their language).
const AppealRoute = "To Skolväsendets överklagandenämnd (the School Appeals Board), sent to the school within three weeks of the day the decision was received."

// stepName is each step as the export names it, with the law's terms.
var stepName = map[string]string{
	KindInvestigate: "The need investigated (3 kap. 7 §)",
	KindParticipate: "Taking part (pupil or guardian)",
	KindDecide:      "The principal's decision (åtgärdsprogram)",
	KindFollowUp:    "Follow-up",
	KindEvaluate:    "Evaluation",
}
