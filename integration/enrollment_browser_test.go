package integration

import (
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skolflow/skolflow/enrollment"
	"github.com/skolflow/skolflow/internal/browsertest"
	"github.com/skolflow/skolflow/internal/demo"
)

// A school choice from application to answered offer, in the browser, every page checked by
// axe-core: Helena applies for Maja on a phone from Maja's page, ranking school B before school
// A (sent without a school first, the form comes back naming the first choice); Ivar follows his
// task to the school choice page on his phone and agrees; the officer follows the round from the
// start page to the round's page, which shows its status and, once placed, its figures, and
// approves the placement there. Once it is published both guardians read on their phones where
// Maja was placed, why she was refused at B and how to appeal it, and answer the offer: Ivar
// declines, Helena accepts, and the place is taken. No phone page scrolls sideways.
func TestSchoolChoiceInTheBrowser(t *testing.T) {
	s := newStack(t)
	b := browser(t)
	a, huvudman := demo.OrgID("a"), demo.OrgID("huvudman")
	maja := s.id("elev-1") // guardians vh-1 (Helena, Swedish) and vh-2 (Ivar, English)
	path := "/children/" + maja + "/school-choice"
	helena := b.Tab(t, phoneWidth, phoneHeight)
	s.signIn(t, helena, "vh-1")
	ivar := b.Tab(t, phoneWidth, phoneHeight)
	s.signIn(t, ivar, "vh-2")
	officer := b.Tab(t, deskWidth, deskHeight)
	s.signIn(t, officer, "forvaltning")

	round := openRound(t, s, 30*time.Second, 31*time.Second, 1)
	quentinTakesB(t, s, round)
	rounds := "/schools/" + huvudman + "/enrollment-rounds"
	roundPage := rounds + "/" + round.ID
	apply := `section[aria-labelledby="apply-` + round.ID + `-title"] button`
	first := "#apply-" + round.ID + "-choice1"

	// Helena applies on her phone, from Maja's page.
	helena.Go("/children/" + maja)
	checkPhonePage(t, helena)
	helena.ClickAndWait(`a[href="` + path + `"]`)
	checkPhonePage(t, helena)
	helena.ClickAndWait(apply)
	if helena.Status() != http.StatusUnprocessableEntity || !helena.Exists(`.summary a[href="`+first+`"]`) ||
		!helena.Exists(`[id="apply-`+round.ID+`-choice1"][aria-invalid="true"]`) {
		t.Fatalf("a school choice without a school: %d %q, want 422 naming the first choice", helena.Status(), helena.Text("main"))
	}
	checkPhonePage(t, helena)
	helena.Select(`[id="apply-`+round.ID+`-choice1"]`, demo.OrgID("b"))
	helena.Select(`[id="apply-`+round.ID+`-choice2"]`, a)
	helena.ClickAndWait(apply)
	if helena.Status() != http.StatusOK || !strings.Contains(helena.Text(".flash"), "Skolvalet är skickat") ||
		!strings.Contains(helena.Text(".card"), "Väntar på att barnets andra vårdnadshavare godkänner valet.") {
		t.Fatalf("applying: %d %q", helena.Status(), helena.Text("main"))
	}
	checkPhonePage(t, helena)

	// Ivar's task leads him to the page, where he agrees.
	app := get[enrollment.ApplicationView](s.as("vh-1"), "/api/v1/persons/"+maja+"/applications/"+round.ID)
	consent := stepTask(t, s, "vh-2", app.ProcessID, enrollment.KindConsent)
	ivar.Go("/tasks")
	checkPhonePage(t, ivar)
	ivar.ClickAndWait(`#task-` + consent.ID + ` a[href="` + path + `"]`)
	if !strings.Contains(ivar.Text("main"), "Do you agree to the school choice?") {
		t.Fatalf("Ivar's school choice page does not ask him: %q", ivar.Text("main"))
	}
	checkPhonePage(t, ivar)
	ivar.ClickAndWait(`button[name="consent"][value="agree"]`)
	if ivar.Status() != http.StatusOK || !strings.Contains(ivar.Text(".flash"), "Your answer is saved.") ||
		!strings.Contains(ivar.Text(".card"), "Ivar Lind agreed to the choice") {
		t.Fatalf("agreeing: %d %q", ivar.Status(), ivar.Text("main"))
	}
	checkPhonePage(t, ivar)

	// The officer follows the round from the start page, and approves its placement there.
	officer.Go("/")
	officer.AssertAccessible(t)
	officer.ClickAndWait(`a[href="` + rounds + `"]`)
	officer.AssertAccessible(t)
	officer.ClickAndWait(`a[href="` + roundPage + `"]`)
	if got := officer.Text("main"); !strings.Contains(got, "Öppen för ansökningar") {
		t.Fatalf("the open round's page reads %q", got)
	}
	officer.AssertAccessible(t)
	eventually(t, 40*time.Second, "the round to be placed", func() bool {
		return get[enrollment.RoundReport](s.as("forvaltning"), "/api/v1"+roundPage).Status == "placed"
	})
	approve := stepTask(t, s, "forvaltning", enrollment.PlacementID(huvudman, round.ID), enrollment.KindApprove)
	officer.Go("/tasks")
	officer.AssertAccessible(t)
	officer.ClickAndWait(`#task-` + approve.ID + ` a[href="` + roundPage + `"]`)
	for _, want := range []string{"Placerad; väntar på godkännande", "Placerade vid förstahandsvalet", "50 % (1 barn)", "Inte placerade", "Björkdalens skola"} {
		if got := officer.Text("main"); !strings.Contains(got, want) {
			t.Fatalf("the placed round's page reads %q, want %q in it", got, want)
		}
	}
	officer.AssertAccessible(t)
	officer.Fill("#note", "Siffrorna är granskade.")
	officer.ClickAndWait(`form[action="` + roundPage + `"] button`)
	if officer.Status() != http.StatusOK || !strings.Contains(officer.Text(".flash"), "Placeringen är godkänd") {
		t.Fatalf("approving: %d %q", officer.Status(), officer.Text("main"))
	}
	officer.AssertAccessible(t)
	eventually(t, 15*time.Second, "the round's page to say who approved", func() bool {
		officer.Go(roundPage)
		return strings.Contains(officer.Text("main"), "Godkänd av Gunilla Huvudman")
	})
	officer.AssertAccessible(t)

	// Published: each guardian reads the placement, the reason and the appeal route, and answers.
	stepTask(t, s, "vh-2", enrollment.OfferID(maja, round.ID), enrollment.KindAnswer)
	stepTask(t, s, "vh-1", enrollment.OfferID(maja, round.ID), enrollment.KindAnswer)
	ivar.Go(path)
	checkPhonePage(t, ivar)
	for _, want := range []string{"The child has a place at Ekbackens skola, your second choice.", "Björkdalens skola, your first choice: no place.",
		"children who live relatively nearer the school came first", "The decision can be appealed to the administrative court (Förvaltningsrätten).",
		"The child is offered a place at Ekbackens skola."} {
		if got := ivar.Text(".card"); !strings.Contains(got, want) {
			t.Fatalf("Ivar's published school choice reads %q, want %q in it", got, want)
		}
	}
	ivar.ClickAndWait(`button[name="answer"][value="decline"]`)
	if ivar.Status() != http.StatusOK || !strings.Contains(ivar.Text(".flash"), "Your answer to the offer is saved.") ||
		!strings.Contains(ivar.Text(".card"), "Ivar Lind declined the place") {
		t.Fatalf("Ivar declining: %d %q", ivar.Status(), ivar.Text("main"))
	}
	checkPhonePage(t, ivar)
	helena.Go(path)
	checkPhonePage(t, helena)
	for _, want := range []string{"Barnet har fått plats vid Ekbackens skola, ert andrahandsval.", "Björkdalens skola, ert förstahandsval: ingen plats.",
		"Beslutet kan överklagas till Förvaltningsrätten.", "Ivar Lind tackade nej till platsen"} {
		if got := helena.Text(".card"); !strings.Contains(got, want) {
			t.Fatalf("Helena's published school choice reads %q, want %q in it", got, want)
		}
	}
	if !helena.Exists(`textarea[name="reason"]`) {
		t.Fatal("Helena has no way to appeal the refusal")
	}
	helena.ClickAndWait(`button[name="answer"][value="accept"]`)
	if helena.Status() != http.StatusOK || !strings.Contains(helena.Text(".flash"), "Ert svar på erbjudandet är sparat.") {
		t.Fatalf("Helena accepting: %d %q", helena.Status(), helena.Text("main"))
	}
	checkPhonePage(t, helena)
	var offer enrollment.OfferOutcome
	closed(t, s, enrollment.OfferID(maja, round.ID), time.Minute, &offer)
	if offer.Status != enrollment.Accepted || offer.Answered != 2 {
		t.Fatalf("the offer ended %+v, want accepted with both answers", offer)
	}
	ivar.Go(path)
	if got := ivar.Text(".card"); !strings.Contains(got, "The place at Ekbackens skola is accepted.") || !strings.Contains(got, "Helena Lind accepted the place") {
		t.Fatalf("Ivar's page after the offer was answered reads %q", got)
	}
	checkPhonePage(t, ivar)
}

// checkPhonePage checks the page on a phone's tab: it passes axe-core's WCAG 2.1 A and AA rules,
// and is no wider than the phone, so that nothing is reached by scrolling sideways (WCAG 1.4.10,
// reflow). The width is read from a screenshot of the whole page, which is as wide as the
// page's content.
func checkPhonePage(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	tab.AssertAccessible(t)
	shot := filepath.Join(t.TempDir(), "page.png")
	tab.Screenshot(shot)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width > phoneWidth {
		t.Errorf("%s is %d px wide on a %d px phone: it scrolls sideways", tab.URL(), cfg.Width, phoneWidth)
	}
}
