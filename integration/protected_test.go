package integration

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/leave"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/store"
)

// A guardian with protected identity (Skyddad folkbokföring) is named to themselves and to the
// school's staff with need to know, never to the child's other guardian: not in a process's
// history (as whom the school told, on which channels, as assignee or actor), not in their
// tasks or inbox. Quentin (elev-5) at school B has two guardians: vh-4, and vh-5, protected.

// nowhereIn fails the test unless user's GET of path answers want, with none of the secrets
// anywhere in the raw body.
func nowhereIn(t *testing.T, s *stack, user, path string, want int, secrets ...string) {
	t.Helper()
	res, body := s.as(user).send("GET", path, nil)
	if res.StatusCode != want {
		t.Fatalf("%s GET %s: %d, want %d", user, path, res.StatusCode, want)
	}
	for _, secret := range secrets {
		if strings.Contains(string(body), secret) {
			t.Errorf("%s GET %s names %q: %s", user, path, secret, body)
		}
	}
}

// historyAs is the process's history as user reads it.
func historyAs(t *testing.T, s *stack, user, process string) store.ProcessView {
	t.Helper()
	var h store.ProcessView
	if r := s.as(user).do("GET", "/api/v1/processes/"+process, nil, &h); r.StatusCode != 200 {
		t.Fatalf("%s reading %s: %d", user, process, r.StatusCode)
	}
	return h
}

// notified is the detail of a history's "notified" event.
type notified struct {
	Recipient string   `json:"recipient"`
	Purpose   string   `json:"purpose"`
	Channels  []string `json:"channels"`
}

// toldIn lists the history's notified events with purpose.
func toldIn(t *testing.T, h store.ProcessView, purpose string) []notified {
	t.Helper()
	var out []notified
	for _, e := range h.Events {
		if e.Kind != "notified" {
			continue
		}
		var n notified
		if err := json.Unmarshal(e.Detail, &n); err != nil {
			t.Fatalf("a notified event's detail %s: %v", e.Detail, err)
		}
		if n.Purpose == purpose {
			out = append(out, n)
		}
	}
	return out
}

// tellsOf reports whether told names recipient on the in-app inbox and their email.
func tellsOf(told []notified, recipient string) bool {
	return slices.ContainsFunc(told, func(n notified) bool {
		return n.Recipient == recipient && slices.Equal(n.Channels, []string{"inapp", "email"})
	})
}

// The protected guardian applies for leave; the other guardian agrees, the mentor supports it
// and the principal grants it, and both guardians are told. The other guardian's view of the
// process, their tasks and their inbox name the protected guardian nowhere; the principal sees
// whom the school told and how, and the protected guardian sees their own notice.
func TestProtectedGuardianIsNowhereInTheLeaveTheyApplyFor(t *testing.T) {
	s := newStack(t)
	pupil, protected := s.id("elev-5"), s.id("vh-5")
	from, to := leaveDays(7)
	app := applyForLeave(s, "vh-5", pupil, from, to, "Besök hos släkt")
	completeTask(t, s, "vh-4", taskFor(t, s, "vh-4", "leave.consent", pupil), map[string]any{"consent": "agree"})
	completeTask(t, s, "larare-b1", taskFor(t, s, "larare-b1", "leave.opinion", pupil), map[string]any{"opinion": "supports"})
	applicationOf(t, s, "rektor-b", pupil, app.ID, "awaiting-decision")
	completeTask(t, s, "rektor-b", taskFor(t, s, "rektor-b", "leave.decide", pupil), map[string]any{"decision": "granted"})
	for _, g := range []string{"vh-4", "vh-5"} {
		eventually(t, 10*time.Second, g+" to be told of the decision", func() bool {
			return slices.Contains(purposesFor(s, g, app.ProcessID), "leave.decided")
		})
	}

	if told := toldIn(t, historyAs(t, s, "rektor-b", app.ProcessID), "leave.decided"); !tellsOf(told, protected) || !tellsOf(told, s.id("vh-4")) {
		t.Errorf("the principal sees the school tell %+v, want both guardians with their channels", told)
	}
	if told := toldIn(t, historyAs(t, s, "vh-5", app.ProcessID), "leave.decided"); !tellsOf(told, protected) {
		t.Errorf("the protected guardian sees %+v, want their own notice", told)
	}
	if told := toldIn(t, historyAs(t, s, "vh-4", app.ProcessID), "leave.decided"); len(told) != 1 || !tellsOf(told, s.id("vh-4")) {
		t.Errorf("the other guardian sees %+v, want their own notice only", told)
	}
	secrets := []string{protected, "vh-5@", "Tove"}
	nowhereIn(t, s, "vh-4", "/api/v1/processes/"+app.ProcessID, 200, secrets...)
	nowhereIn(t, s, "vh-4", "/api/v1/tasks?state=completed", 200, secrets...)
	nowhereIn(t, s, "vh-4", "/api/v1/notifications", 200, secrets...)
	nowhereIn(t, s, "vh-4", "/api/v1/persons/"+pupil+"/leave-applications", 200, secrets...)
	nowhereIn(t, s, "vh-4", "/api/v1/persons/"+pupil, 200, secrets...)

	// vh-4's custody ends. Having taken part, they may still read the history, now as no one's
	// guardian, and it names the protected guardian no more than before.
	yesterday := time.Now().In(stockholm(t)).AddDate(0, 0, -1).Format(time.DateOnly)
	doc := register.Document{Responsibles: []register.Responsible{{Person: pupil, Responsible: s.id("vh-4"),
		RelationType: register.Custody, EndDate: ptr(yesterday)}}}
	if r := s.as("admin-huvudman").do("POST", "/api/v1/register/import", doc, nil); r.StatusCode != 200 {
		t.Fatalf("ending vh-4's custody: %d", r.StatusCode)
	}
	nowhereIn(t, s, "vh-4", "/api/v1/processes/"+app.ProcessID, 200, secrets...)
}

// The other guardian applies and the protected guardian refuses: the history names the
// protected guardian as the assignee of the consent step and as who refused, to the principal
// and to themselves; the other guardian sees that the step was refused, not by whom.
func TestProtectedGuardianIsNowhereInTheLeaveTheyRefuse(t *testing.T) {
	s := newStack(t)
	pupil, protected := s.id("elev-5"), s.id("vh-5")
	from, to := leaveDays(8)
	app := applyForLeave(s, "vh-4", pupil, from, to, "Fjällresa")
	completeTask(t, s, "vh-5", taskFor(t, s, "vh-5", "leave.consent", pupil), map[string]any{"consent": "refuse"})
	applicationOf(t, s, "vh-4", pupil, app.ID, "refused-by-guardian")
	for _, g := range []string{"vh-4", "vh-5"} {
		eventually(t, 10*time.Second, g+" to be told the application ended", func() bool {
			return slices.Contains(purposesFor(s, g, app.ProcessID), "leave.ended")
		})
	}

	names := func(h store.ProcessView, kind string) bool {
		return slices.ContainsFunc(h.Events, func(e store.ProcessEvent) bool {
			return e.Kind == kind && ((e.Actor != nil && *e.Actor == protected) || strings.Contains(string(e.Detail), protected))
		})
	}
	for _, user := range []string{"rektor-b", "vh-5"} {
		h := historyAs(t, s, user, app.ProcessID)
		if !names(h, "assigned") || !names(h, "completed") {
			t.Errorf("%s does not see the protected guardian's consent step and refusal: %+v", user, h.Events)
		}
	}
	h := historyAs(t, s, "vh-4", app.ProcessID)
	refused := slices.ContainsFunc(h.Events, func(e store.ProcessEvent) bool {
		return e.Kind == "completed" && e.Actor == nil && strings.Contains(string(e.Detail), "refuse")
	})
	if !refused {
		t.Errorf("the other guardian does not see that the consent was refused: %+v", h.Events)
	}
	nowhereIn(t, s, "vh-4", "/api/v1/processes/"+app.ProcessID, 200, protected, "vh-5@")
	nowhereIn(t, s, "vh-4", "/api/v1/tasks?state=completed", 200, protected)
	nowhereIn(t, s, "vh-4", "/api/v1/notifications", 200, protected, "Tove")
}

// The protected guardian reports Quentin sick, and the other guardian is told: by email and in
// the inbox, without a word of who reported.
func TestProtectedGuardianReportingAbsenceIsNotNamedToTheOther(t *testing.T) {
	s := newStack(t)
	pupil, protected := s.id("elev-5"), s.id("vh-5")
	today := time.Now().In(stockholm(t)).Format(time.DateOnly)
	var report struct{ ID string }
	if r := s.as("vh-5").do("POST", "/api/v1/persons/"+pupil+"/absence-reports",
		absence.AbsenceReportInput{From: today, To: today}, &report); r.StatusCode != 201 {
		t.Fatalf("reporting: %d", r.StatusCode)
	}
	eventually(t, 10*time.Second, "the other guardian told", func() bool { return len(mailTo(s, "vh-4")) == 1 })
	secrets := []string{protected, "vh-5", "Tove", "Sund"}
	for _, m := range mailTo(s, "vh-4") {
		for _, secret := range secrets {
			if strings.Contains(m.Subject+m.Body, secret) {
				t.Errorf("the other guardian's email names %q: %q", secret, m.Body)
			}
		}
	}
	nowhereIn(t, s, "vh-4", "/api/v1/notifications", 200, secrets...)
	// The telling of a report is not a registered process: its history is no one's to read.
	nowhereIn(t, s, "vh-4", "/api/v1/processes/"+absence.AbsenceReportID(report.ID), 404, secrets...)
	if len(mailTo(s, "vh-5")) != 0 {
		t.Error("the reporting guardian was told of their own report")
	}
}

// Quentin misses a lesson and both guardians are told; the protected guardian answers. The
// absence day's history, which the other guardian may read, does not say that or how the
// protected guardian was told; the principal's does.
func TestProtectedGuardianIsNowhereInTheAbsenceDay(t *testing.T) {
	s := newStack(t)
	pupil, protected := s.id("elev-5"), s.id("vh-5")
	// A day of its own: tests share the Temporal server, and the absence day's id is the pupil's.
	start := clock(randomPastDay(), 9, 0)
	lesson := uuid.NewString()
	doc := attendance.LessonImport{Lessons: []attendance.Lesson{{ID: lesson, Group: demo.GroupID("b7"), Teacher: s.id("larare-b1"),
		Start: start, End: start.Add(40 * time.Minute)}}}
	if r := s.as("admin-huvudman").do("POST", "/api/v1/schools/"+demo.OrgID("b")+"/lessons", doc, nil); r.StatusCode != 200 {
		t.Fatalf("importing school B's lesson: %d", r.StatusCode)
	}
	if r := s.as("larare-b1").do("PUT", "/api/v1/lessons/"+lesson+"/attendance",
		attendance.RegistrationInput{Registrations: []attendance.Registration{{Person: pupil, Status: "absent"}}}, nil); r.StatusCode != 200 {
		t.Fatalf("registering: %d", r.StatusCode)
	}
	day := start.Format(time.DateOnly)
	reply := "/api/v1/persons/" + pupil + "/absence-days/" + day + "/reply"
	eventually(t, 15*time.Second, "the notice, then the protected guardian's reply taken", func() bool {
		return s.as("vh-5").do("POST", reply, absence.AbsenceReplyInput{Reason: "Sjuk"}, nil).StatusCode == 200
	})
	process := absence.AbsenceDayID(pupil, day)
	eventually(t, 10*time.Second, "both guardians' notices in the history", func() bool {
		var h store.ProcessView
		r := s.as("rektor-b").do("GET", "/api/v1/processes/"+process, nil, &h)
		return r.StatusCode == 200 && len(toldIn(t, h, "absence.notice")) == 2
	})
	if told := toldIn(t, historyAs(t, s, "rektor-b", process), "absence.notice"); !tellsOf(told, protected) {
		t.Errorf("the principal sees the school tell %+v, want the protected guardian among them", told)
	}
	if told := toldIn(t, historyAs(t, s, "vh-4", process), "absence.notice"); len(told) != 1 || !tellsOf(told, s.id("vh-4")) {
		t.Errorf("the other guardian sees %+v, want their own notice only", told)
	}
	nowhereIn(t, s, "vh-4", "/api/v1/processes/"+process, 200, protected, "vh-5@")
}

// Staff with protected identity are named only to staff: Quentin's mentor, protected, decides
// a short leave by the principal's delegation. The guardians see the decision, not who made it,
// in the application and in the history; the principal sees both.
func TestProtectedStaffAreNamedOnlyToStaff(t *testing.T) {
	s := newStack(t)
	pupil, mentor := s.id("elev-5"), s.id("larare-b1")
	doc := register.Document{Persons: []register.Person{{ID: mentor, GivenName: "Fredrik", FamilyName: "Berg",
		SecurityMarking: "Skyddad folkbokföring"}}}
	if r := s.as("admin-huvudman").do("POST", "/api/v1/register/import", doc, nil); r.StatusCode != 200 {
		t.Fatalf("marking the mentor protected: %d", r.StatusCode)
	}
	if r := s.as("rektor-b").do("PUT", "/api/v1/schools/"+demo.OrgID("b")+"/leave-delegation",
		leave.Delegation{MentorMaxDays: 5}, nil); r.StatusCode != 200 {
		t.Fatalf("delegating: %d", r.StatusCode)
	}
	from, _ := leaveDays(9)
	app := applyForLeave(s, "vh-4", pupil, from, from, "Tandläkare")
	completeTask(t, s, "vh-5", taskFor(t, s, "vh-5", "leave.consent", pupil), map[string]any{"consent": "agree"})
	completeTask(t, s, "larare-b1", taskFor(t, s, "larare-b1", "leave.decide", pupil), map[string]any{"decision": "granted"})

	for _, g := range []string{"vh-4", "vh-5"} {
		if got := applicationOf(t, s, g, pupil, app.ID, "granted"); got.DecidedBy != nil {
			t.Errorf("%s sees the decision made by %s", g, *got.DecidedBy)
		}
		nowhereIn(t, s, g, "/api/v1/processes/"+app.ProcessID, 200, mentor)
	}
	if got := applicationOf(t, s, "rektor-b", pupil, app.ID, "granted"); got.DecidedBy == nil || *got.DecidedBy != mentor {
		t.Errorf("the principal sees the decision made by %v, want the mentor", got.DecidedBy)
	}
	decided := slices.ContainsFunc(historyAs(t, s, "rektor-b", app.ProcessID).Events, func(e store.ProcessEvent) bool {
		return e.Kind == "completed" && e.Actor != nil && *e.Actor == mentor
	})
	if !decided {
		t.Error("the principal's history does not say the mentor decided")
	}
}
