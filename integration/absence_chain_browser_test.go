package integration

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/register"
)

// The absence day from end to end in a real browser, by keyboard alone, each page passing axe's
// WCAG 2.1 A and AA rules: Alva's guardian reports her sick on a phone from the start page; the
// teacher finds her filled in as absent on the register at a desk, marks Bo absent with the
// arrow keys and sends the register with Enter; Bo's guardian opens the link of the notice
// email on a phone, signs in on the way and answers with the reason; the mentor follows the
// task's link from the inbox to the day, reads the reason and classifies the absence as valid,
// which the API then shows, and Bo's minutes become valid absence.
func TestTheAbsenceDayInABrowser(t *testing.T) {
	// A long day and a long due time, so that a slow machine's browser cannot outlast the day's
	// process (the notice stops taking answers when the day closes) nor hand the mentor's task
	// to the principal mid-test.
	s := newStack(t, func(c *stackConfig) {
		c.timings = func(tm *durations) { tm.AbsenceDayLength, tm.AbsenceTaskDue = 5*time.Minute, 5*time.Minute }
	})
	// The pupils and guardians are new to this run, so their absence days on the shared Temporal
	// server (keyed by pupil and day) are this test's own, today's included. They sign in through
	// the dev issuer's page like the demo users: it lists every principal name under the demo
	// domain that has a role (a guardian's custody, a teacher's duty), newClass's among them.
	c := newClass(t, s, map[string][]string{"alva": {"alva-1"}, "bo": {"bo-1"}, "cleo": {"cleo-1"}})
	alva, bo, today := c.ids["alva"], c.ids["bo"], todayInSchools()
	lesson := classLesson(t, s, c.group, startedBefore(time.Now().Truncate(time.Minute), time.Minute))
	b := browser(t)

	// 1. Alva's guardian, on a phone, reports her sick today from the start page: the form
	// begins today, so the button alone sends it.
	phone := b.Tab(t, phoneWidth, phoneHeight)
	phone.Go(s.api.URL + "/")
	signInByKeyboard(t, phone, c.user("alva-1"))
	if phone.Status() != http.StatusOK || !strings.Contains(phone.Text("main"), "Anmäl frånvaro") {
		t.Fatalf("Alva's guardian's start page: %d %q", phone.Status(), phone.Text("main"))
	}
	phone.AssertAccessible(t)
	send := `form[action="/children/` + alva + `/absence"] button`
	if got := phone.Text(send); got != "Anmäl Alva frånvarande" {
		t.Fatalf("the start page's button says %q", got)
	}
	phone.TabTo(t, send, 40)
	phone.PressAndWait("Enter")
	if got := phone.Text(".flash"); phone.Status() != http.StatusOK || !strings.Contains(got, "Anmält: frånvaron är registrerad") {
		t.Fatalf("after the report: %d %q", phone.Status(), got)
	}
	phone.AssertAccessible(t)
	start, _ := time.ParseInLocation(time.DateOnly, today, register.SchoolDay)
	if reports := get[[]absence.ReportOut](s.as(c.user("alva-1")), "/api/v1/persons/"+alva+"/absence-reports"); len(reports) != 1 ||
		!reports[0].Start.Equal(start) || !reports[0].End.Equal(start.AddDate(0, 0, 1)) || reports[0].Cause != absence.CauseSick {
		t.Fatalf("Alva's reports after the button: %+v, want all of today, sick (the form's first choice)", reports)
	}

	// 2. The teacher, at a desk: from the start page's lessons of today to the register, where
	// Alva is absent already, reported by her guardian.
	desk := b.Tab(t, deskWidth, deskHeight)
	desk.Go(s.api.URL + "/")
	signInByKeyboard(t, desk, "larare-a1")
	desk.AssertAccessible(t)
	desk.TabTo(t, `a[href="/lessons/`+lesson+`/register"]`, 40)
	desk.PressAndWait("Enter")
	if desk.Status() != http.StatusOK || !strings.Contains(desk.Text("main"), "Närvaron är inte tagen") {
		t.Fatalf("the register: %d %q", desk.Status(), desk.Text("main"))
	}
	desk.AssertAccessible(t)
	html := desk.HTML()
	ai, bi := rowOf(t, html, alva), rowOf(t, html, bo)
	if note := desk.Text(`fieldset:has([value="` + alva + `"])`); !strings.Contains(note, "Sjukanmäld av vårdnadshavare") ||
		!desk.Exists(`[name="registrations/`+ai+`/status"][value="absent"]:checked`) {
		t.Fatalf("Alva is not filled in as absent, reported by her guardian: %q", note)
	}
	if !desk.Exists(`[id="registrations/` + bi + `/status"]:checked`) {
		t.Fatal("Bo is not filled in as present")
	}
	screenshot(t, desk, "teacher-register-prefilled", deskWidth)
	// Bo is not there: Tab stops at his chosen radio button (present), the arrow key moves the
	// choice to absent.
	desk.TabTo(t, `[id="registrations/`+bi+`/status"]`, 40)
	desk.Press("ArrowRight")
	if f := desk.Focused(); !strings.Contains(f, `name="registrations/`+bi+`/status" value="absent"`) ||
		!desk.Exists(`[name="registrations/`+bi+`/status"][value="absent"]:checked`) {
		t.Fatalf("after the arrow key the focus is on %s, want Bo's absent, chosen", f)
	}
	desk.TabTo(t, `main form[action="/lessons/`+lesson+`/register"] button`, 30)
	desk.PressAndWait("Enter")
	if desk.Status() != http.StatusOK || !strings.Contains(desk.Text(".flash"), "Närvaron är sparad") {
		t.Fatalf("after sending the register: %d %q", desk.Status(), desk.Text("main"))
	}
	desk.AssertAccessible(t)
	if !desk.Exists(`[name="registrations/`+ai+`/status"][value="absent"]:checked`) || !desk.Exists(`[name="registrations/`+bi+`/status"][value="absent"]:checked`) {
		t.Fatal("the register as sent does not have Alva and Bo absent")
	}
	rows := byPerson(get[[]attendance.Row](s.as("larare-a1"), "/api/v1/lessons/"+lesson+"/attendance"))
	if rows[alva].Status != "absent" || !rows[alva].Reported || rows[bo].Status != "absent" || rows[bo].InvalidAbsenceMinutes != 40 ||
		rows[c.ids["cleo"]].Status != "present" {
		t.Fatalf("the register taken by keyboard: %+v", rows)
	}

	// 3. Bo's guardian gets the day's notice by email; its link leads, through sign-in on a
	// phone that was signed in to nothing, to the notice's page, answered there by keyboard.
	var mail string
	eventually(t, time.Minute, "Bo's guardian's notice by email", func() bool {
		for _, m := range mailTo(s, c.user("bo-1")) {
			if strings.HasPrefix(m.Subject, "Frånvaro idag") {
				mail = m.Body
				return true
			}
		}
		return false
	})
	for _, m := range mailTo(s, c.user("alva-1")) {
		if strings.HasPrefix(m.Subject, "Frånvaro idag") {
			t.Fatalf("Alva's guardian, who reported her sick, got a notice of absence: %q", m.Subject)
		}
	}
	link := emailLink.FindString(mail)
	if want := s.api.URL + "/children/" + bo + "/absence/" + today; link != want {
		t.Fatalf("the notice links to %q, want %q, in\n%s", link, want, mail)
	}
	boPhone := b.Tab(t, phoneWidth, phoneHeight)
	boPhone.Go(link)
	signInByKeyboard(t, boPhone, c.user("bo-1"))
	if boPhone.URL() != link || boPhone.Status() != http.StatusOK || !strings.Contains(boPhone.Text("h1"), "Frånvaro för Bo Testsson") {
		t.Fatalf("the email's link, after sign-in, opened %s: %d %q", boPhone.URL(), boPhone.Status(), boPhone.Text("h1"))
	}
	if main := boPhone.Text("main"); !strings.Contains(main, "Frånvarande") || !strings.Contains(main, "40 minuter ogiltig frånvaro") {
		t.Fatalf("the notice's page does not say what Bo missed: %q", main)
	}
	boPhone.AssertAccessible(t)
	screenshot(t, boPhone, "guardian-notice-from-email", phoneWidth)
	boPhone.TabTo(t, "#reason", 40)
	boPhone.Type("Sjuk, feber")
	boPhone.TabTo(t, `form[action="/children/`+bo+`/absence/`+today+`"] button`, 5)
	boPhone.PressAndWait("Enter")
	if got := boPhone.Text(".flash"); boPhone.Status() != http.StatusOK || !strings.Contains(got, "Tack! Svaret är skickat till mentorn.") {
		t.Fatalf("after the answer: %d %q", boPhone.Status(), got)
	}
	if main := boPhone.Text("main"); !strings.Contains(main, "Sjuk, feber") || !strings.Contains(main, "Mentorn har inte bedömt frånvaron än.") ||
		boPhone.Exists("#reason") {
		t.Fatalf("the answered notice: %q", main)
	}
	boPhone.AssertAccessible(t)

	// 4. The mentor: the inbox's task leads to the day, where the reason is read and the
	// absence classified as valid with the Space key.
	task := taskFor(t, s, "larare-a1", "absence.classify", bo)
	staffDay := "/absence-days/" + bo + "/" + today
	desk.Go(s.api.URL + "/tasks")
	if desk.Status() != http.StatusOK || !strings.Contains(desk.Text("#task-"+task.ID), "Bo Testsson") {
		t.Fatalf("the mentor's inbox: %d %q", desk.Status(), desk.Text("main"))
	}
	desk.AssertAccessible(t)
	desk.TabTo(t, `#task-`+task.ID+` a[href="`+staffDay+`"]`, 40)
	desk.PressAndWait("Enter")
	if main := desk.Text("main"); desk.Status() != http.StatusOK || !strings.Contains(main, "Sjuk, feber") || !strings.Contains(main, "Bo Testsson") {
		t.Fatalf("the day's page from the task: %d %q", desk.Status(), main)
	}
	desk.AssertAccessible(t)
	desk.TabTo(t, `button[name="classification"][value="valid"]`, 40)
	desk.PressAndWait("Space")
	if got := desk.Text(".flash"); desk.Status() != http.StatusOK || !strings.Contains(got, "Klart. Tack!") ||
		!strings.Contains(desk.Text("main"), "Mentorn har bedömt frånvaron som giltig.") {
		t.Fatalf("after classifying: %d %q %q", desk.Status(), got, desk.Text("main"))
	}
	desk.AssertAccessible(t)
	if desk.Exists(`button[name="classification"]`) {
		t.Fatal("the classified day still offers its task")
	}
	day := get[absence.AbsenceDayView](s.as("larare-a1"), "/api/v1/persons/"+bo+"/absence-days/"+today)
	if len(day.Replies) != 1 || day.Replies[0].Classification != absence.ClassificationValid ||
		day.Replies[0].Reason == nil || *day.Replies[0].Reason != "Sjuk, feber" {
		t.Fatalf("the day's replies as the API has them: %+v", day.Replies)
	}
	eventually(t, 15*time.Second, "Bo's minutes to be valid absence", func() bool {
		sum := get[attendance.Sum](s.as(c.user("bo-1")), "/api/v1/persons/"+bo+"/attendance?from="+today+"&to="+today)
		return sum.ValidAbsenceMinutes == 40 && sum.InvalidAbsenceMinutes == 0
	})
}

// emailLink is the first web address in a message.
var emailLink = regexp.MustCompile(`https?://[^\s]+`)

// rowOf is the index of the pupil's fieldset on the register page.
func rowOf(t *testing.T, html, pupil string) string {
	t.Helper()
	m := regexp.MustCompile(`name="registrations/(\d+)/person" value="` + regexp.QuoteMeta(pupil) + `"`).FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("the register has no row for %s", pupil)
	}
	return m[1]
}
