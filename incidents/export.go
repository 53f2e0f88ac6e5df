package incidents

import (
	"fmt"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/casefile"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/store"
)

// Export is an incident as it is exported for the Schools Inspectorate: the report, each step's
// deadline and whether it was met, the process's history as the reader may see it, and the
// names of the people the report and its steps name.
type Export struct {
	Incident   Details              `json:"incident"`
	History    []store.ProcessEvent `json:"history"`
	Names      map[string]string    `json:"names"` // person id: given and family name
	ExportedAt time.Time            `json:"exportedAt"`
	ExportedBy string               `json:"exportedBy"`
}

// export answers the incident as JSON, or, with format=pdf, as a readable PDF.
func (h handlers) export(c *gin.Context) {
	const op = "incidents.export"
	v := api.ViewerOf(c)
	id := c.Param("incidentId")
	d, err := h.store.Details(c, id)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	history, err := api.ProcessHistory(c, h.env.DB, ID(id), v)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	people := []string{d.ReportedBy, v.PersonID}
	for _, p := range d.Pupils {
		people = append(people, p.Person)
	}
	for _, s := range d.Steps {
		if s.DoneBy != nil {
			people = append(people, *s.DoneBy)
		}
	}
	names, err := register.FullNames(c, h.env.DB, append(people, api.HistoryActors(history)...)) // a person named twice is answered once
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	out := Export{Incident: d, History: history, Names: names, ExportedAt: time.Now().UTC().Truncate(time.Second), ExportedBy: v.PersonID}
	api.Export(c, op, "incident-"+d.ID, out, out.File)
}

// File is the export as it is printed.
func (e Export) File() casefile.File {
	d, name := e.Incident, casefile.Namer(e.Names)
	f := casefile.File{
		Title:    "Report of degrading treatment (kränkande behandling)",
		Subtitle: fmt.Sprintf("Incident %s. Exported %s by %s.", d.ID, e.ExportedAt.Format(time.RFC3339), name(e.ExportedBy)),
		Created:  e.ExportedAt,
	}
	report := casefile.Section{Heading: "The report", Lines: []casefile.Line{
		{Label: "Reported", Text: name(d.ReportedBy) + ", " + d.ReportedAt.UTC().Format(time.RFC3339)},
		{Label: "Happened", Text: d.OccurredAt.UTC().Format(time.RFC3339) + ", " + d.Place},
		{Label: "What happened", Text: d.Description},
	}}
	for _, p := range d.Pupils {
		report.Lines = append(report.Lines, casefile.Line{Label: "Pupil, " + p.Role, Text: name(p.Person)})
	}
	f.Sections = append(f.Sections, report)
	steps := casefile.Section{Heading: "The steps, each with its deadline"}
	for _, s := range d.Steps {
		text := fmt.Sprintf("opened %s, due %s: ", s.OpenedAt.UTC().Format(time.RFC3339), s.DueAt.UTC().Format(time.RFC3339))
		switch {
		case s.DoneAt == nil && (s.InTime == nil || *s.InTime):
			text += "open, not yet due"
		case s.DoneAt == nil:
			text += "open, past its deadline"
		case *s.InTime:
			text += fmt.Sprintf("done %s by %s, in time", s.DoneAt.UTC().Format(time.RFC3339), name(*s.DoneBy))
		default:
			text += fmt.Sprintf("done %s by %s, after its deadline", s.DoneAt.UTC().Format(time.RFC3339), name(*s.DoneBy))
		}
		steps.Lines = append(steps.Lines, casefile.Line{Label: s.Step, Text: text})
	}
	f.Sections = append(f.Sections, steps)
	f.Sections = append(f.Sections, api.HistorySection(e.History, name))
	return f
}
