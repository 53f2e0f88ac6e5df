package integration

import (
	"net/http"
	"strings"
	"testing"

	"github.com/skolflow/skolflow/internal/demo"
)

// The principal's pages in the browser, at a desk and by keyboard alone: the school's day, its
// investigations and the task inbox, each reached by Tab and Enter on the menu, where the
// principal gives an investigation's task to a principal of the school with the form's select
// (the name's first letters typed choose the person, Tab leads to the button, Enter sends it). Every page passes
// axe-core's WCAG 2.1 AA; the day also on a phone.
func TestThePrincipalsPagesInTheBrowser(t *testing.T) {
	s := newStack(t)
	c, _ := absentFromALesson(t, s, "vera")
	openInvestigation(t, s, c.ids["vera"], "2026-10")
	task := taskFor(t, s, "rektor-a", "absence.investigate", c.ids["vera"])
	b := browser(t)

	desk := b.Tab(t, deskWidth, deskHeight)
	s.signIn(t, desk, "rektor-a")
	desk.Go("/today")
	if desk.Status() != http.StatusOK || !strings.HasSuffix(desk.URL(), "/schools/"+demo.OrgID("a")+"/today") ||
		!strings.Contains(desk.Text("main"), "Registrerade: 1 av 1 lektioner som har börjat") {
		t.Fatalf("the day: %d at %s\n%s", desk.Status(), desk.URL(), desk.Text("main"))
	}
	desk.AssertAccessible(t)
	screenshot(t, desk, "principal-today", deskWidth)

	desk.TabTo(t, `a[href="/absence/investigations"]`, 20)
	desk.PressAndWait("Enter")
	if desk.Status() != http.StatusOK || !strings.Contains(desk.Text("main"), "Vera Testsson") {
		t.Fatalf("the investigations: %d\n%s", desk.Status(), desk.Text("main"))
	}
	desk.AssertAccessible(t)

	desk.TabTo(t, `a[href="/tasks"]`, 20)
	desk.PressAndWait("Enter")
	form := `form[action="/tasks/` + task.ID + `/reassign"]`
	if desk.Status() != http.StatusOK || !desk.Exists(form+` select`) {
		t.Fatalf("the inbox has no reassignment form for the investigation: %d\n%s", desk.Status(), desk.Text("main"))
	}
	desk.AssertAccessible(t)
	screenshot(t, desk, "principal-tasks", deskWidth)
	// The select, reached by Tab, takes its choice from the first letters of the name typed
	// (its type-ahead), as a person picks from a list of names. An investigation is the
	// principal's alone, so the list holds her only: the choice is already hers, and this shows
	// that the select is reached and kept by keyboard more than that the letters move it.
	desk.TabTo(t, form+` select`, 60)
	desk.Type("Anna") // Anna Rektorsson, the demo's rektor-a
	if !desk.Exists(form + ` option[value="` + s.id("rektor-a") + `"]:checked`) {
		t.Fatalf("typing her first name in the select does not choose rektor-a; the focus is on %s", desk.Focused())
	}
	desk.TabTo(t, form+` button`, 1)
	desk.PressAndWait("Enter")
	if desk.Status() != http.StatusOK || !strings.Contains(desk.Text(".flash"), "Uppgiften har fått en ny ansvarig.") {
		t.Fatalf("reassigning: %d\n%s", desk.Status(), desk.Text("main"))
	}
	desk.AssertAccessible(t)
	if a := assignmentOf(t, s, task.ID); a.person != s.id("rektor-a") || a.handedOn != 1 {
		t.Fatalf("the task after the reassignment: %+v", a)
	}

	phone := b.Tab(t, phoneWidth, phoneHeight)
	s.signIn(t, phone, "rektor-a")
	phone.Go("/today")
	phone.AssertAccessible(t)
}
