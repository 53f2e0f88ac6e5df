package integration

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/skolflow/skolflow/grading"
	"github.com/skolflow/skolflow/internal/browsertest"
	"github.com/skolflow/skolflow/internal/demo"
)

// checkBothWidths opens path as user at a desk's width and a phone's, and checks each with axe.
func checkBothWidths(t *testing.T, s *stack, b *browsertest.Browser, user, path string) {
	t.Helper()
	for _, w := range []struct{ width, height int }{{phoneWidth, phoneHeight}, {deskWidth, deskHeight}} {
		tab := b.Tab(t, w.width, w.height)
		s.signIn(t, tab, user)
		tab.Go(path)
		if tab.Status() != http.StatusOK {
			t.Fatalf("%s at %d px: %d", path, w.width, tab.Status())
		}
		tab.AssertAccessible(t)
	}
}

// A grading period in the browser, by keyboard alone: the teacher (Eva, uncertified, in English)
// follows her task to the group's grade form at a desk, chooses Maja's grade by typing it, saves
// a draft, submits without Nils's grade and is led by the summary's link to his field, chooses
// it and submits; her co-signer (David) follows his task on a phone and agrees; the principal
// finds the period from the menu, reads what is missing, and signs off each group's catalogue on
// a phone, reading its SHA-256 and that it verifies; after publication a guardian reads Maja's
// grades on a phone. Every page passes axe-core's WCAG 2.1 A and AA rules at a phone's width and
// a desk's.
func TestGradingInABrowser(t *testing.T) {
	s := newStack(t)
	p := openPeriod(t, s, 50*time.Second, 51*time.Second, 52*time.Second)
	endsWithTheTest(t, s, p.ProcessID)
	b := browser(t)
	ma7, group := demo.ActivityID("ma7"), demo.GroupID("ma7")
	path := "/grading-periods/" + p.ID + "/groups/" + group
	sel := func(i int) string { return `[id="grade-` + ma7 + `-` + string(rune('0'+i)) + `"]` }
	set := gradingTask(t, s, "larare-a2", grading.KindSet, p.ProcessID, group)

	desk := b.Tab(t, deskWidth, deskHeight)
	s.signIn(t, desk, "larare-a2")
	desk.Go("/tasks")
	desk.AssertAccessible(t)
	skipToContent(t, desk)
	desk.TabTo(t, `#task-`+set.ID+` a[href="`+path+`"]`, 30)
	desk.PressAndWait("Enter")
	if desk.Status() != http.StatusOK || !strings.Contains(desk.Text("main"), "Matematik 7") {
		t.Fatalf("the task's link: %d %q", desk.Status(), desk.Text("main"))
	}
	desk.AssertAccessible(t)
	// Maja's grade is typed into her select: C.
	skipToContent(t, desk)
	desk.TabTo(t, sel(0), 20)
	desk.Type("C")
	desk.TabTo(t, `main button[value="draft"]`, 10)
	desk.PressAndWait("Enter")
	if desk.Status() != http.StatusOK || !strings.Contains(desk.Text(".flash"), "The draft is saved") || !desk.Exists(sel(0)+` option[value="C"]:checked`) {
		t.Fatalf("saving the draft: %d %q", desk.Status(), desk.Text("main"))
	}
	screenshot(t, desk, "teacher-grades", deskWidth)
	// Submitted without Nils's grade: the summary's link leads to his select.
	skipToContent(t, desk)
	desk.TabTo(t, `main button[value="submit"]`, 20)
	desk.PressAndWait("Enter")
	if desk.Status() != http.StatusUnprocessableEntity || !desk.Exists(`.summary a[href="#grade-`+ma7+`-1"]`) ||
		!desk.Exists(sel(1)+`[aria-invalid="true"]`) || !desk.Exists(sel(0)+` option[value="C"]:checked`) {
		t.Fatalf("a submission without Nils's grade: %d %q", desk.Status(), desk.Text("main"))
	}
	desk.AssertAccessible(t)
	screenshot(t, desk, "teacher-grades-summary", deskWidth)
	skipToContent(t, desk)
	desk.TabTo(t, `.summary a[href="#grade-`+ma7+`-1"]`, 10)
	desk.Press("Enter")
	desk.TabTo(t, sel(1), 1)
	desk.Type("E")
	desk.TabTo(t, `main button[value="submit"]`, 10)
	desk.PressAndWait("Enter")
	if desk.Status() != http.StatusOK || !strings.Contains(desk.Text(".flash"), "The grades are submitted") {
		t.Fatalf("submitting: %d %q", desk.Status(), desk.Text("main"))
	}
	desk.AssertAccessible(t)
	if n := s.count(`SELECT count(*) FROM grades WHERE activity_id = $1 AND grade_value IN ('C', 'E')`, ma7); n != 2 {
		t.Fatalf("%d of Eva's grades submitted by keyboard, want 2", n)
	}

	// David grades his own group through the API; he co-signs Eva's on a phone.
	sv7a := demo.ActivityID("sv7a")
	gradingTask(t, s, "larare-a1", grading.KindSet, p.ProcessID, demo.GroupID("7a"))
	form := get[grading.ActivityGrades](s.as("larare-a1"), "/api/v1/activities/"+sv7a+"/grades?period="+p.ID)
	expect[grading.ActivityGrades](s.as("larare-a1"), http.StatusOK, "PUT", "/api/v1/activities/"+sv7a+"/grades",
		grading.GradesRequest{Period: p.ID, Grades: gradesOf(form, "B", "A", "-"), Submit: true})
	cosign := gradingTask(t, s, "larare-a1", grading.KindCoSign, p.ProcessID, group)
	phone := b.Tab(t, phoneWidth, phoneHeight)
	s.signIn(t, phone, "larare-a1")
	phone.Go("/tasks")
	skipToContent(t, phone)
	phone.TabTo(t, `#task-`+cosign.ID+` a[href="`+path+`"]`, 30)
	phone.PressAndWait("Enter")
	if phone.Status() != http.StatusOK || !strings.Contains(phone.Text("main"), "Lärarens betyg: C") {
		t.Fatalf("the co-signer's page: %d %q", phone.Status(), phone.Text("main"))
	}
	phone.AssertAccessible(t)
	screenshot(t, phone, "teacher-cosign", phoneWidth)
	skipToContent(t, phone)
	phone.TabTo(t, `main button[value="agree"]`, 20)
	phone.PressAndWait("Enter")
	if phone.Status() != http.StatusOK || !strings.Contains(phone.Text(".flash"), "Du har godkänt betygen") {
		t.Fatalf("agreeing: %d %q", phone.Status(), phone.Text("main"))
	}
	checkBothWidths(t, s, b, "larare-a2", path)

	// The principal: from the menu to the period and what is missing, then each catalogue.
	principal := b.Tab(t, phoneWidth, phoneHeight)
	s.signIn(t, principal, "rektor-a")
	principal.TabTo(t, `nav a[href="/grading"]`, 20)
	principal.PressAndWait("Enter")
	if principal.Status() != http.StatusOK || !principal.Exists(`a[href="/grading-periods/`+p.ID+`"]`) || !principal.Exists("#term") {
		t.Fatalf("the menu's grading: %d %q", principal.Status(), principal.Text("main"))
	}
	principal.AssertAccessible(t)
	screenshot(t, principal, "principal-grading", phoneWidth)
	principal.TabTo(t, `main a[href="/grading-periods/`+p.ID+`"]`, 20)
	principal.PressAndWait("Enter")
	principal.AssertAccessible(t)
	screenshot(t, principal, "principal-period", phoneWidth)
	checkBothWidths(t, s, b, "rektor-a", "/schools/"+demo.OrgID("a")+"/grading")
	checkBothWidths(t, s, b, "rektor-a", "/grading-periods/"+p.ID)
	for _, g := range []string{group, demo.GroupID("7a")} {
		gradingTask(t, s, "rektor-a", grading.KindSignOff, p.ProcessID, g)
		catalogue := "/grading-periods/" + p.ID + "/catalogues/" + g
		principal.Go("/grading-periods/" + p.ID)
		skipToContent(t, principal)
		principal.TabTo(t, `main a[href="`+catalogue+`"]`, 20)
		principal.PressAndWait("Enter")
		principal.AssertAccessible(t)
		skipToContent(t, principal)
		principal.TabTo(t, "main form button", 20)
		principal.PressAndWait("Enter")
		if principal.Status() != http.StatusOK || !strings.Contains(principal.Text(".flash"), "Betygskatalogen är underskriven") ||
			!strings.Contains(principal.Text("main"), "Kontrollen stämmer") {
			t.Fatalf("signing off %s: %d %q", g, principal.Status(), principal.Text("main"))
		}
		principal.AssertAccessible(t)
		if g == group {
			screenshot(t, principal, "principal-catalogue", phoneWidth)
			checkBothWidths(t, s, b, "rektor-a", catalogue)
		}
	}

	// Published: the guardian reads Maja's grades on a phone.
	closed(t, s, p.ProcessID, 2*time.Minute, nil)
	guardian := b.Tab(t, phoneWidth, phoneHeight)
	s.signIn(t, guardian, "vh-1")
	maja := s.id("elev-1")
	guardian.Go("/children/" + maja)
	guardian.AssertAccessible(t)
	skipToContent(t, guardian)
	guardian.TabTo(t, `main a[href="/children/`+maja+`/grades"]`, 40)
	guardian.PressAndWait("Enter")
	if guardian.Status() != http.StatusOK || !strings.Contains(guardian.Text("main"), "Matematik") || !strings.Contains(guardian.Text("main"), "Svenska") {
		t.Fatalf("Maja's grades: %d %q", guardian.Status(), guardian.Text("main"))
	}
	guardian.AssertAccessible(t)
	screenshot(t, guardian, "guardian-grades", phoneWidth)
	checkBothWidths(t, s, b, "vh-1", "/children/"+maja+"/grades")
}
