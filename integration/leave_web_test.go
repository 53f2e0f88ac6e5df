package integration

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/skolflow/skolflow/internal/demo"
)

// A guardian applies for leave on the child's leave page: a wrong form comes back with what was
// typed, a summary naming each wrong field, and nothing written; a good one is sent, said so
// once, and listed in words; the same days again are refused with the form kept. A guardian of
// another family finds no such page, and can send nothing to it.
func TestLeavePageApplies(t *testing.T) {
	s := newStack(t)
	pupil := s.id("elev-1") // Maja: guardians vh-1 and vh-2
	path := "/children/" + pupil + "/leave"
	p := s.browse(t, "vh-1")
	status, html := p.get(path)
	if status != http.StatusOK || !strings.Contains(html, "Ledighet för Maja Lind") || !strings.Contains(html, `<input id="from" name="from" type="date"`) ||
		!strings.Contains(html, "Det finns inga ansökningar om ledighet.") {
		t.Fatalf("the leave page: %d\n%s", status, html)
	}

	from, to := leaveDays(3)
	res, html := p.post(path, url.Values{"from": {to}, "to": {from}, "reason": {"Resa till mormor"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `class="summary"`) ||
		!strings.Contains(html, `<a href="#to">Sista dagen: ange ett datum`) ||
		!strings.Contains(html, `id="to" name="to" type="date" required value="`+from+`" aria-invalid="true" aria-describedby="to-error"`) ||
		!strings.Contains(html, `value="`+to+`"`) || !strings.Contains(html, ">Resa till mormor</textarea>") {
		t.Fatalf("a last day before the first: %d, want 422 with the summary and what was typed\n%s", res.StatusCode, html)
	}
	res, html = p.post(path, url.Values{"from": {"2020-01-01"}, "to": {""}, "reason": {"  "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `<a href="#reason">`) {
		t.Fatalf("an empty form: %d, want 422 naming the reason\n%s", res.StatusCode, html)
	}
	if n := s.count(`SELECT count(*) FROM leave_applications`); n != 0 {
		t.Fatalf("%d applications written by wrong forms", n)
	}

	res, _ = p.post(path, url.Values{"from": {from}, "to": {to}, "reason": {"Resa till mormor"}})
	if loc := p.location(res, http.StatusSeeOther); loc != path {
		t.Fatalf("a good application led to %q, want back to the page", loc)
	}
	status, html = p.get(path)
	if status != http.StatusOK || !strings.Contains(html, `class="flash"`) || !strings.Contains(html, "Ansökan är skickad.") ||
		!strings.Contains(html, "5 skoldagar") || !strings.Contains(html, "Skäl: Resa till mormor") ||
		!(strings.Contains(html, "Väntar på att barnets andra vårdnadshavare godkänner ansökan.") || strings.Contains(html, "Väntar på skolans beslut.")) {
		t.Fatalf("after applying: %d, want the flash and the application in words\n%s", status, html)
	}
	if strings.Contains(html, "awaiting-") {
		t.Error("the page shows a status code")
	}
	if n := s.count(`SELECT count(*) FROM leave_applications WHERE person_id = $1`, pupil); n != 1 {
		t.Fatalf("%d applications after one was sent", n)
	}

	res, html = p.post(path, url.Values{"from": {from}, "to": {to}, "reason": {"Igen"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(html, "barnet har redan ledighet") || !strings.Contains(html, ">Igen</textarea>") {
		t.Fatalf("the same days again: %d, want 409 with the form kept\n%s", res.StatusCode, html)
	}

	other := s.browse(t, "vh-4") // Quentin's guardian, not Maja's
	if status, html := other.get(path); status != http.StatusNotFound || strings.Contains(html, "Maja") {
		t.Fatalf("another family's guardian opening the page: %d, want 404 saying nothing of the child", status)
	}
	other.get("/") // a page with the form's token
	if res, _ := other.post(path, url.Values{"from": {from}, "to": {from}, "reason": {"x"}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another family's guardian applying: %d, want 404", res.StatusCode)
	}
	if n := s.count(`SELECT count(*) FROM leave_applications`); n != 1 {
		t.Fatalf("%d applications, want only the one sent", n)
	}
	// The English page speaks English.
	if res, _ := p.post("/language", url.Values{"lang": {"en"}, "next": {path}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("choosing English: %d", res.StatusCode)
	}
	if _, html := p.get(path); !strings.Contains(html, "Leave for Maja Lind") || !strings.Contains(html, "5 school days") {
		t.Fatalf("the page in English:\n%s", html)
	}
}

// The principal sets the school's delegation of short leave to the mentors: from the menu to
// their school's page, a number the API refuses comes back with the summary and nothing
// written, a good one is saved. A teacher reads it but may not set it; a guardian and another
// school's principal may not see it.
func TestLeaveDelegationPage(t *testing.T) {
	s := newStack(t)
	school := demo.OrgID("a")
	path := "/schools/" + school + "/leave-delegation"
	p := s.browse(t, "rektor-a")
	if _, html := p.get("/"); !strings.Contains(html, `href="/leave/delegation"`) {
		t.Fatal("the principal's menu has no way to the delegation")
	}
	res, _ := p.do("GET", "/leave/delegation", nil)
	if loc := p.location(res, http.StatusSeeOther); loc != path {
		t.Fatalf("the menu's entry led to %q, want the principal's school", loc)
	}
	status, html := p.get(path)
	if status != http.StatusOK || !strings.Contains(html, "Beslut om ledighet vid Ekbackens skola") ||
		!strings.Contains(html, "Nu beslutar rektorn om all ledighet.") || !strings.Contains(html, `<label for="mentorMaxDays">`) {
		t.Fatalf("the delegation page: %d\n%s", status, html)
	}
	for _, bad := range []string{"11", "-1", "två", ""} {
		res, html := p.post(path, url.Values{"mentorMaxDays": {bad}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `<a href="#mentorMaxDays">`) ||
			!strings.Contains(html, `value="`+bad+`"`) || !strings.Contains(html, `aria-invalid="true"`) {
			t.Fatalf("delegating %q days: %d, want 422 with the summary and what was typed\n%s", bad, res.StatusCode, html)
		}
	}
	if n := s.count(`SELECT count(*) FROM leave_delegations`); n != 0 {
		t.Fatalf("%d delegations written by wrong forms", n)
	}
	res, _ = p.post(path, url.Values{"mentorMaxDays": {"3"}})
	if loc := p.location(res, http.StatusSeeOther); loc != path {
		t.Fatalf("saving led to %q", loc)
	}
	if _, html := p.get(path); !strings.Contains(html, "Delegeringen är sparad.") || !strings.Contains(html, "högst 3 skoldagar") {
		t.Fatalf("after saving:\n%s", html)
	}

	teacher := s.browse(t, "larare-a1")
	status, html = teacher.get(path)
	if status != http.StatusOK || !strings.Contains(html, "högst 3 skoldagar") || strings.Contains(html, `name="mentorMaxDays"`) {
		t.Fatalf("a teacher reading the delegation: %d, want it without the form\n%s", status, html)
	}
	teacher.get("/")
	if res, _ := teacher.post(path, url.Values{"mentorMaxDays": {"10"}}); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
		t.Fatalf("a teacher setting the delegation: %d, want it refused", res.StatusCode)
	}
	if res, _ := teacher.do("GET", "/leave/delegation", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a teacher's /leave/delegation: %d, want 403", res.StatusCode)
	}
	for _, user := range []string{"vh-1", "rektor-b"} {
		q := s.browse(t, user)
		if status, _ := q.get(path); status != http.StatusNotFound && status != http.StatusForbidden {
			t.Fatalf("%s opening school A's delegation: %d, want it refused", user, status)
		}
		q.get("/")
		if res, _ := q.post(path, url.Values{"mentorMaxDays": {"0"}}); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Fatalf("%s setting school A's delegation: %d, want it refused", user, res.StatusCode)
		}
	}
	if n := s.count(`SELECT mentor_max_days FROM leave_delegations WHERE school_id = $1`, school); n != 3 {
		t.Fatalf("the delegation is %d days, want the principal's 3", n)
	}
}

// A guardian with protected identity applies: the other guardian's leave page shows the
// application and where it stands, but neither who applied nor the reason, as the API hides
// them; the applicant's own page shows the reason.
func TestLeavePageShowsNoMoreThanTheAPIAllows(t *testing.T) {
	s := newStack(t)
	pupil := s.id("elev-5") // Quentin: guardians vh-4, and vh-5 with protected identity
	from, to := leaveDays(5)
	applyForLeave(s, "vh-5", pupil, from, to, "Besök hos släkt i Luleå")
	path := "/children/" + pupil + "/leave"

	status, html := s.browse(t, "vh-4").get(path)
	if status != http.StatusOK || !strings.Contains(html, "5 skoldagar") {
		t.Fatalf("the other guardian's leave page: %d\n%s", status, html)
	}
	for _, secret := range []string{"Luleå", "Tove", "Sund", s.id("vh-5")} {
		if strings.Contains(html, secret) {
			t.Errorf("the other guardian's page shows %q of the protected applicant", secret)
		}
	}
	if _, html := s.browse(t, "vh-5").get(path); !strings.Contains(html, "Skäl: Besök hos släkt i Luleå") {
		t.Fatalf("the applicant's own page has no reason:\n%s", html)
	}
}
