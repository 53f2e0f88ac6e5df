package enrollment

import (
	"fmt"
	"strings"
	"testing"

	"github.com/skolflow/skolflow/incidents"
	"github.com/skolflow/skolflow/leave"
	"github.com/skolflow/skolflow/store"
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

// The area's pages name only texts of the catalogue and write no words outside it, and every
// status, basis, ground, answer and rank the API answers has its words in both languages.
func TestThePagesSpeakOnlyThroughTheCatalogue(t *testing.T) {
	area := Web()
	w, err := web.New(web.Deps{Areas: []web.Area{area, leave.Web(), incidents.Web()}})
	if err != nil {
		t.Fatal(err)
	}
	texts := w.Texts()
	for _, p := range web.CheckPages("enrollment", area.Pages, texts) {
		t.Error(p)
	}
	var keys []string
	for _, s := range []string{AwaitingConsent, Complete, Incomplete} {
		keys = append(keys, "enrollment.status."+s)
	}
	for _, s := range []string{"open", "closed", "placed", "approved", "published"} {
		keys = append(keys, "enrollment.round.status."+s)
	}
	for _, g := range []string{"sibling", "proximity", "lottery", "full"} {
		keys = append(keys, "enrollment.ground."+g)
	}
	for _, s := range []string{Offered, Accepted, Declined} {
		keys = append(keys, "enrollment.offer."+s)
	}
	for _, a := range []string{Agree, Refuse, Accept, Decline} {
		keys = append(keys, "enrollment.answer."+a, "enrollment.answer.unnamed."+a)
	}
	for _, s := range []string{"reconsidering", Changed, SentOn} {
		keys = append(keys, "enrollment.appeal.status."+s)
	}
	for rank := 1; rank <= MaxChoices; rank++ {
		keys = append(keys, fmt.Sprintf("enrollment.choice.rank.%d", rank), fmt.Sprintf("enrollment.ordinal.%d", rank))
	}
	for _, k := range keys {
		if !texts.Has(k) {
			t.Errorf("the catalogue has no %q", k)
		}
	}
	// Each body an appeal goes to is named in the page's words.
	for _, body := range []string{AppealCourt, AppealBoard} {
		for _, lang := range web.Languages {
			key := map[string]string{AppealCourt: "enrollment.body.court", AppealBoard: "enrollment.body.board"}[body]
			if got := texts.T(lang, key); !strings.Contains(got, body) {
				t.Errorf("%s in %s reads %q, want it to name %s", key, lang, got, body)
			}
		}
	}
}

// A guardian's consent and answer lead to the child's school choice; the officers' approval to
// the round's page, read from the placement process's ID.
func TestTasksLeadToTheirPages(t *testing.T) {
	child := "5f84cab3-e4a2-5f42-b861-b2c027aa64a8"
	pages := Web().TaskPages
	for _, kind := range []string{KindConsent, KindAnswer} {
		if got := pages[kind](store.TaskView{Kind: kind, SubjectPerson: &child}); got != "/children/"+child+"/school-choice" {
			t.Errorf("%s leads to %q", kind, got)
		}
	}
	if got := pages[KindApprove](store.TaskView{Kind: KindApprove, ProcessID: PlacementID("org-1", "round-1")}); got != "/schools/org-1/enrollment-rounds/round-1" {
		t.Errorf("%s leads to %q", KindApprove, got)
	}
	for _, id := range []string{"placement:org-1", "placement::round-1", "offer:x:y", ""} {
		if got := pages[KindApprove](store.TaskView{Kind: KindApprove, ProcessID: id}); got != "" {
			t.Errorf("an approval of process %q leads to %q, want nowhere", id, got)
		}
	}
}
