package enrollment

import (
	"strings"
	"testing"

	"github.com/skolflow/skolflow/incidents"
	"github.com/skolflow/skolflow/leave"
	"github.com/skolflow/skolflow/web"
)

// Every task of the area, its fields and choices have their words for the /tasks page, each
// task about a child naming the child once. Some fields' words are the leave and incident areas'
// (a guardian's consent, a decision, a note), where they were first written.
func TestEveryTaskHasItsWords(t *testing.T) {
	w, err := web.New(web.Deps{Areas: []web.Area{Web(), leave.Web(), incidents.Web()}})
	if err != nil {
		t.Fatal(err)
	}
	texts := w.Texts()
	for _, k := range []string{"field.consent", "choice.consent.agree", "choice.consent.refuse", "field.answer", "choice.answer.accept",
		"choice.answer.decline", "field.decision", "choice.decision.approve", "choice.decision.change", "choice.decision.uphold",
		"field.reasons", "field.note"} {
		if !texts.Has(k) {
			t.Errorf("the catalogue has no %q", k)
		}
	}
	for _, kind := range []string{KindConsent, KindAnswer, KindReconsider, KindGuarantee} {
		for _, lang := range web.Languages {
			if got := texts.T(lang, "task."+kind, "Maja"); strings.Count(got, "Maja") != 1 || strings.Contains(got, "%!") {
				t.Errorf("task.%s in %s reads %q", kind, lang, got)
			}
		}
	}
	for _, lang := range web.Languages {
		if got := texts.T(lang, "task."+KindApprove); got == "task."+KindApprove || strings.Contains(got, "%") {
			t.Errorf("task.%s in %s reads %q", KindApprove, lang, got)
		}
	}
}
