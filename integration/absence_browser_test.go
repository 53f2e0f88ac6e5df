package integration

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/attendance"
)

// A guardian on a phone, by keyboard alone: reports her child sick from the start page in one
// step, meets the full form's error summary, and answers the day's absence notice. Each page
// passes axe's WCAG 2.1 A and AA rules at 360 px.
func TestGuardianReportsSickByKeyboardOnAPhone(t *testing.T) {
	s := newStack(t)
	maja, today, day := s.id("elev-1"), todayInSchools(), randomDay()
	lesson := lessonOn(t, s, day, 10)
	if r := s.as("larare-a1").do("PUT", "/api/v1/lessons/"+lesson+"/attendance", attendance.RegistrationInput{
		Registrations: []attendance.Registration{{Person: maja, Status: "absent"}}}, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("registering Maja absent: %d", r.StatusCode)
	}
	b := browser(t)
	tab := b.Tab(t, phoneWidth, phoneHeight)
	s.signIn(t, tab, "vh-1")
	tab.AssertAccessible(t)
	screenshot(t, tab, "guardian-absence-start", phoneWidth)

	// The start page: Maja's form begins today; the last day is typed, and Enter sends it.
	tab.TabTo(t, "#to-"+maja, 40)
	tab.Type(today)
	tab.PressAndWait("Enter")
	if got := tab.Text(".flash"); tab.Status() != http.StatusOK || !strings.Contains(got, "Anmält") {
		t.Fatalf("after the report: %d %q", tab.Status(), got)
	}
	if reports := get[[]absence.ReportOut](s.as("vh-1"), "/api/v1/persons/"+maja+"/absence-reports"); len(reports) != 1 {
		t.Fatalf("the reports after the keyboard's report: %+v", reports)
	}

	// The full form: a first day in the past comes back with a summary leading to the field.
	tab.Go(s.api.URL + "/children/" + maja + "/absence")
	tab.AssertAccessible(t)
	tab.TabTo(t, "#from", 30)
	tab.Press("End")
	for range len(today) {
		tab.Press("Backspace")
	}
	tab.Type("2020-01-01")
	tab.PressAndWait("Enter")
	if tab.Status() != http.StatusUnprocessableEntity || !strings.Contains(tab.Text(".summary"), "Från och med") {
		t.Fatalf("a report in the past: %d, summary %q", tab.Status(), tab.Text(".summary"))
	}
	tab.AssertAccessible(t)
	screenshot(t, tab, "guardian-absence-report-error", phoneWidth)

	// The day's notice, answered with a reason.
	eventually(t, 15*time.Second, "the day's notice", func() bool {
		var d absence.AbsenceDayView
		r := s.as("vh-1").do("GET", "/api/v1/persons/"+maja+"/absence-days/"+day, nil, &d)
		return r.StatusCode == http.StatusOK && d.Answerable
	})
	tab.Go(s.api.URL + "/children/" + maja + "/absence/" + day)
	tab.AssertAccessible(t)
	screenshot(t, tab, "guardian-absence-notice", phoneWidth)
	tab.TabTo(t, "#reason", 40)
	tab.Type("Sjuk, feber")
	tab.TabTo(t, `form[action$="/absence/`+day+`"] button`, 5)
	tab.PressAndWait("Enter")
	if got := tab.Text(".flash"); !strings.Contains(got, "Tack") || !strings.Contains(tab.HTML(), "Sjuk, feber") {
		t.Fatalf("after the answer: %q", got)
	}
	tab.AssertAccessible(t)
}
