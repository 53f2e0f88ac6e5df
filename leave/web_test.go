package leave

import (
	"strings"
	"testing"

	"github.com/skolflow/skolflow/web"
)

// The area's pages name only texts of the catalogue and write no words outside it; every status,
// decision and opinion the API answers has its words, and so has every task of the process,
// its fields and their choices, for the kernel's /tasks page.
func TestThePagesSpeakOnlyThroughTheCatalogue(t *testing.T) {
	area := Web()
	w, err := web.New(web.Deps{Areas: []web.Area{area}})
	if err != nil {
		t.Fatal(err)
	}
	texts := w.Texts()
	for _, p := range web.CheckPages("leave", area.Pages, texts) {
		t.Error(p)
	}
	keys := []string{
		"leave.decision." + Granted, "leave.decision." + Denied,
		"leave.opinion.supports", "leave.opinion.advises-against",
		"task.leave.consent", "task.leave.opinion", "task.leave.decide",
		"field.consent", "field.opinion", "field.decision",
		"choice.consent.agree", "choice.consent.refuse",
		"choice.opinion.supports", "choice.opinion.advises-against",
		"choice.decision." + Granted, "choice.decision." + Denied,
	}
	for _, s := range []Status{AwaitingGuardians, AwaitingDecision, RefusedByGuardian, Expired, Granted, Denied} {
		keys = append(keys, "leave.status."+s)
	}
	for _, k := range keys {
		if !texts.Has(k) {
			t.Errorf("the catalogue has no %q", k)
		}
	}
	// The task texts name the pupil once; the kernel gives the name.
	for _, k := range []string{"task.leave.consent", "task.leave.opinion", "task.leave.decide"} {
		for _, lang := range web.Languages {
			if got := texts.T(lang, k, "Maja"); !strings.Contains(got, "Maja") || strings.Contains(got, "%!") {
				t.Errorf("%s in %s reads %q", k, lang, got)
			}
		}
	}
}
