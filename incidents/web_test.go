package incidents

import (
	"testing"

	"github.com/skolflow/skolflow/web"
)

// The area's pages name only texts of the catalogue and write no words outside it; every step
// and task of the process, its fields and choices have their words, for the list and the
// kernel's /tasks page.
func TestThePagesSpeakOnlyThroughTheCatalogue(t *testing.T) {
	area := Web()
	w, err := web.New(web.Deps{Areas: []web.Area{area}})
	if err != nil {
		t.Fatal(err)
	}
	texts := w.Texts()
	for _, p := range web.CheckPages("incidents", area.Pages, texts) {
		t.Error(p)
	}
	keys := []string{"incidents.now.closed", "field.note", "field.organiserReport", "field.findings", "field.degrading",
		"choice.degrading.yes", "choice.degrading.no", "field.measures", "field.evaluation"}
	for _, step := range []string{StepAcknowledge, StepReport, StepInvestigate, StepMeasures, StepFollowUp} {
		keys = append(keys, "incidents.step."+step, "incidents.now."+step, "task.incident."+step)
	}
	for _, state := range []string{"intime", "late", "overdue", "open"} {
		keys = append(keys, "incidents.list."+state)
	}
	for _, k := range keys {
		if !texts.Has(k) {
			t.Errorf("the catalogue has no %q", k)
		}
	}
}
