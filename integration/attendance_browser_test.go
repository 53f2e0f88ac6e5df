package integration

import (
	"net/http"
	"strings"
	"testing"

	"github.com/skolflow/skolflow/attendance"
)

// A teacher takes a lesson's register by keyboard alone, at a desk: from the lessons to the
// register, one pupil marked absent and one late with the arrow keys and the minutes typed, and
// the form sent with Enter; Alva, whom her guardian reported, is absent already. The lessons,
// the register and the groups pass axe-core's WCAG 2.1 A and AA rules at a desk's width, and the
// guardian's page about a child at a phone's.
func TestTakingTheRegisterInABrowser(t *testing.T) {
	s := newStack(t)
	started, _, _ := timetable(t, s) // Maja's lessons, for her guardian's page
	c, lesson := registerClass(t, s)
	b := browser(t)

	desk := b.Tab(t, deskWidth, deskHeight)
	s.signIn(t, desk, "larare-a1")
	desk.Go(s.api.URL + "/lessons")
	desk.AssertAccessible(t)
	screenshot(t, desk, "teacher-lessons", deskWidth)
	desk.TabTo(t, `a[href="/lessons/`+lesson+`/register"]`, 40)
	desk.PressAndWait("Enter")
	if desk.Status() != http.StatusOK || !strings.Contains(desk.Text("main"), "Anmäld av vårdnadshavare") {
		t.Fatalf("the register: %d %q", desk.Status(), desk.Text("main"))
	}
	desk.AssertAccessible(t)
	// Bo is absent: the Tab key stops at his choice (present), the arrow key moves it to absent.
	desk.TabTo(t, `[id="registrations/1/status"]`, 40)
	desk.Press("ArrowRight")
	if f := desk.Focused(); !strings.Contains(f, `name="registrations/1/status" value="absent"`) || !desk.Exists(`[name="registrations/1/status"][value="absent"]:checked`) {
		t.Fatalf("after the arrow key the focus is on %s, want Bo's absent, chosen", f)
	}
	// Cleo came five minutes late: two arrows to late, Tab to her minutes, typed.
	desk.TabTo(t, `[id="registrations/2/status"]`, 10)
	desk.Press("ArrowRight")
	desk.Press("ArrowRight")
	desk.Press("Tab")
	if f := desk.Focused(); !strings.Contains(f, `id="registrations/2/minutesLate"`) {
		t.Fatalf("Tab after Cleo's choice stops at %s, want her minutes late", f)
	}
	desk.Type("5")
	screenshot(t, desk, "teacher-register", deskWidth)
	desk.TabTo(t, "main form button", 20)
	desk.PressAndWait("Enter")
	if desk.Status() != http.StatusOK || !strings.Contains(desk.Text(".flash"), "Närvaron är sparad") {
		t.Fatalf("after sending the register: %d %q", desk.Status(), desk.Text("main"))
	}
	rows := byPerson(get[[]attendance.Row](s.as("larare-a1"), "/api/v1/lessons/"+lesson+"/attendance"))
	alva, bo, cleo := rows[c.ids["alva"]], rows[c.ids["bo"]], rows[c.ids["cleo"]]
	if alva.Status != "absent" || !alva.Reported || bo.Status != "absent" || bo.InvalidAbsenceMinutes != 40 ||
		cleo.Status != "late" || cleo.InvalidAbsenceMinutes != 5 {
		t.Fatalf("the register taken by keyboard: %+v", rows)
	}
	desk.Go("/groups")
	desk.AssertAccessible(t)

	// Maja came ten minutes late to today's 7A lesson: her page's chart has something to show.
	expect[struct{}](s.as("larare-a1"), http.StatusOK, "PUT", "/api/v1/lessons/"+started+"/attendance",
		attendance.RegistrationInput{Registrations: []attendance.Registration{{Person: s.id("elev-1"), Status: "late", MinutesLate: 10}}})
	phone := b.Tab(t, phoneWidth, phoneHeight)
	s.signIn(t, phone, "vh-1")
	phone.Go(s.api.URL + "/children/" + s.id("elev-1"))
	if phone.Status() != http.StatusOK || !strings.Contains(phone.Text("h1"), "Maja") || !strings.Contains(phone.Text("main"), "Närvarande 75 % (30 av 40 minuter)") {
		t.Fatalf("the page about Maja: %d", phone.Status())
	}
	phone.AssertAccessible(t)
	screenshot(t, phone, "guardian-child", phoneWidth)
}
