package support

import (
	"strings"
	"testing"

	"github.com/skolflow/skolflow/web"
)

// Every task of the process, its fields and choices have their words for the /tasks page, each
// task's naming the pupil once.
func TestEveryTaskHasItsWords(t *testing.T) {
	w, err := web.New(web.Deps{Areas: []web.Area{Web()}})
	if err != nil {
		t.Fatal(err)
	}
	texts := w.Texts()
	for _, k := range []string{"field.views", "field.participate", "choice.participate.yes", "choice.participate.no", "field.notes"} {
		if !texts.Has(k) {
			t.Errorf("the catalogue has no %q", k)
		}
	}
	for _, kind := range []string{KindInvestigate, KindParticipate, KindDecide, KindFollowUp, KindEvaluate} {
		for _, lang := range web.Languages {
			if got := texts.T(lang, "task."+kind, "Maja"); !strings.Contains(got, "Maja") || strings.Contains(got, "%!") {
				t.Errorf("task.%s in %s reads %q", kind, lang, got)
			}
		}
	}
}
