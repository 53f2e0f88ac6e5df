package leave

import (
	"fmt"
	"html/template"
	"strings"
	"testing"
	"time"

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
		"leave.decision." + Granted, "leave.decision." + Denied, "leave.decision.reasons",
		"leave.opinion.supports", "leave.opinion.advises-against",
		"task.leave.consent", "task.leave.opinion", "task.leave.decide",
		"field.consent", "field.opinion", "field.decision", "field.reason",
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

// The section of the guardian's page about a child (rendered by the register's page, not here)
// lists the applications in words and leads to the leave page.
func TestTheChildSectionRenders(t *testing.T) {
	area := Web()
	w, err := web.New(web.Deps{Areas: []web.Area{area}})
	if err != nil {
		t.Fatal(err)
	}
	texts := w.Texts()
	stub := template.FuncMap{
		"t":    func(key string, args ...any) string { return texts.T("sv", key, args...) },
		"date": func(d any) string { return fmt.Sprint(d) },
	}
	tpl, err := template.New("x").Funcs(stub).ParseFS(area.Pages, "_*.html")
	if err != nil {
		t.Fatal(err)
	}
	data := childSectionData{PersonID: "p-1", More: true, Applications: cards([]Application{
		{From: "2026-12-07", To: "2026-12-11", Status: Denied, DecidedAt: ptr(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))},
		{From: "2026-11-02", To: "2026-11-02", Status: AwaitingDecision},
	})}
	var b strings.Builder
	if err := tpl.ExecuteTemplate(&b, "leave/child", &web.View{Data: data}); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{"Ledighet</h2>", "2026-12-07 – 2026-12-11", "ledigheten är inte beviljad (2026-12-01)",
		"Väntar på skolans beslut.", `href="/children/p-1/leave">Ansök om ledighet`, "Alla ansökningar om ledighet"} {
		if !strings.Contains(html, want) {
			t.Errorf("the section reads\n%s\nwant %q in it", html, want)
		}
	}
}

// An application's card shows the decider's reasons under the decision, when there are any.
func TestTheApplicationShowsTheDecisionsReasons(t *testing.T) {
	area := Web()
	w, err := web.New(web.Deps{Areas: []web.Area{area}})
	if err != nil {
		t.Fatal(err)
	}
	texts := w.Texts()
	decided := ptr(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	for _, lang := range web.Languages {
		stub := template.FuncMap{
			"t":    func(key string, args ...any) string { return texts.T(lang, key, args...) },
			"date": func(d any) string { return fmt.Sprint(d) },
		}
		tpl, err := template.New("x").Funcs(stub).ParseFS(area.Pages, "_*.html")
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"sv": "Skäl för beslutet: Nationella prov den veckan.", "en": "Reasons for the decision: Nationella prov den veckan."}[lang]
		for _, c := range []struct {
			app  Application
			show bool
		}{
			{Application{Status: Denied, DecidedAt: decided, DecisionReason: ptr("Nationella prov den veckan.")}, true},
			{Application{Status: Granted, DecidedAt: decided}, false},
		} {
			var b strings.Builder
			if err := tpl.ExecuteTemplate(&b, "leave/application", cards([]Application{c.app})[0]); err != nil {
				t.Fatal(err)
			}
			html := b.String()
			decision := strings.Index(html, texts.T(lang, "leave.decision."+c.app.Status, "2026-12-01"))
			reasons := strings.Index(html, want)
			switch {
			case decision < 0:
				t.Errorf("%s: the card reads\n%s\nwithout the decision", lang, html)
			case c.show && reasons < decision:
				t.Errorf("%s: the card reads\n%s\nwant %q under the decision", lang, html, want)
			case !c.show && strings.Contains(html, texts.T(lang, "leave.decision.reasons", "")):
				t.Errorf("%s: the card reads\n%s\nwith reasons where none were given", lang, html)
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }
