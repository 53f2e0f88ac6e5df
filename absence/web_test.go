package absence

import (
	"testing"

	"github.com/skolflow/skolflow/web"
)

// The area's pages load with the kernel's, name only texts of the catalogue, and write no
// words outside it; every task kind, field and choice of the area's processes has its text.
func TestTheAbsencePagesSpeakOnlyThroughTheCatalogue(t *testing.T) {
	w, err := web.New(web.Deps{Areas: []web.Area{{Name: "absence", Pages: pages()}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range web.CheckPages("absence", pages(), w.Texts()) {
		t.Error(p)
	}
	for _, key := range []string{
		"task.absence.classify", "task.absence.reach-guardians", "task.absence.investigate", "task.absence.report-home-municipality",
		"field.classification", "choice.classification.valid", "choice.classification.invalid",
		"field.outcome", "choice.outcome.reached", "choice.outcome.not-reached",
		"field.conclusion", "choice.conclusion.measures-taken", "choice.conclusion.no-measures-needed",
		"field.report", "choice.report.reported",
		"absence.lesson.absent", "absence.lesson.late", "absence.lesson.present", "absence.lesson.none",
		"absence.classification." + ClassificationPending, "absence.classification." + ClassificationValid,
		"absence.classification." + ClassificationInvalid,
	} {
		if !w.Texts().Has(key) {
			t.Errorf("no text %q", key)
		}
	}
}
