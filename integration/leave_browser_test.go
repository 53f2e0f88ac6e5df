package integration

import (
	"net/http"
	"strings"
	"testing"

	"github.com/skolflow/skolflow/internal/browsertest"
	"github.com/skolflow/skolflow/leave"
)

// typeDate is what one types into a date input of the test's chromium (US English: month, day,
// year) for a YYYY-MM-DD day: with the input's first part focused, the digits fill the month,
// the day and the year in turn.
func typeDate(day string) string { return day[5:7] + day[8:10] + day[:4] }

// skipToContent takes the keyboard's first stop on a freshly opened page, which must be the skip
// link with its focus showing, and follows it to the main content, so that the next Tab stops
// at the content's first control and not in the menu.
func skipToContent(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	tab.TabTo(t, "a.skip", 1)
	tab.Press("Enter")
	if f := tab.Focused(); !strings.Contains(f, `id="main"`) {
		t.Fatalf("the skip link leads to %s, want the main content", f)
	}
}

// answerTask opens the person's tasks on tab, checks the page, and answers the task by keyboard:
// Tab to the choice's button and one press of Enter, after which the task has left the page.
func answerTask(t *testing.T, tab *browsertest.Tab, task string, choice string) {
	t.Helper()
	tab.Go("/tasks")
	tab.AssertAccessible(t)
	skipToContent(t, tab)
	choose(t, tab, task, choice)
}

// choose answers task with choice on the /tasks page the tab shows, by keyboard from where the
// focus is, with what was typed into the task's other fields.
func choose(t *testing.T, tab *browsertest.Tab, task string, choice string) {
	t.Helper()
	tab.TabTo(t, `#task-`+task+` button[value="`+choice+`"]`, 60)
	tab.PressAndWait("Enter")
	if tab.Status() != http.StatusOK || !tab.Exists(".flash") || tab.Exists(`#task-`+task) {
		t.Fatalf("answering %s with %s: %d %q", task, choice, tab.Status(), tab.Text("main"))
	}
}

// Leave from application to decision, in the browser and by keyboard alone: a guardian applies
// at a desk (a form sent empty first comes back with a summary whose link to the first day the
// keyboard reaches; the days are typed into the date inputs); the other guardian agrees on a
// phone in one keypress on the task page; the mentor gives an opinion and the principal
// decides, each on the task page; the guardian opens the decision's "more" with Enter and sees
// what the law allows against it. The principal's delegation page is checked on a phone.
// Every page passes axe-core's WCAG 2.1 AA.
func TestLeaveInTheBrowser(t *testing.T) {
	s := newStack(t)
	b := browser(t)
	pupil := s.id("elev-1") // Maja: guardians vh-1 and vh-2, mentor larare-a1
	path := "/children/" + pupil + "/leave"
	from, to := leaveDays(3)

	desk := b.Tab(t, deskWidth, deskHeight)
	s.signIn(t, desk, "vh-1")
	desk.Go(path)
	desk.AssertAccessible(t)
	skipToContent(t, desk)
	desk.TabTo(t, "main form button", 30)
	desk.PressAndWait("Enter")
	if desk.Status() != http.StatusUnprocessableEntity || !desk.Exists(`.summary a[href="#from"]`) {
		t.Fatalf("an empty application: %d, want 422 with the summary", desk.Status())
	}
	desk.AssertAccessible(t)
	// The summary's entry for the first day is a link the keyboard reaches, to the field it names.
	skipToContent(t, desk)
	desk.TabTo(t, `.summary a[href="#from"]`, 10)
	if !desk.Exists(`#from[aria-invalid="true"][aria-describedby="from-error"]`) {
		t.Fatal("the first day is not marked wrong, or not described by its error")
	}
	desk.TabTo(t, "#from", 10)
	desk.Type(typeDate(from))
	desk.TabTo(t, "#to", 10)
	desk.Type(typeDate(to))
	desk.TabTo(t, "#reason", 10)
	desk.Type("Resa till mormor")
	desk.TabTo(t, "main form button", 5)
	desk.PressAndWait("Enter")
	if desk.Status() != http.StatusOK || !strings.Contains(desk.Text(".flash"), "Ansökan är skickad") {
		t.Fatalf("applying: %d %q", desk.Status(), desk.Text("main"))
	}
	apps := get[[]leave.Application](s.as("vh-1"), "/api/v1/persons/"+pupil+"/leave-applications")
	if len(apps) != 1 || apps[0].From != from || apps[0].To != to {
		t.Fatalf("the applications after applying: %+v, want %s to %s", apps, from, to)
	}

	screenshot(t, desk, "guardian-leave", deskWidth)
	phone := b.Tab(t, phoneWidth, phoneHeight)
	s.signIn(t, phone, "vh-2")
	phone.Go("/tasks")
	screenshot(t, phone, "guardian-consent", phoneWidth)
	answerTask(t, phone, taskFor(t, s, "vh-2", "leave.consent", pupil).ID, "agree")

	mentor := b.Tab(t, deskWidth, deskHeight)
	s.signIn(t, mentor, "larare-a1")
	answerTask(t, mentor, taskFor(t, s, "larare-a1", "leave.opinion", pupil).ID, "supports")

	principal := b.Tab(t, phoneWidth, phoneHeight)
	s.signIn(t, principal, "rektor-a")
	principal.Go("/tasks")
	screenshot(t, principal, "principal-tasks", phoneWidth)
	// A denial must give its reasons: sent without them, the form comes back with a summary whose
	// link leads the keyboard to the reasons, marked wrong; the task is still open.
	decide := taskFor(t, s, "rektor-a", "leave.decide", pupil).ID
	skipToContent(t, principal)
	principal.TabTo(t, `#task-`+decide+` button[value="denied"]`, 60)
	principal.PressAndWait("Enter")
	reasons := `[id="` + decide + `-reason"]`
	if principal.Status() != http.StatusUnprocessableEntity || !principal.Exists(`.summary a[href="#`+decide+`-reason"]`) ||
		!strings.Contains(principal.Text(".summary"), "Ett avslag ska alltid motiveras") {
		t.Fatalf("a denial without reasons: %d %q, want 422 with the summary naming the reasons", principal.Status(), principal.Text("main"))
	}
	principal.AssertAccessible(t)
	skipToContent(t, principal)
	principal.TabTo(t, `.summary a[href="#`+decide+`-reason"]`, 10)
	if !principal.Exists(reasons + `[aria-invalid="true"][aria-describedby="` + decide + `-reason-error"]`) {
		t.Fatal("the reasons are not marked wrong, or not described by their error")
	}
	principal.TabTo(t, reasons, 10)
	principal.Type("Veckan har nationella prov.")
	choose(t, principal, decide, leave.Denied)
	principal.Go("/leave/delegation")
	if principal.Status() != http.StatusOK || !principal.Exists("#mentorMaxDays") {
		t.Fatalf("the principal's delegation page: %d", principal.Status())
	}
	principal.AssertAccessible(t)

	applicationOf(t, s, "vh-1", pupil, apps[0].ID, leave.Denied)
	desk.Go(path)
	skipToContent(t, desk)
	desk.TabTo(t, ".card details summary", 30)
	desk.Press("Enter")
	if !desk.Exists(".card details[open]") {
		t.Fatal("Enter on the decision's summary does not open it")
	}
	card := desk.Text(".card")
	for _, want := range []string{"Beslut: ledigheten är inte beviljad", "Mentorn stödjer ansökan.", "Kan beslutet överklagas?",
		"kan inte överklagas", "laglighetsprövning"} {
		if !strings.Contains(card, want) {
			t.Errorf("the decided application reads %q, want %q in it", card, want)
		}
	}
	desk.AssertAccessible(t)
}
