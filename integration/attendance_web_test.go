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

	"github.com/google/uuid"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/register"
)

// classLesson adds a 40-minute lesson of larare-a1 for group (of school A) from start.
func classLesson(t *testing.T, s *stack, group string, start time.Time) string {
	t.Helper()
	id := uuid.NewString()
	if _, err := s.db.Exec(context.Background(), `INSERT INTO lessons (id, group_id, school_id, teacher_id, start_time, end_time)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, group, demo.OrgID("a"), s.id("larare-a1"), start, start.Add(40*time.Minute)); err != nil {
		t.Fatal(err)
	}
	return id
}

// registerClass is a class of three new pupils (Alva, Bo and Cleo Testsson, in that order on
// the register) with a lesson of larare-a1 that began a minute ago, and Alva reported absent
// today by her guardian. Their absence days are the test's own on the shared Temporal server.
func registerClass(t *testing.T, s *stack) (class, string) {
	t.Helper()
	c := newClass(t, s, map[string][]string{"alva": {"alva-1"}, "bo": {"bo-1"}, "cleo": {"cleo-1"}})
	lesson := classLesson(t, s, c.group, startedBefore(time.Now().Truncate(time.Minute), time.Minute))
	today := time.Now().In(register.SchoolDay).Format(time.DateOnly)
	if r := s.as(c.user("alva-1")).do("POST", "/api/v1/persons/"+c.ids["alva"]+"/absence-reports",
		absence.AbsenceReportInput{From: today, To: today}, nil); r.StatusCode != http.StatusCreated {
		t.Fatalf("Alva's guardian reporting her absent: %d", r.StatusCode)
	}
	return c, lesson
}

var versionInput = regexp.MustCompile(`name="version" value="([^"]*)"`)

// The register: every pupil on one form, the absence a guardian reported filled in; what is
// wrong comes back as typed, naming each pupil's field, and nothing is written; then it is taken,
// corrected the same day, and a form read before a correction is not written over it.
func TestTheRegisterPage(t *testing.T) {
	s := newStack(t)
	c, lesson := registerClass(t, s)
	teacher := s.browse(t, "larare-a1")
	path := "/lessons/" + lesson + "/register"
	status, html := teacher.get(path)
	if status != http.StatusOK {
		t.Fatalf("the register: %d\n%s", status, html)
	}
	for _, name := range []string{"Alva Testsson", "Bo Testsson", "Cleo Testsson"} {
		if !regexp.MustCompile(`(?s)<legend>` + name + `</legend>.*?<label class="choice">Minuter sen <input type="number"`).MatchString(html) {
			t.Errorf("the register has no fieldset for %s", name)
		}
	}
	if !strings.Contains(html, `value="absent" checked`) || strings.Count(html, "checked") != 3 ||
		!regexp.MustCompile(`(?s)<legend>Alva Testsson</legend>.*?Anmäld av vårdnadshavare.*?value="present">.*?value="absent" checked>`).MatchString(html) {
		t.Fatalf("Alva is not filled in as absent, reported by her guardian:\n%s", html)
	}
	read := versionInput.FindStringSubmatch(html)[1]
	form := func(version string, rows ...[2]string) url.Values {
		f := url.Values{"version": {version}}
		for i, key := range []string{"alva", "bo", "cleo"} {
			f.Set(field(i, "person"), c.ids[key])
			f.Set(field(i, "status"), rows[i][0])
			f.Set(field(i, "minutesLate"), rows[i][1])
		}
		return f
	}

	// Late without the minutes, and late by more than the lesson: 422, as typed, nothing written.
	res, html := teacher.post(path, form(read, [2]string{"absent", ""}, [2]string{"late", ""}, [2]string{"late", "90"}))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a wrong register: %d, want 422", res.StatusCode)
	}
	// The summary links each wrong field (its id percent-encoded in the link, as browsers decode it).
	for _, want := range []string{`href="#registrations%2f1%2fminutesLate"`, `href="#registrations%2f2%2fminutesLate"`,
		"Ange hur många minuter sen Bo Testsson kom: från 1 till 39.", `value="90" aria-invalid="true" aria-describedby="registrations/2/minutesLate-error"`,
		`name="registrations/2/status" value="late" checked`} {
		if !strings.Contains(html, want) {
			t.Errorf("the form shown again lacks %s", want)
		}
	}
	if strings.Contains(html, `href="#registrations%2f0%2f`) {
		t.Error("Alva's right registration is named wrong")
	}
	if n := s.count(`SELECT count(*) FROM attendance WHERE lesson_id = $1`, lesson); n != 0 {
		t.Fatalf("%d rows written by a wrong register", n)
	}

	// Taken: Alva absent (valid: her guardian reported it), Bo late by 10, Cleo present.
	res, _ = teacher.post(path, form(read, [2]string{"absent", ""}, [2]string{"late", "10"}, [2]string{"present", "7"}))
	if got := teacher.location(res, http.StatusSeeOther); got != path {
		t.Fatalf("after the register: to %q", got)
	}
	rows := byPerson(get[[]attendance.Row](s.as("larare-a1"), "/api/v1/lessons/"+lesson+"/attendance"))
	if a, b, cl := rows[c.ids["alva"]], rows[c.ids["bo"]], rows[c.ids["cleo"]]; a.Status != "absent" || a.ValidAbsenceMinutes != 40 ||
		b.Status != "late" || b.InvalidAbsenceMinutes != 10 || cl.Status != "present" || !a.Registered || len(rows) != 3 {
		t.Fatalf("the register as the API has it: %+v", rows)
	}
	status, html = teacher.get(path)
	if status != http.StatusOK || !strings.Contains(html, "Närvaron är sparad.") || !strings.Contains(html, `value="10"`) ||
		!strings.Contains(html, "Giltig frånvaro") || !strings.Contains(html, "Spara rättelsen") {
		t.Fatalf("the register once taken: %d\n%s", status, html)
	}
	taken := versionInput.FindStringSubmatch(html)[1]

	// Corrected the same day: Bo was there all along.
	res, _ = teacher.post(path, form(taken, [2]string{"absent", ""}, [2]string{"present", ""}, [2]string{"present", ""}))
	teacher.location(res, http.StatusSeeOther)
	if b := byPerson(get[[]attendance.Row](s.as("larare-a1"), "/api/v1/lessons/"+lesson+"/attendance"))[c.ids["bo"]]; b.Status != "present" || b.AttendedMinutes != 40 {
		t.Fatalf("Bo after the correction: %+v", b)
	}

	// A form read before the correction is not written over it: 409, the register as it is now.
	res, html = teacher.post(path, form(taken, [2]string{"present", ""}, [2]string{"late", "10"}, [2]string{"present", ""}))
	if res.StatusCode != http.StatusConflict || !strings.Contains(html, "Någon annan ändrade närvaron") ||
		!regexp.MustCompile(`(?s)<legend>Bo Testsson</legend>.*?value="present" checked`).MatchString(html) {
		t.Fatalf("a stale register: %d\n%s", res.StatusCode, html)
	}
	if n := s.count(`SELECT count(*) FROM attendance WHERE lesson_id = $1 AND status = 'absent'`, lesson); n != 1 {
		t.Fatal("the stale register was written")
	}

	// Another teacher, or a guardian, finds no such page; the principal sees it, without the form.
	for user, want := range map[string]int{"larare-a2": 404, c.user("alva-1"): 404} {
		p := s.browseAs(t, user+"@"+demo.UserDomain)
		if status, _ := p.get(path); status != want {
			t.Errorf("%s on the register: %d, want %d", user, status, want)
		}
	}
	status, html = s.browse(t, "rektor-a").get(path)
	if status != http.StatusOK || strings.Contains(html, "<form method=\"post\" action=\"/lessons/") || !strings.Contains(html, "<caption>") {
		t.Fatalf("the principal on the register: %d", status)
	}
}

// A register taken on an earlier day can no longer be corrected: the page shows it as it stands
// and says so, and a form sent anyway is refused with the API's word.
func TestTheRegisterOfAnEarlierDay(t *testing.T) {
	s := newStack(t)
	c := newClass(t, s, map[string][]string{"dag": nil})
	lesson := classLesson(t, s, c.group, time.Now().Add(-30*time.Hour))
	if _, err := s.db.Exec(context.Background(), `INSERT INTO attendance (lesson_id, person_id, status, attended_minutes, invalid_absence_minutes, registered_by)
		VALUES ($1, $2, 'late', 35, 5, $3)`, lesson, c.ids["dag"], s.id("larare-a1")); err != nil {
		t.Fatal(err)
	}
	teacher := s.browse(t, "larare-a1")
	path := "/lessons/" + lesson + "/register"
	status, html := teacher.get(path)
	if status != http.StatusOK || strings.Contains(html, `name="version"`) || !strings.Contains(html, "Sen 5 min") ||
		!strings.Contains(html, "kan bara rättas samma dag") {
		t.Fatalf("an earlier day's register: %d\n%s", status, html)
	}
	res, html := teacher.post(path, url.Values{field(0, "person"): {c.ids["dag"]}, field(0, "status"): {"present"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(html, "kan bara rättas samma dag") {
		t.Fatalf("correcting it anyway: %d", res.StatusCode)
	}
	if n := s.count(`SELECT count(*) FROM attendance WHERE lesson_id = $1 AND status = 'late'`, lesson); n != 1 {
		t.Fatal("an earlier day's register was corrected")
	}
}

// A teacher's lessons: today's with the register taken or not, each of theirs leading to its
// register, and the week's, day by day; today's are on the start page too.
func TestTheTeachersLessons(t *testing.T) {
	s := newStack(t)
	started, _, maths := timetable(t, s)
	teacher := s.browse(t, "larare-a1")
	status, html := teacher.get("/lessons")
	if status != http.StatusOK || !strings.Contains(html, `href="/lessons/`+started+`/register"`) || !strings.Contains(html, "närvaron är inte tagen") {
		t.Fatalf("larare-a1's lessons: %d\n%s", status, html)
	}
	if strings.Contains(html, maths) {
		t.Error("larare-a1's lessons show another group's lesson")
	}
	_, week := time.Now().In(register.SchoolDay).ISOWeek()
	if !strings.Contains(html, "Vecka "+strconv.Itoa(week)) || !strings.Contains(html, "(i dag)") {
		t.Errorf("the week is not shown, with today marked")
	}
	expect[struct{}](s.as("larare-a1"), http.StatusOK, "PUT", "/api/v1/lessons/"+started+"/attendance",
		attendance.RegistrationInput{Registrations: []attendance.Registration{{Person: s.id("elev-1"), Status: "present"}}})
	if _, home := teacher.get("/"); !strings.Contains(home, "Dagens lektioner") || !strings.Contains(home, "närvaron är tagen") {
		t.Errorf("the start page does not show today's lesson as taken")
	}
	next := time.Now().In(register.SchoolDay).AddDate(0, 0, 7)
	_, nextWeek := next.ISOWeek()
	if status, html := teacher.get("/lessons?week=" + next.Format(time.DateOnly)); status != http.StatusOK || !strings.Contains(html, "Vecka "+strconv.Itoa(nextWeek)) {
		t.Errorf("next week: %d", status)
	}
	if status, _ := teacher.get("/lessons?week=yesterday"); status != http.StatusOK {
		t.Errorf("a week that is no date: %d, want this week", status)
	}
	if _, home := s.browse(t, "vh-1").get("/"); strings.Contains(home, "Dagens lektioner") || strings.Contains(home, `href="/lessons"`) {
		t.Error("a guardian's start page shows a teacher's lessons")
	}
}

func field(i int, name string) string { return "registrations/" + strconv.Itoa(i) + "/" + name }

func byPerson(rows []attendance.Row) map[string]attendance.Row {
	out := map[string]attendance.Row{}
	for _, r := range rows {
		out[r.Person] = r
	}
	return out
}
