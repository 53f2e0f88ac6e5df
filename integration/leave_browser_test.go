package integration

import (
	"net/http"
	"strings"
	"testing"

	"github.com/skolflow/skolflow/internal/browsertest"
	"github.com/skolflow/skolflow/leave"
)

// typeDate is what one types into a date input of the test's chromium (US English: month, day,
// year) for a YYYY-MM-DD day.
func typeDate(day string) string { return day[5:7] + day[8:10] + day[:4] }

// answerTask opens the person's tasks on tab, checks the page, and answers the task with the
// choice's button: one click, after which the task has left the page.
func answerTask(t *testing.T, tab *browsertest.Tab, task string, choice string) {
	t.Helper()
	tab.Go("/tasks")
	tab.AssertAccessible(t)
	tab.ClickAndWait(`#task-` + task + ` button[value="` + choice + `"]`)
	if tab.Status() != http.StatusOK || !tab.Exists(".flash") || tab.Exists(`#task-`+task) {
		t.Fatalf("answering %s with %s: %d %q", task, choice, tab.Status(), tab.Text("main"))
	}
}

// Leave from application to decision, in the browser: a guardian applies at a desk (a form
// sent empty first comes back with its summary); the other guardian agrees on a phone in one
// click on the task page; the mentor gives an opinion and the principal decides, each on the
// task page; the guardian sees the decision and what the law allows against it. The
// principal's delegation page is checked on a phone. Every page passes axe-core's WCAG 2.1 AA.
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
	desk.ClickAndWait("main form button")
	if desk.Status() != http.StatusUnprocessableEntity || !desk.Exists(`.summary a[href="#from"]`) {
		t.Fatalf("an empty application: %d, want 422 with the summary", desk.Status())
	}
	desk.AssertAccessible(t)
	desk.Fill("#from", typeDate(from))
	desk.Fill("#to", typeDate(to))
	desk.Fill("#reason", "Resa till mormor")
	desk.ClickAndWait("main form button")
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
	screenshot(t, phone, "guardian-tasks", phoneWidth)
	answerTask(t, phone, taskFor(t, s, "vh-2", "leave.consent", pupil).ID, "agree")

	mentor := b.Tab(t, deskWidth, deskHeight)
	s.signIn(t, mentor, "larare-a1")
	answerTask(t, mentor, taskFor(t, s, "larare-a1", "leave.opinion", pupil).ID, "supports")

	principal := b.Tab(t, phoneWidth, phoneHeight)
	s.signIn(t, principal, "rektor-a")
	principal.Go("/tasks")
	screenshot(t, principal, "principal-tasks", phoneWidth)
	answerTask(t, principal, taskFor(t, s, "rektor-a", "leave.decide", pupil).ID, leave.Denied)
	principal.Go("/leave/delegation")
	if principal.Status() != http.StatusOK || !principal.Exists("#mentorMaxDays") {
		t.Fatalf("the principal's delegation page: %d", principal.Status())
	}
	principal.AssertAccessible(t)

	applicationOf(t, s, "vh-1", pupil, apps[0].ID, leave.Denied)
	desk.Go(path)
	desk.Click(".card details summary")
	card := desk.Text(".card")
	for _, want := range []string{"Beslut: ledigheten är inte beviljad", "Mentorn stödjer ansökan.", "Kan beslutet överklagas?",
		"kan inte överklagas", "laglighetsprövning"} {
		if !strings.Contains(card, want) {
			t.Errorf("the decided application reads %q, want %q in it", card, want)
		}
	}
	desk.AssertAccessible(t)
}
