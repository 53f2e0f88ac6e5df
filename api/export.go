package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/internal/casefile"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/store"
)

// Export answers an export for the Schools Inspectorate or a family: out as JSON, or, with
// format=pdf (api/openapi.yaml lists the two), file as a PDF to download as name.pdf.
func Export(c *gin.Context, op, name string, out any, file func() casefile.File) {
	if c.Query("format") != "pdf" {
		c.JSON(http.StatusOK, out)
		return
	}
	pdf, err := file().PDF()
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`.pdf"`)
	c.Data(http.StatusOK, "application/pdf", pdf)
}

// HistorySection is a process's history as an export prints it: each event with its time, and
// who did it by name.
func HistorySection(events []store.ProcessEvent, name func(id string) string) casefile.Section {
	s := casefile.Section{Heading: "The process's history"}
	for _, ev := range events {
		who := ""
		if ev.Actor != nil {
			who = " by " + name(*ev.Actor)
		}
		s.Lines = append(s.Lines, casefile.Line{Text: ev.At.UTC().Format(time.RFC3339) + " " + ev.Kind + who})
	}
	return s
}

// HistoryActors answers the people who acted in the events, for an export to name.
func HistoryActors(events []store.ProcessEvent) []string {
	var out []string
	for _, ev := range events {
		if ev.Actor != nil {
			out = append(out, *ev.Actor)
		}
	}
	return out
}
