package integration

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/skolflow/skolflow/enrollment"
	"github.com/skolflow/skolflow/internal/demo"
)

// A guardian chooses schools on the child's school choice page: a wrong form comes back with
// the wrong select named in a summary that links to it, what was chosen kept, and nothing
// written; a good one is sent, said once, and shown in words with who wrote it. Another family's
// guardian finds no such page, and a guardian of a child whose other guardian, with protected
// identity, applied reads the choice without learning who applied. The other guardian's task
// leads to the page, where they agree in one click. A change while the round is open is a new version. The officer follows the round
// from the start page, approves its placement on the round's page, and sees who approved; once
// it is published, the guardian reads where the child was placed and why, and an appeal sent
// without its reasons comes back naming them; with them it is lodged and shown.
func TestSchoolChoicePages(t *testing.T) {
	s := newStack(t)
	round := openRound(t, s, 15*time.Second, 16*time.Second, 1)
	a, b, huvudman := demo.OrgID("a"), demo.OrgID("b"), demo.OrgID("huvudman")
	quentinTakesB(t, s, round)
	maja := s.id("elev-1") // guardians vh-1 (Helena) and vh-2 (Ivar)
	path := "/children/" + maja + "/school-choice"
	prefix := "apply-" + round.ID + "-"

	p := s.browse(t, "vh-1")
	status, html := p.get(path)
	if status != http.StatusOK || !strings.Contains(html, "Skolval för Maja Lind") || !strings.Contains(html, "Sök till Skolval åk 7 HT2027") ||
		!strings.Contains(html, `<label for="`+prefix+`choice1">Förstahandsval</label>`) || !strings.Contains(html, `<option value="`+b+`">Björkdalens skola</option>`) ||
		!strings.Contains(html, "Barnet har inga skolval.") {
		t.Fatalf("the school choice page: %d\n%s", status, html)
	}
	if _, child := p.get("/children/" + maja); !strings.Contains(child, `href="`+path+`"`) || !strings.Contains(child, "Skolval åk 7 HT2027 är öppet till") {
		t.Fatalf("the child's page leads nowhere to the school choice:\n%s", child)
	}

	apply := func(choices ...string) url.Values {
		form := url.Values{"form": {"apply"}, "round": {round.ID}}
		for i, c := range choices {
			form.Set("choice"+string(rune('1'+i)), c)
		}
		return form
	}
	res, html := p.post(path, apply(b, b))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `<a href="#`+prefix+`choice2">Andrahandsval: välj en skola`) ||
		!strings.Contains(html, `id="`+prefix+`choice2" name="choice2" aria-invalid="true" aria-describedby="`+prefix+`choice2-error"`) ||
		strings.Count(html, `<option value="`+b+`" selected>`) != 2 {
		t.Fatalf("a school chosen twice: %d, want 422 naming the second choice, with what was chosen\n%s", res.StatusCode, html)
	}
	if res, html := p.post(path, apply()); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `<a href="#`+prefix+`choice1">Förstahandsval: välj minst en skola.`) {
		t.Fatalf("no school chosen: %d, want 422 naming the first choice\n%s", res.StatusCode, html)
	}
	if n := s.count(`SELECT count(*) FROM applications WHERE child_id = $1`, maja); n != 0 {
		t.Fatalf("%d applications written by wrong forms", n)
	}
	res, _ = p.post(path, apply(b, a))
	if loc := p.location(res, http.StatusSeeOther); loc != path {
		t.Fatalf("a good school choice led to %q, want back to the page", loc)
	}
	status, html = p.get(path)
	if status != http.StatusOK || !strings.Contains(html, "Skolvalet är skickat.") || !strings.Contains(html, "Version 1, av Helena Lind") ||
		!strings.Contains(html, "<li>Björkdalens skola</li><li>Ekbackens skola</li>") || strings.Contains(html, "Sök till Skolval åk 7 HT2027") ||
		!strings.Contains(html, "Väntar på att barnets andra vårdnadshavare godkänner valet.") || !strings.Contains(html, "Ändra valet") {
		t.Fatalf("after applying: %d, want the flash and the choice in words, with the change form\n%s", status, html)
	}

	other := s.browse(t, "vh-4") // Quentin's guardian, not Maja's
	if status, html := other.get(path); status != http.StatusNotFound || strings.Contains(html, "Maja") {
		t.Fatalf("another family's guardian opening the page: %d, want 404 saying nothing of the child", status)
	}
	other.get("/")
	if res, _ := other.post(path, url.Values{"form": {"change"}, "round": {round.ID}, "choice1": {a}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another family's guardian changing the choice: %d, want 404", res.StatusCode)
	}

	// Ivar's task leads to the page, where he agrees.
	app := get[enrollment.ApplicationView](s.as("vh-1"), "/api/v1/persons/"+maja+"/applications/"+round.ID)
	stepTask(t, s, "vh-2", app.ProcessID, enrollment.KindConsent)
	ivar := s.browse(t, "vh-2")
	if _, tasks := ivar.get("/tasks"); !strings.Contains(tasks, `href="`+path+`"`) {
		t.Fatalf("Ivar's task does not lead to the school choice page:\n%s", tasks)
	}
	// Ivar reads the pages in English.
	if _, html := ivar.get(path); !strings.Contains(html, "Do you agree to the school choice?") || !strings.Contains(html, `name="consent" value="agree"`) {
		t.Fatalf("Ivar's page does not ask him:\n%s", html)
	}
	res, _ = ivar.post(path, url.Values{"form": {"consent"}, "round": {round.ID}, "consent": {enrollment.Agree}})
	if loc := ivar.location(res, http.StatusSeeOther); loc != path {
		t.Fatalf("agreeing led to %q", loc)
	}
	told(t, s, "vh-1", app.ProcessID, "application.complete")
	if _, html := ivar.get(path); !strings.Contains(html, "Your answer is saved.") || !strings.Contains(html, "Ivar Lind agreed to the choice") ||
		strings.Contains(html, `name="consent"`) || !strings.Contains(html, "The choice counts: every custodial guardian has agreed to it.") {
		t.Fatalf("after agreeing:\n%s", html)
	}

	// Quentin's guardian reads his school choice without learning who, protected, applied.
	status, html = other.get("/children/" + s.id("elev-5") + "/school-choice")
	if status != http.StatusOK || !strings.Contains(html, "Lena Berg") || !strings.Contains(html, "<li>Björkdalens skola</li>") {
		t.Fatalf("Quentin's school choice, to his other guardian: %d\n%s", status, html)
	}
	for _, secret := range []string{"Tove", "Sund", s.id("vh-5")} {
		if strings.Contains(html, secret) {
			t.Errorf("the other guardian's page names the protected applicant: %q", secret)
		}
	}

	// A change is a new version; a wrong one is refused naming the select.
	change := url.Values{"form": {"change"}, "round": {round.ID}, "choice1": {a}, "choice3": {a}}
	if res, html := p.post(path, change); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `<a href="#change-`+round.ID+`-choice3">Tredjehandsval`) {
		t.Fatalf("a change choosing a school twice: %d, want 422 naming the third choice\n%s", res.StatusCode, html)
	}

	// The officer follows the round from the start page.
	officer := s.browse(t, "forvaltning")
	rounds := "/schools/" + huvudman + "/enrollment-rounds"
	roundPage := rounds + "/" + round.ID
	if _, home := officer.get("/"); !strings.Contains(home, `href="`+rounds+`"`) {
		t.Fatalf("the officer's start page does not lead to the rounds:\n%s", home)
	}
	if status, html := officer.get(rounds); status != http.StatusOK || !strings.Contains(html, `href="`+roundPage+`">Skolval åk 7 HT2027</a>: Öppen för ansökningar`) {
		t.Fatalf("the officer's rounds: %d\n%s", status, html)
	}
	if status, _ := p.get(roundPage); status != http.StatusForbidden && status != http.StatusNotFound {
		t.Fatalf("a guardian opening the round's page: %d, want it refused", status)
	}
	eventually(t, 40*time.Second, "the round to be placed", func() bool {
		return get[enrollment.RoundReport](s.as("forvaltning"), "/api/v1"+roundPage).Status == "placed"
	})
	stepTask(t, s, "forvaltning", enrollment.PlacementID(huvudman, round.ID), enrollment.KindApprove)
	status, html = officer.get(roundPage)
	for _, want := range []string{"Placerad; väntar på godkännande", "Sökande barn</th><td>2</td>", "Placerade vid förstahandsvalet</th><td>50 % (1 barn)</td>",
		"Placerade vid ett av sina val</th><td>2</td>", "Inte placerade</th><td>0</td>", "<th scope=\"row\">Björkdalens skola</th><td>1</td><td>1</td><td>0</td><td>0</td>",
		`<textarea id="note" name="note"`} {
		if !strings.Contains(html, want) {
			t.Fatalf("the placed round's page: %d, want %q in it\n%s", status, want, html)
		}
	}
	if _, html := p.get(path); strings.Contains(html, "Placering") {
		t.Fatalf("the family reads the placement before it is published:\n%s", html)
	}
	res, _ = officer.post(roundPage, url.Values{"note": {"Granskad."}})
	if loc := officer.location(res, http.StatusSeeOther); loc != roundPage {
		t.Fatalf("approving led to %q", loc)
	}
	eventually(t, 15*time.Second, "the round page to say who approved", func() bool {
		_, html := officer.get(roundPage)
		return strings.Contains(html, "Godkänd av Gunilla Huvudman")
	})

	// Published: the placement and why, and the appeal.
	// The offer is recorded at publication, and the guardian's task to answer it a moment later.
	eventually(t, 30*time.Second, "the offer", func() bool {
		return get[enrollment.ApplicationView](s.as("vh-1"), "/api/v1/persons/"+maja+"/applications/"+round.ID).Offer != nil
	})
	stepTask(t, s, "vh-1", enrollment.OfferID(maja, round.ID), enrollment.KindAnswer)
	_, html = p.get(path)
	reason := "appeal-" + round.ID + "-" + b + "-reason"
	for _, want := range []string{"Barnet har fått plats vid Ekbackens skola, ert andrahandsval.", "Björkdalens skola, ert förstahandsval: ingen plats.",
		"barn som bor relativt närmare skolan gick före", "Beslutet kan överklagas till Förvaltningsrätten.", `<textarea id="` + reason + `" name="reason"`,
		"Barnet erbjuds en plats vid Ekbackens skola.", `name="answer" value="accept"`} {
		if !strings.Contains(html, want) {
			t.Fatalf("the published placement: want %q in the page\n%s", want, html)
		}
	}
	appeal := url.Values{"form": {"appeal"}, "round": {round.ID}, "schoolId": {b}, "reason": {"  "}}
	if res, html := p.post(path, appeal); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `<a href="#`+reason+`">`) ||
		!strings.Contains(html, `aria-invalid="true"`) {
		t.Fatalf("an appeal without reasons: %d, want 422 naming the reasons\n%s", res.StatusCode, html)
	}
	appeal.Set("reason", "Syskonet går på Björkdalens skola.")
	res, _ = p.post(path, appeal)
	if loc := p.location(res, http.StatusSeeOther); loc != path {
		t.Fatalf("appealing led to %q", loc)
	}
	if _, html := p.get(path); !strings.Contains(html, "Överklagandet är skickat.") || !strings.Contains(html, "Kommunen omprövar beslutet") ||
		strings.Contains(html, `name="reason"`) {
		t.Fatalf("after appealing:\n%s", html)
	}
	if res, html := p.post(path, appeal); res.StatusCode != http.StatusConflict || !strings.Contains(html, "redan överklagat") {
		t.Fatalf("the same refusal appealed again: %d, want 409 saying so\n%s", res.StatusCode, html)
	}
}

// quentinTakesB has Quentin's guardians apply for school B alone, agreed by both: he lives by
// school B, and Maja by school A, so he has the stronger claim to B's one seat, and Maja, choosing
// B first, is refused there.
func quentinTakesB(t *testing.T, s *stack, round enrollment.Round) {
	t.Helper()
	app := expect[enrollment.ApplicationView](s.as("vh-5"), http.StatusCreated, "POST", "/api/v1/persons/"+s.id("elev-5")+"/applications",
		enrollment.ApplicationRequest{Round: round.ID, Choices: []string{demo.OrgID("b")}})
	consent := stepTask(t, s, "vh-4", app.ProcessID, enrollment.KindConsent)
	completeTask(t, s, "vh-4", consent, map[string]any{"consent": enrollment.Agree})
}
