package integration

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/activities"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/register"
)

// The absence area's pages: a guardian reports a child absent from the start page and answers
// the day's notice; the mentor reads the reason and classifies the absence on the day's page.

// publicURL is where the stacks of these tests say the pages are, in the messages they send.
const publicURL = "https://skolflow.example"

// withPublicURL gives the worker's activities the pages' address.
func withPublicURL(c *stackConfig) {
	c.wrap = func(a *activities.Activities) { a.PublicURL = publicURL }
}

func todayInSchools() string { return time.Now().In(register.SchoolDay).Format(time.DateOnly) }

// A guardian reports a child absent in one step from the start page; a report the API refuses
// shows the full form with what was typed and writes nothing; another family's child is not
// found.
func TestGuardianReportsAbsenceFromTheStartPage(t *testing.T) {
	s := newStack(t)
	maja, quentin, today := s.id("elev-1"), s.id("elev-5"), todayInSchools()
	p := s.browse(t, "vh-1")
	status, html := p.get("/")
	for _, want := range []string{`action="/children/` + maja + `/absence"`, `id="from-` + maja + `" name="from" value="` + today + `"`,
		"Anmäl Maja frånvarande", "Anmäl Nils frånvarande", "<legend>Varför är barnet borta?</legend>",
		`<input type="radio" name="cause" value="sick" checked> Sjuk</label>`, `<input type="radio" name="cause" value="other"> Annat skäl</label>`} {
		if status != http.StatusOK || !strings.Contains(html, want) {
			t.Fatalf("the start page: %d, want %q in\n%s", status, want, html)
		}
	}

	// Wrong: a day in the past; a last day that is no date. The full form says what to correct,
	// keeps what was typed, and nothing is written.
	res, html := p.post("/children/"+maja+"/absence", url.Values{"from": {"2020-01-01"}, "to": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a report in the past: %d, want 422", res.StatusCode)
	}
	for _, want := range []string{`id="summary"`, `href="#from"`, "skriv första dagen",
		`id="from" name="from" value="2020-01-01" autocomplete="off" aria-describedby="date-hint from-error" aria-invalid="true"`,
		"Anmäl frånvaro för Maja", "Bara en del av dagen?"} {
		if !strings.Contains(html, want) {
			t.Errorf("the form refused for its first day lacks %q", want)
		}
	}
	res, html = p.post("/children/"+maja+"/absence", url.Values{"from": {today}, "to": {"31/12"}, "fromTime": {"8"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a report to no date: %d, want 422", res.StatusCode)
	}
	for _, want := range []string{`href="#to"`, `href="#fromTime"`, `value="31/12"`, `value="` + today + `"`, `value="8"`,
		`aria-describedby="date-hint to-error" aria-invalid="true"`} {
		if !strings.Contains(html, want) {
			t.Errorf("the form refused for its last day lacks %q", want)
		}
	}
	if strings.Contains(html, "is in the past") || strings.Contains(html, "must be") {
		t.Error("the refused form quotes the API's English details")
	}
	res, html = p.post("/children/"+maja+"/absence", url.Values{"from": {today}, "cause": {"bored"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `href="#cause"`) ||
		!strings.Contains(html, "välj sjuk eller annat skäl") || strings.Contains(html, `value="sick" checked`) {
		t.Fatalf("a report for no cause the form offers: %d, want 422 naming the cause, none chosen\n%s", res.StatusCode, html)
	}
	if n := s.count(`SELECT count(*) FROM absence_reports`); n != 0 {
		t.Fatalf("%d reports written by a refused form", n)
	}

	// Another family's child: as if there were none, for the form and for the report.
	if status, _ := p.get("/children/" + quentin + "/absence"); status != http.StatusNotFound {
		t.Errorf("another family's child's form: %d, want 404", status)
	}
	if res, _ := p.post("/children/"+quentin+"/absence", url.Values{"from": {today}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("reporting another family's child: %d, want 404", res.StatusCode)
	}
	if n := s.count(`SELECT count(*) FROM absence_reports`); n != 0 {
		t.Fatalf("%d reports written for another family's child", n)
	}

	// Right: today, from the start page's form as it came (no last day), another reason than
	// illness chosen.
	p.get("/")
	res, _ = p.post("/children/"+maja+"/absence", url.Values{"from": {today}, "to": {""}, "cause": {"other"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("the report: %d to %q, want 303 to the start page", res.StatusCode, res.Header.Get("Location"))
	}
	if _, html := p.get("/"); !strings.Contains(html, `class="flash" role="status">Anmält:`) {
		t.Errorf("the start page after the report says no %q", "Anmält:")
	}
	reports := get[[]absence.ReportOut](s.as("vh-1"), "/api/v1/persons/"+maja+"/absence-reports")
	start, _ := time.ParseInLocation(time.DateOnly, today, register.SchoolDay)
	if len(reports) != 1 || !reports[0].Start.Equal(start) || !reports[0].End.Equal(start.AddDate(0, 0, 1)) || reports[0].Cause != absence.CauseOther {
		t.Fatalf("the reports %+v, want all of today, for another reason than illness", reports)
	}
	if status, html := p.get("/children/" + maja); status != http.StatusOK || !strings.Contains(html, "Anmäld frånvaro, inte för sjukdom, från ") {
		t.Errorf("the child's page: %d, without the report and its cause\n%s", status, html)
	}
	if n := s.count(`SELECT count(*) FROM absence_reports WHERE person_id = $1 AND reported_by = $2`, maja, s.id("vh-1")); n != 1 {
		t.Fatalf("%d reports of Maja by vh-1, want 1", n)
	}
}

// A guardian answers the day's notice with a reason from the page the notice links to; the
// other guardian, answering too, finds it answered (409) and does not read the reason; the
// mentor reads it on the day's page, from the start page, and classifies the absence there.
func TestGuardianAnswersTheNoticeAndTheMentorClassifies(t *testing.T) {
	// The day and the mentor's task last long enough for a busy machine (make test runs the
	// whole suite): the notice must still be answerable, and the task still the mentor's.
	s := newStack(t, withPublicURL, func(c *stackConfig) {
		c.timings = func(tm *durations) { tm.AbsenceDayLength, tm.AbsenceTaskDue = 5*time.Minute, 5*time.Minute }
	})
	maja, day := s.id("elev-1"), randomDay()
	lesson := lessonOn(t, s, day, 9)
	if r := s.as("larare-a1").do("PUT", "/api/v1/lessons/"+lesson+"/attendance", attendance.RegistrationInput{
		Registrations: []attendance.Registration{{Person: maja, Status: "absent"}}}, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("registering Maja absent: %d", r.StatusCode)
	}
	page := "/children/" + maja + "/absence/" + day
	eventually(t, time.Minute, "the notice by email, linking to its page", func() bool {
		return len(mailTo(s, "vh-1")) == 1
	})
	mail := mailTo(s, "vh-1")[0]
	if !strings.Contains(strings.ReplaceAll(mail.Body, "\r\n", "\n"), "\n"+publicURL+page+"\n") {
		t.Errorf("the notice does not link to %s: %q", publicURL+page, mail.Body)
	}
	for _, internal := range []string{"absence.", "notice", "<no value>", "Lind", lesson} {
		if strings.Contains(mail.Subject+mail.Body, internal) {
			t.Errorf("the notice carries %q: %q / %q", internal, mail.Subject, mail.Body)
		}
	}

	vh1 := s.browse(t, "vh-1")
	status, html := vh1.get(page)
	for _, want := range []string{"Frånvaro för Maja Lind", "09:00–09:40", "7A", "Frånvarande", "40 minuter ogiltig frånvaro",
		`<label for="reason">`, `action="` + page + `"`} {
		if status != http.StatusOK || !strings.Contains(html, want) {
			t.Fatalf("the notice's page: %d, want %q in\n%s", status, want, html)
		}
	}
	// No reason: the form again, and nothing written.
	res, html := vh1.post(page, url.Values{"reason": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `href="#reason"`) ||
		!strings.Contains(html, `aria-invalid="true"`) {
		t.Fatalf("an empty reason: %d, want 422 with the summary", res.StatusCode)
	}
	if n := s.count(`SELECT count(*) FROM absence_replies`); n != 0 {
		t.Fatalf("%d replies written by a refused form", n)
	}
	res, _ = vh1.post(page, url.Values{"reason": {"Tandläkarbesök"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page {
		t.Fatalf("the answer: %d to %q, want 303 to the page", res.StatusCode, res.Header.Get("Location"))
	}
	_, html = vh1.get(page)
	for _, want := range []string{"Tack! Svaret är skickat", "Du svarade", "Tandläkarbesök", "Mentorn har inte bedömt"} {
		if !strings.Contains(html, want) {
			t.Errorf("the page after the answer lacks %q", want)
		}
	}
	if strings.Contains(html, `<textarea`) {
		t.Error("the answered notice still offers the form")
	}

	// The child's list of days says the day is answered, for the child's page.
	days := get[[]absence.AbsenceDaySummary](s.as("vh-1"), "/api/v1/persons/"+maja+"/absence-days")
	if len(days) != 1 || days[0].Day != day || days[0].AbsentLessons != 1 || !days[0].Replied {
		t.Errorf("Maja's absence days %+v, want %s answered with one lesson", days, day)
	}

	// The other guardian reads that it was answered, not what was said; their answer is a 409.
	vh2 := s.browse(t, "vh-2")
	_, html = vh2.get(page)
	if !strings.Contains(html, "A guardian answered") || strings.Contains(html, "Tandläkarbesök") {
		t.Errorf("the other guardian's page: want the answer without its reason")
	}
	res, html = vh2.post(page, url.Values{"reason": {"Sjuk"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(html, "already answered") {
		t.Fatalf("answering twice: %d, want 409 saying it was answered", res.StatusCode)
	}
	if n := s.count(`SELECT count(*) FROM absence_replies`); n != 1 {
		t.Fatalf("%d replies after answering twice, want 1", n)
	}
	// Another family: not found; nor is a day that is no date.
	if status, _ := s.browse(t, "vh-4").get(page); status != http.StatusNotFound {
		t.Errorf("another family's child's notice: %d, want 404", status)
	}
	if status, _ := vh1.get("/children/" + maja + "/absence/yesterday"); status != http.StatusNotFound {
		t.Errorf("a day that is no date: %d, want 404", status)
	}

	// The mentor: the start page leads to the day, which shows the reason and classifies.
	mentor := s.browse(t, "larare-a1")
	staffPage := "/absence-days/" + maja + "/" + day
	_, html = mentor.get("/")
	if !strings.Contains(html, `href="`+staffPage+`"`) || !strings.Contains(html, "Bedöm om frånvaron för Maja") {
		t.Fatalf("the mentor's start page does not lead to the day:\n%s", html)
	}
	status, html = mentor.get(staffPage)
	if status != http.StatusOK || !strings.Contains(html, "Tandläkarbesök") || !strings.Contains(html, `value="valid">Giltig</button>`) {
		t.Fatalf("the mentor's page of the day: %d\n%s", status, html)
	}
	res, _ = mentor.post(staffPage, url.Values{"task": {taskOf(html)}, "classification": {"valid"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("classifying: %d, want 303", res.StatusCode)
	}
	eventually(t, 10*time.Second, "the guardian reads that it is valid", func() bool {
		_, html := vh1.get(page)
		return strings.Contains(html, "bedömt frånvaron som giltig") && strings.Contains(html, "40 minuter giltig frånvaro")
	})
	// Classified again, from a page loaded before: done already.
	res, html = mentor.post(staffPage, url.Values{"task": {taskOf(html)}, "classification": {"invalid"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(html, "redan gjord") {
		t.Errorf("classifying twice: %d, want 409", res.StatusCode)
	}
}

// taskOf is the task id of the first task form on a page.
func taskOf(html string) string {
	_, rest, _ := strings.Cut(html, `name="task" value="`)
	id, _, _ := strings.Cut(rest, `"`)
	return id
}

// A pupil with protected identity: the day's pages show him to whom the API shows him (his
// guardian, his mentor) and are not found for anyone else, as the API's answers are.
func TestProtectedPupilsAbsencePagesShowWhatTheAPIAllows(t *testing.T) {
	s := newStack(t)
	olle, day := s.id("elev-3"), randomDay()
	lesson := lessonOn(t, s, day, 13)
	if r := s.as("larare-a1").do("PUT", "/api/v1/lessons/"+lesson+"/attendance", attendance.RegistrationInput{
		Registrations: []attendance.Registration{{Person: olle, Status: "absent"}}}, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("registering Olle absent: %d", r.StatusCode)
	}
	eventually(t, 15*time.Second, "the day's notice", func() bool {
		var d absence.AbsenceDayView
		r := s.as("vh-3").do("GET", "/api/v1/persons/"+olle+"/absence-days/"+day, nil, &d)
		return r.StatusCode == http.StatusOK && d.Answerable
	})
	guardianPage, staffPage := "/children/"+olle+"/absence/"+day, "/absence-days/"+olle+"/"+day
	if status, html := s.browse(t, "vh-3").get(guardianPage); status != http.StatusOK || !strings.Contains(html, "Frånvaro för Olle Ek") {
		t.Errorf("his guardian's page: %d", status)
	}
	if status, html := s.browse(t, "larare-a1").get(staffPage); status != http.StatusOK || !strings.Contains(html, "Olle") {
		t.Errorf("his mentor's page: %d", status)
	}
	for user, path := range map[string]string{"vh-1": guardianPage, "larare-a2": staffPage, "annan-1": guardianPage} {
		status, html := s.browse(t, user).get(path)
		if status != http.StatusNotFound || strings.Contains(html, "Olle") {
			t.Errorf("%s on %s: %d, want 404 naming no one", user, path, status)
		}
	}
}
