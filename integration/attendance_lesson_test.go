package integration

import (
	"net/http"
	"testing"
	"time"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/register"
)

// A lesson answers its pupils on its day, protected ones to its teacher and the principal, and
// whether the viewer takes its register now.
func TestALessonWithItsPupils(t *testing.T) {
	s := newStack(t)
	started, later, _ := timetable(t, s)
	lesson := get[attendance.LessonDetail](s.as("larare-a1"), "/api/v1/lessons/"+started)
	names := map[string]bool{}
	for _, p := range lesson.Pupils {
		names[p.GivenName] = true
	}
	if len(lesson.Pupils) != 3 || !names["Maja"] || !names["Olle"] || !names["Petra"] {
		t.Fatalf("7A's pupils to its teacher: %+v, want Maja, Olle and Petra", lesson.Pupils)
	}
	if !lesson.TakesRegister || !lesson.RegisterOpen || lesson.Registered || lesson.Version == "" || lesson.Group.DisplayName != "7A" {
		t.Fatalf("the teacher's view of a lesson that has begun: %+v", lesson)
	}
	if l := get[attendance.LessonDetail](s.as("rektor-a"), "/api/v1/lessons/"+started); l.TakesRegister || len(l.Pupils) != 3 {
		t.Fatalf("the principal's view: takes the register %v, %d pupils; want no and 3", l.TakesRegister, len(l.Pupils))
	}
	if l := get[attendance.LessonDetail](s.as("larare-a1"), "/api/v1/lessons/"+later); l.RegisterOpen {
		t.Fatal("the register of a lesson that has not begun is open")
	}
	for _, user := range []string{"larare-a2", "vh-1"} {
		if r := s.as(user).do("GET", "/api/v1/lessons/"+started, nil, nil); r.StatusCode != http.StatusNotFound {
			t.Fatalf("%s: %d, want 404", user, r.StatusCode)
		}
	}
}

// A register sent with the version it was read at is not written over a register that changed
// meanwhile: 409, and nothing changes.
func TestARegisterChangedMeanwhileIsNotOverwritten(t *testing.T) {
	s := newStack(t)
	started, _, _ := timetable(t, s)
	s = s.as("larare-a1")
	read := get[attendance.LessonDetail](s, "/api/v1/lessons/"+started).Version
	register := "/api/v1/lessons/" + started + "/attendance"
	// Late and present only: no absence day starts on the shared Temporal server.
	first := attendance.RegistrationInput{BasedOn: read, Registrations: []attendance.Registration{
		{Person: s.id("elev-1"), Status: "late", MinutesLate: 5}}}
	expect[struct{}](s, http.StatusOK, "PUT", register, first)
	after := get[attendance.LessonDetail](s, "/api/v1/lessons/"+started)
	if after.Version == read || !after.Registered {
		t.Fatalf("after a registration: version %q (was %q), registered %v", after.Version, read, after.Registered)
	}
	stale := attendance.RegistrationInput{BasedOn: read, Registrations: []attendance.Registration{
		{Person: s.id("elev-1"), Status: "present"}}}
	if p := expect[api.Problem](s, http.StatusConflict, "PUT", register, stale); p.Status != http.StatusConflict {
		t.Fatalf("%+v", p)
	}
	if n := s.count(`SELECT count(*) FROM attendance WHERE lesson_id = $1 AND status = 'late'`, started); n != 1 {
		t.Fatalf("the stale register was written: %d late rows, want 1", n)
	}
	// The same register again, from the version it now has, is taken.
	stale.BasedOn = after.Version
	expect[struct{}](s, http.StatusOK, "PUT", register, stale)
	if lessons := get[[]attendance.LessonView](s, "/api/v1/me/lessons?days=1"); len(lessons) == 0 || !takenIn(lessons, started) {
		t.Fatalf("today's lessons do not say the register is taken: %+v", lessons)
	}
}

func takenIn(lessons []attendance.LessonView, id string) bool {
	for _, l := range lessons {
		if l.ID == id {
			return l.Registered
		}
	}
	return false
}

// A pupil's lessons, with their attendance at each, for those who may see the pupil's
// attendance; a period is at most a month.
func TestAPupilsLessons(t *testing.T) {
	s := newStack(t)
	started, _, _ := timetable(t, s)
	expect[struct{}](s.as("larare-a1"), http.StatusOK, "PUT", "/api/v1/lessons/"+started+"/attendance",
		attendance.RegistrationInput{Registrations: []attendance.Registration{{Person: s.id("elev-1"), Status: "late", MinutesLate: 10}}})
	day := time.Now().In(register.SchoolDay).Format(time.DateOnly)
	path := "/api/v1/persons/" + s.id("elev-1") + "/lessons?from=" + day + "&to=" + day
	lessons := get[[]attendance.PupilLesson](s.as("vh-1"), path)
	var seen *attendance.PupilLesson
	for i, l := range lessons {
		if l.ID == started {
			seen = &lessons[i]
		}
	}
	if seen == nil || seen.Attendance == nil || seen.Attendance.Status != "late" || seen.Attendance.AttendedMinutes != 30 || seen.Group.DisplayName != "7A" {
		t.Fatalf("Maja's lessons today: %+v", lessons)
	}
	if r := s.as("vh-4").do("GET", path, nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("another family's guardian: %d, want 404", r.StatusCode)
	}
	for _, q := range []string{"?from=2026-11-30&to=2026-11-29", "?from=2026-11-01&to=2026-12-02", "?from=2026-11-30"} {
		var p api.Problem
		if r := s.as("vh-1").do("GET", "/api/v1/persons/"+s.id("elev-1")+"/lessons"+q, nil, &p); r.StatusCode != 422 || len(p.Errors) == 0 || p.Errors[0].Field != "to" {
			t.Errorf("%s: %d %+v, want 422 naming to", q, r.StatusCode, p.Errors)
		}
	}
}

// A school's terms are its huvudman's, for anyone signed in.
func TestASchoolsTerms(t *testing.T) {
	s := newStack(t)
	terms := get[[]register.TermView](s.as("vh-1"), "/api/v1/schools/"+demo.OrgID("a")+"/terms")
	if len(terms) != 2 || terms[0].DisplayName != "HT2026" || terms[0].StartDate != "2026-08-17" || terms[1].EndDate != "2027-06-11" {
		t.Fatalf("school A's terms: %+v", terms)
	}
}
