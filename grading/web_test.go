package grading

import (
	"strings"
	"testing"

	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/web"
)

// The area's pages name only texts of the catalogue and write no words outside it; every step
// of a grade form, every way a grade was decided and every task of the period has its words, in
// both languages, with the arguments each is given.
func TestTheGradingPagesSpeakOnlyThroughTheCatalogue(t *testing.T) {
	area := Web()
	w, err := web.New(web.Deps{Areas: []web.Area{area}})
	if err != nil {
		t.Fatal(err)
	}
	texts := w.Texts()
	for _, p := range web.CheckPages("grading", area.Pages, texts) {
		t.Error(p)
	}
	keys := []string{"process.kind.grading", "grading.menu"}
	for _, kind := range []string{KindSet, KindCoSign, KindDecide, KindSignOff} {
		keys = append(keys, "task."+kind, "history."+kind)
	}
	for _, step := range []string{"entry", "entry.draft", "cosign", "disagreement", "final", "published"} {
		keys = append(keys, "grading.step."+step)
	}
	for _, by := range []string{"teacher", DecidesCoSigner, DecidesPrincipal} {
		keys = append(keys, "grading.decidedby."+by)
	}
	for _, f := range append([]string{"term"}, periodDates...) {
		keys = append(keys, "grading/periods.field."+f, "grading/periods.error."+f)
	}
	for _, k := range keys {
		if !texts.Has(k) {
			t.Errorf("the catalogue has no %q", k)
		}
	}
	// Texts with arguments take as many as the pages give.
	for key, args := range map[string][]any{
		"grading.form.error.value": {"Maja", "A, B"}, "grading.form.error.student": {"Maja", "A, B"},
		"grading.progress.some": {1, 2, 0}, "grading.catalogue.signedby": {"Anna", "måndag", "10:00"},
		"grading.group.title": {"7A", "HT2026"}, "grading.periods.term": {"HT2026", "a", "b"},
	} {
		for _, lang := range web.Languages {
			if got := texts.T(lang, key, args...); strings.Contains(got, "%!") {
				t.Errorf("%s in %s reads %q", key, lang, got)
			}
		}
	}
}

// A grading task leads to its group's grade forms, a sign-off to the group's catalogue, both in
// the period the process's business key names.
func TestAGradingTaskLeadsToItsPage(t *testing.T) {
	school, term, group := "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222", "33333333-3333-3333-3333-333333333333"
	task := store.TaskView{ProcessID: ProcessID(school, term), SubjectGroup: &group}
	period := PeriodID(school, term)
	if got, want := groupTaskPage(task), "/grading-periods/"+period+"/groups/"+group; got != want {
		t.Errorf("the set task leads to %q, want %q", got, want)
	}
	if got, want := catalogueTaskPage(task), "/grading-periods/"+period+"/catalogues/"+group; got != want {
		t.Errorf("the sign-off leads to %q, want %q", got, want)
	}
	for _, bad := range []store.TaskView{{ProcessID: "leave:x", SubjectGroup: &group}, {ProcessID: ProcessID(school, term)}} {
		if got := groupTaskPage(bad); got != "" {
			t.Errorf("%+v leads to %q, want nowhere", bad, got)
		}
	}
	if got := inGroups("0123456789abcdef01", 8); got != "01234567 89abcdef 01" {
		t.Errorf("inGroups: %q", got)
	}
}
