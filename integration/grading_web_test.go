package integration

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/grading"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/register"
)

// gradeForm is a grade form as the page posts it: the activity, the button pressed and each
// pupil's choice, in the form's order.
func gradeForm(activity, action string, pupils []string, values ...string) url.Values {
	f := url.Values{"activity": {activity}, "action": {action}}
	for i, p := range pupils {
		f.Set("grades/"+strconv.Itoa(i)+"/student", p)
		f.Set("grades/"+strconv.Itoa(i)+"/gradeValue", values[i])
	}
	return f
}

// selected is the value chosen in the select with id on the page, "" for none.
func selected(html, id string) string {
	at := strings.Index(html, `id="`+id+`"`)
	if at < 0 {
		return "<no such select>"
	}
	rest := html[at:]
	if end := strings.Index(rest, "</select>"); end >= 0 {
		rest = rest[:end]
	}
	if m := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(rest); m != nil {
		return m[1]
	}
	return ""
}

// A teacher grades a group on its page, from the task (Eva reads the pages in English): a draft is saved and shown again; a
// submission with a pupil left out, or a grade outside the scale, comes back as typed with a
// summary naming each wrong pupil's field and linking to it, and nothing written; the whole
// group is submitted once, and again is a plain 409 that shows where the grades stand. The
// co-signer is led to the same page by their task, sees the teacher's grades, is refused a
// disagreement without a grade of their own, and agrees. Those who neither grade nor lead the
// school find no page.
func TestTheGradeFormPage(t *testing.T) {
	s := newStack(t)
	p := openPeriod(t, s, time.Minute, time.Minute+time.Second, 2*time.Minute)
	endsWithTheTest(t, s, p.ProcessID)
	ma7, group := demo.ActivityID("ma7"), demo.GroupID("ma7")
	path := "/grading-periods/" + p.ID + "/groups/" + group
	set := gradingTask(t, s, "larare-a2", grading.KindSet, p.ProcessID, group)

	teacher := s.browse(t, "larare-a2")
	if status, html := teacher.get("/tasks"); status != http.StatusOK || !strings.Contains(html, `href="`+path+`"`) ||
		!strings.Contains(html, "grades for the group you teach.") {
		t.Fatalf("the task %s on /tasks: %d, want a link to the group's grade forms\n%s", set.ID, status, html)
	}
	status, html := teacher.get(path)
	maja, nils := s.id("elev-1"), s.id("elev-2")
	sel := func(i int) string { return "grade-" + ma7 + "-" + strconv.Itoa(i) }
	if status != http.StatusOK || !strings.Contains(html, "Matematik 7") || !strings.Contains(html, `<label for="`+sel(0)+`">Maja Lind</label>`) ||
		!strings.Contains(html, `<label for="`+sel(1)+`">Nils Lind</label>`) || !strings.Contains(html, `<option value="-">– (no basis because of absence)</option>`) ||
		!strings.Contains(html, `value="draft"`) || !strings.Contains(html, `value="submit"`) {
		t.Fatalf("the grade form: %d\n%s", status, html)
	}
	pupils := []string{maja, nils}

	// A draft: Maja C, Nils nothing yet.
	res, _ := teacher.post(path, gradeForm(ma7, "draft", pupils, "C", ""))
	if loc := teacher.location(res, http.StatusSeeOther); loc != path {
		t.Fatalf("saving a draft led to %q", loc)
	}
	_, html = teacher.get(path)
	if !strings.Contains(html, "The draft is saved.") || selected(html, sel(0)) != "C" || selected(html, sel(1)) != "" {
		t.Fatalf("after the draft: Maja %q, Nils %q\n%s", selected(html, sel(0)), selected(html, sel(1)), html)
	}
	if n := s.count(`SELECT count(*) FROM grade_drafts WHERE activity_id = $1`, ma7); n != 1 {
		t.Fatalf("%d drafts, want Maja's", n)
	}

	// Submitted with Nils left out, then with a grade outside the scale: 422, nothing written.
	for _, bad := range []string{"", "G"} {
		res, html = teacher.post(path, gradeForm(ma7, "submit", pupils, "C", bad))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `class="summary"`) ||
			!strings.Contains(html, `<a href="#`+sel(1)+`">Choose a grade for Nils Lind`) || strings.Contains(html, `<a href="#`+sel(0)+`"`) ||
			!strings.Contains(html, `id="`+sel(1)+`" name="grades/1/gradeValue" aria-invalid="true" aria-describedby="`+sel(1)+`-error"`) ||
			selected(html, sel(0)) != "C" {
			t.Fatalf("a submission with Nils's grade %q: %d, want 422 naming Nils, Maja's C kept\n%s", bad, res.StatusCode, html)
		}
	}
	if n := s.count(`SELECT count(*) FROM grades`); n != 0 {
		t.Fatalf("%d grades written by refused submissions", n)
	}

	res, _ = teacher.post(path, gradeForm(ma7, "submit", pupils, "C", "E"))
	if loc := teacher.location(res, http.StatusSeeOther); loc != path {
		t.Fatalf("submitting led to %q", loc)
	}
	_, html = teacher.get(path)
	if !strings.Contains(html, "The grades are submitted.") || !strings.Contains(html, "Submitted but not final yet.") ||
		strings.Contains(html, `value="submit"`) || !strings.Contains(html, "<th scope=\"row\">Nils Lind</th>") {
		t.Fatalf("after submitting:\n%s", html)
	}
	if n := s.count(`SELECT count(*) FROM grades WHERE activity_id = $1 AND signed_at IS NULL`, ma7); n != 2 {
		t.Fatalf("%d grades submitted, want 2 awaiting the co-signature", n)
	}
	// The same form again (a second tab): 409, the grades as they stand, nothing written.
	res, html = teacher.post(path, gradeForm(ma7, "submit", pupils, "A", "A"))
	if res.StatusCode != http.StatusConflict || !strings.Contains(html, "the step is done already") || strings.Contains(html, `value="submit"`) {
		t.Fatalf("submitting twice: %d, want 409 with the grades as they stand\n%s", res.StatusCode, html)
	}
	if n := s.count(`SELECT count(*) FROM grades WHERE activity_id = $1 AND grade_value = 'A'`, ma7); n != 0 {
		t.Fatalf("the second submission wrote %d grades", n)
	}

	// David co-signs: the task leads here, with Eva's grades.
	gradingTask(t, s, "larare-a1", grading.KindCoSign, p.ProcessID, group)
	cosigner := s.browse(t, "larare-a1")
	if _, html := cosigner.get("/tasks"); !strings.Contains(html, `href="`+path+`"`) {
		t.Fatalf("the co-signing task has no link to the group's page\n%s", html)
	}
	status, html = cosigner.get(path)
	if status != http.StatusOK || !strings.Contains(html, "Lärarens betyg: C") || !strings.Contains(html, "Samma som lärarens (E)") ||
		!strings.Contains(html, `value="agree"`) || !strings.Contains(html, `value="disagree"`) {
		t.Fatalf("the co-signer's page: %d\n%s", status, html)
	}
	res, html = cosigner.post(path, gradeForm(ma7, "disagree", pupils, "", ""))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `<a href="#`+sel(0)+`">Välj ditt betyg för minst en elev`) {
		t.Fatalf("a disagreement without a grade: %d, want 422\n%s", res.StatusCode, html)
	}
	if n := s.count(`SELECT count(*) FROM grade_proposals`); n != 0 {
		t.Fatalf("%d proposals written by a refused disagreement", n)
	}
	res, _ = cosigner.post(path, gradeForm(ma7, "agree", pupils, "", ""))
	if loc := cosigner.location(res, http.StatusSeeOther); loc != path {
		t.Fatalf("agreeing led to %q", loc)
	}
	eventually(t, 20*time.Second, "Eva's grades final", func() bool {
		return s.count(`SELECT count(*) FROM grades WHERE activity_id = $1 AND signed_at IS NOT NULL AND co_signer = $2`, ma7, s.id("larare-a1")) == 2
	})
	if _, html := teacher.get(path); !strings.Contains(html, "The grades are final.") {
		t.Fatalf("the teacher's page once final:\n%s", html)
	}

	// Neither a teacher of another school nor a guardian finds the page, nor sends to it.
	for _, user := range []string{"larare-b1", "vh-1"} {
		q := s.browse(t, user)
		if status, html := q.get(path); status != http.StatusNotFound && status != http.StatusForbidden || strings.Contains(html, "Nils") {
			t.Fatalf("%s opening the grade form: %d, want it refused", user, status)
		}
		q.get("/")
		if res, _ := q.post(path, gradeForm(ma7, "draft", pupils, "A", "A")); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Fatalf("%s sending the grade form: %d, want it refused", user, res.StatusCode)
		}
	}
	if n := s.count(`SELECT count(*) FROM grade_drafts`); n != 0 {
		t.Fatalf("%d drafts written by those who may not", n)
	}
}

// The principal opens a period from the menu's page: dates in the wrong order, or no term, come
// back as typed with a summary naming the field, and nothing is written; a good form opens it,
// and the same term again is a plain 409. The period's page lists what is missing and leads to
// each group's forms and catalogue; a sign-off with grades missing says so and signs nothing.
// The school's teachers read the periods without the form and no catalogue; a guardian and
// another school's principal find nothing.
func TestThePrincipalsGradingPages(t *testing.T) {
	s := newStack(t)
	school := demo.OrgID("a")
	list := "/schools/" + school + "/grading"
	p := s.browse(t, "rektor-a")
	if _, html := p.get("/"); !strings.Contains(html, `href="/grading"`) {
		t.Fatal("the principal's menu has no way to grading")
	}
	res, _ := p.do("GET", "/grading", nil)
	if loc := p.location(res, http.StatusSeeOther); loc != list {
		t.Fatalf("the menu's entry led to %q, want the principal's school", loc)
	}
	status, html := p.get(list)
	if status != http.StatusOK || !strings.Contains(html, "Betyg vid Ekbackens skola") || !strings.Contains(html, "Skolan har ingen betygsperiod än.") ||
		!strings.Contains(html, `<select id="term" name="term"`) || !strings.Contains(html, `type="datetime-local"`) {
		t.Fatalf("the periods page: %d\n%s", status, html)
	}
	term := gradingTerm(t, s)
	endsWithTheTest(t, s, grading.ProcessID(school, term))
	day := time.Now().In(register.SchoolDay).AddDate(0, 0, 7).Format(time.DateOnly)
	form := func(entry, deadline, signOff, publication string) url.Values {
		return url.Values{"term": {term}, "entryOpens": {day + "T" + entry}, "teacherDeadline": {day + "T" + deadline},
			"signOff": {day + "T" + signOff}, "publication": {day + "T" + publication}}
	}
	res, html = p.post(list, form("08:00", "07:00", "09:00", "10:00"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `<a href="#teacherDeadline">Lärarnas sista dag: ange datum och tid efter att perioden öppnar.`) ||
		!strings.Contains(html, `value="`+day+`T07:00" aria-describedby="teacherDeadline-hint teacherDeadline-error" aria-invalid="true"`) ||
		!strings.Contains(html, `value="`+day+`T10:00"`) {
		t.Fatalf("a deadline before the period opens: %d, want 422 with the summary and what was typed\n%s", res.StatusCode, html)
	}
	bad := form("08:00", "09:00", "10:00", "11:00")
	bad.Set("term", "")
	bad.Set("publication", "snart")
	res, html = p.post(list, bad)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `<a href="#term">`) || !strings.Contains(html, `<a href="#publication">`) ||
		!strings.Contains(html, `value="snart"`) {
		t.Fatalf("no term and a publication that is no time: %d, want 422 naming both\n%s", res.StatusCode, html)
	}
	if n := s.count(`SELECT count(*) FROM grading_periods`); n != 0 {
		t.Fatalf("%d periods written by wrong forms", n)
	}
	res, _ = p.post(list, form("08:00", "12:00", "13:00", "14:00"))
	period := grading.PeriodID(school, term)
	if loc := p.location(res, http.StatusSeeOther); loc != "/grading-periods/"+period {
		t.Fatalf("opening led to %q, want the period's page", loc)
	}
	status, html = p.get("/grading-periods/" + period)
	ma7, sv7a := demo.GroupID("ma7"), demo.GroupID("7a")
	if status != http.StatusOK || !strings.Contains(html, "Betygsperioden är öppnad.") || !strings.Contains(html, "Betyg HT2026 vid Ekbackens skola") ||
		!strings.Contains(html, "Matematik 7") || !strings.Contains(html, "Eva Ämnesdóttir") || !strings.Contains(html, "Inga betyg inskickade, 2 elever saknar betyg.") ||
		!strings.Contains(html, `href="/grading-periods/`+period+`/groups/`+ma7+`"`) || !strings.Contains(html, `href="/grading-periods/`+period+`/catalogues/`+sv7a+`"`) {
		t.Fatalf("the period's page: %d\n%s", status, html)
	}
	if opened := s.count(`SELECT count(*) FROM grading_periods WHERE entry_opens = $1::timestamptz`, day+"T08:00:00+01:00"); opened != 1 &&
		s.count(`SELECT count(*) FROM grading_periods WHERE entry_opens = $1::timestamptz`, day+"T08:00:00+02:00") != 1 {
		t.Fatal("the period does not open at 08:00 in the schools' time zone")
	}
	res, html = p.post(list, form("08:00", "12:00", "13:00", "14:00"))
	if res.StatusCode != http.StatusConflict || !strings.Contains(html, "Skolan har redan en betygsperiod för den terminen.") || !strings.Contains(html, `value="`+day+`T12:00"`) {
		t.Fatalf("the same term again: %d, want 409 with the form kept\n%s", res.StatusCode, html)
	}
	if n := s.count(`SELECT count(*) FROM grading_periods`); n != 1 {
		t.Fatalf("%d periods, want 1", n)
	}

	// The catalogue cannot be signed while grades are missing: the page says what is missing.
	catalogue := "/grading-periods/" + period + "/catalogues/" + ma7
	status, html = p.get(catalogue)
	if status != http.StatusOK || !strings.Contains(html, "Katalogen är inte underskriven än.") || !strings.Contains(html, "Skriv under betygskatalogen") ||
		!strings.Contains(html, `id="missing"`) {
		t.Fatalf("the catalogue's page: %d\n%s", status, html)
	}
	res, html = p.post(catalogue, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `<a href="#missing">Katalogen kan skrivas under först när alla betyg`) {
		t.Fatalf("a sign-off with grades missing: %d, want 422 leading to what is missing\n%s", res.StatusCode, html)
	}
	if n := s.count(`SELECT count(*) FROM grade_catalogues`); n != 0 {
		t.Fatalf("%d catalogues signed with grades missing", n)
	}

	teacher := s.browse(t, "larare-a1")
	if _, html := teacher.get("/"); !strings.Contains(html, `href="/grading"`) {
		t.Fatal("a teacher's start page has no way to grading")
	}
	status, html = teacher.get(list)
	if status != http.StatusOK || !strings.Contains(html, "Betyg HT2026") || strings.Contains(html, `name="term"`) {
		t.Fatalf("a teacher's periods page: %d, want the list without the form\n%s", status, html)
	}
	if status, html := teacher.get("/grading-periods/" + period); status != http.StatusOK || strings.Contains(html, "/catalogues/") {
		t.Fatalf("a teacher's period page: %d, want it without the catalogues\n%s", status, html)
	}
	if status, _ := teacher.get(catalogue); status != http.StatusNotFound && status != http.StatusForbidden {
		t.Fatalf("a teacher opening the catalogue: %d, want it refused", status)
	}
	teacher.get("/")
	if res, _ := teacher.post(list, form("08:00", "12:00", "13:00", "14:00")); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
		t.Fatalf("a teacher opening a period: %d, want it refused", res.StatusCode)
	}
	for _, user := range []string{"vh-1", "rektor-b"} {
		q := s.browse(t, user)
		for _, path := range []string{list, "/grading-periods/" + period, catalogue} {
			if status, _ := q.get(path); status != http.StatusNotFound && status != http.StatusForbidden {
				t.Fatalf("%s opening %s: %d, want it refused", user, path, status)
			}
		}
	}
	if res, _ := s.browse(t, "vh-1").do("GET", "/grading", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a guardian's /grading: %d, want 403", res.StatusCode)
	}
}

// endsWithTheTest ends the period's process when the test ends: the next test's period of the
// same school and term has the same business key on the shared server.
func endsWithTheTest(t *testing.T, s *stack, process string) {
	t.Cleanup(func() {
		_ = s.temporal.TerminateWorkflow(context.Background(), process, "", "the test is over") // closed already: nothing to end
	})
}

// pupilSignsIn gives a demo pupil a principal name, as a city's register would, so that they
// can sign in; one who has one already (Maja) keeps it.
func pupilSignsIn(t *testing.T, s *stack, key string) *page {
	t.Helper()
	ctx := context.Background()
	name := key + "@" + demo.UserDomain
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO person_principal_names (principal_name, person_id) VALUES ($1, $2)
			ON CONFLICT (principal_name) DO NOTHING`, name, s.id(key)); err != nil {
			return err
		}
		return register.Changed(ctx, tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	return s.browseAs(t, name)
}

// The principal signs off a group's catalogue on its page, from the task: signed, it shows who
// signed and when, its SHA-256 as stored, and that it verifies; a second sign-off is a plain
// 409. Before publication a guardian's pages about the child say plainly that there are no
// grades yet; after it they list the child's grades, and the pupil reads their own. Another
// family's guardian, and a guardian of a protected child's class, find no page about the child.
func TestSignOffAndThePublishedGradesPages(t *testing.T) {
	s := newStack(t)
	p := openPeriod(t, s, 30*time.Second, 31*time.Second, 32*time.Second)
	endsWithTheTest(t, s, p.ProcessID)
	submitAll(t, s, p)

	maja := s.id("elev-1")
	guardian := s.browse(t, "vh-1")
	for _, path := range []string{"/children/" + maja + "/grades", "/children/" + maja} {
		status, html := guardian.get(path)
		if status != http.StatusOK || !strings.Contains(html, "Det finns inga publicerade betyg än.") || strings.Contains(html, "Matematik") {
			t.Fatalf("%s before publication: %d, want it to say there is nothing yet\n%s", path, status, html)
		}
	}

	group := demo.GroupID("ma7")
	path := "/grading-periods/" + p.ID + "/catalogues/" + group
	gradingTask(t, s, "rektor-a", grading.KindSignOff, p.ProcessID, group)
	principal := s.browse(t, "rektor-a")
	if _, html := principal.get("/tasks"); !strings.Contains(html, `href="`+path+`"`) {
		t.Fatalf("the sign-off task has no link to the catalogue\n%s", html)
	}
	status, html := principal.get(path)
	if status != http.StatusOK || !strings.Contains(html, "<th scope=\"row\">Maja Lind</th><td>Matematik 7</td><td>C</td>") ||
		!strings.Contains(html, "Lärare: Eva Ämnesdóttir") || !strings.Contains(html, "Medbedömare: David Lärarsson") || strings.Contains(html, `id="missing"`) {
		t.Fatalf("the catalogue before the sign-off: %d\n%s", status, html)
	}
	res, _ := principal.post(path, nil)
	if loc := principal.location(res, http.StatusSeeOther); loc != path {
		t.Fatalf("signing off led to %q", loc)
	}
	var stored string
	if err := s.db.QueryRow(context.Background(), `SELECT content_sha256 FROM grade_catalogues WHERE period_id = $1 AND group_id = $2`, p.ID, group).Scan(&stored); err != nil {
		t.Fatalf("the signed catalogue: %v", err)
	}
	_, html = principal.get(path)
	if !strings.Contains(html, "Betygskatalogen är underskriven.") || !strings.Contains(html, "Underskriven av Anna Rektorsson") ||
		!strings.Contains(html, "<code>"+stored[:8]+" "+stored[8:16]) || !strings.Contains(html, "Kontrollen stämmer") || strings.Contains(html, "Skriv under betygskatalogen") {
		t.Fatalf("the signed catalogue's page (hash %s):\n%s", stored, html)
	}
	res, html = principal.post(path, nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(html, "underskriften är redan gjord") {
		t.Fatalf("a second sign-off: %d, want 409\n%s", res.StatusCode, html)
	}
	if n := s.count(`SELECT count(*) FROM grade_catalogues`); n != 1 {
		t.Fatalf("%d catalogues signed, want 1", n)
	}
	gradingTask(t, s, "rektor-a", grading.KindSignOff, p.ProcessID, demo.GroupID("7a"))
	expect[grading.Catalogue](s.as("rektor-a"), http.StatusOK, "POST", "/api/v1/grading-periods/"+p.ID+"/catalogues/"+demo.GroupID("7a")+"/sign", nil)
	closed(t, s, p.ProcessID, 2*time.Minute, nil)

	status, html = guardian.get("/children/" + maja + "/grades")
	if status != http.StatusOK || !strings.Contains(html, "Betyg för Maja Lind") || !strings.Contains(html, `<th scope="row">Matematik</th><td>C</td><td>HT2026</td>`) ||
		!strings.Contains(html, `<th scope="row">Svenska</th><td>A</td>`) || strings.Contains(html, "Inte publicerat än") {
		t.Fatalf("Maja's grades after publication: %d\n%s", status, html)
	}
	if _, html := guardian.get("/children/" + maja); !strings.Contains(html, `href="/children/`+maja+`/grades"`) || !strings.Contains(html, "<td>C</td>") {
		t.Fatalf("the page about Maja after publication:\n%s", html)
	}
	pupil := pupilSignsIn(t, s, "elev-1")
	if _, html := pupil.get("/"); !strings.Contains(html, `href="/grades"`) {
		t.Fatalf("the pupil's start page has no way to their grades\n%s", html)
	}
	if status, html := pupil.get("/grades"); status != http.StatusOK || !strings.Contains(html, "Dina betyg") || !strings.Contains(html, `<th scope="row">Matematik</th><td>C</td>`) {
		t.Fatalf("the pupil's own grades: %d\n%s", status, html)
	}
	if status, html := pupil.get("/children/" + s.id("elev-2") + "/grades"); status != http.StatusNotFound || strings.Contains(html, "Nils") {
		t.Fatalf("Maja opening her brother's grades: %d, want 404", status)
	}
	olle := s.id("elev-3") // protected identity
	for _, c := range []struct{ user, child string }{{"vh-4", maja}, {"vh-1", olle}} {
		if status, html := s.browse(t, c.user).get("/children/" + c.child + "/grades"); status != http.StatusNotFound || strings.Contains(html, "Maja") || strings.Contains(html, "Olle") {
			t.Fatalf("%s opening another family's child's grades: %d, want 404 saying nothing of the child", c.user, status)
		}
	}
}

// submitAll grades the period's two activities through the API: Eva's Matematik 7 (Maja C,
// Nils E), co-signed by David; David's Svenska 7A (B, A, -).
func submitAll(t *testing.T, s *stack, p grading.Period) {
	t.Helper()
	ma7, sv7a := demo.ActivityID("ma7"), demo.ActivityID("sv7a")
	gradingTask(t, s, "larare-a2", grading.KindSet, p.ProcessID, demo.GroupID("ma7"))
	form := get[grading.ActivityGrades](s.as("larare-a2"), "/api/v1/activities/"+ma7+"/grades?period="+p.ID)
	expect[grading.ActivityGrades](s.as("larare-a2"), http.StatusOK, "PUT", "/api/v1/activities/"+ma7+"/grades",
		grading.GradesRequest{Period: p.ID, Grades: gradesOf(form, "C", "E"), Submit: true})
	gradingTask(t, s, "larare-a1", grading.KindSet, p.ProcessID, demo.GroupID("7a"))
	form = get[grading.ActivityGrades](s.as("larare-a1"), "/api/v1/activities/"+sv7a+"/grades?period="+p.ID)
	expect[grading.ActivityGrades](s.as("larare-a1"), http.StatusOK, "PUT", "/api/v1/activities/"+sv7a+"/grades",
		grading.GradesRequest{Period: p.ID, Grades: gradesOf(form, "B", "A", "-"), Submit: true})
	gradingTask(t, s, "larare-a1", grading.KindCoSign, p.ProcessID, demo.GroupID("ma7"))
	expect[grading.ActivityGrades](s.as("larare-a1"), http.StatusOK, "POST", "/api/v1/activities/"+ma7+"/grades/cosign",
		grading.CoSignRequest{Period: p.ID, Decision: grading.Agree})
}
