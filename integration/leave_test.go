package integration

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/leave"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/store"
)

// leaveDays is a week of leave starting weeks ahead (Monday to Friday), so tests never ask for
// leave in the past and each test's period is its own.
func leaveDays(weeksAhead int) (from, to string) {
	d := time.Now().In(register.SchoolDay).AddDate(0, 0, 7*weeksAhead)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	return d.Format(time.DateOnly), d.AddDate(0, 0, 4).Format(time.DateOnly)
}

// taskFor waits until user's inbox holds an open task of kind about pupil, and returns it.
func taskFor(t *testing.T, s *stack, user, kind, pupil string) store.TaskView {
	t.Helper()
	var found store.TaskView
	eventually(t, 15*time.Second, user+"'s "+kind+" task", func() bool {
		inbox := get[[]store.TaskView](s.as(user), "/api/v1/tasks?kind="+kind)
		i := slices.IndexFunc(inbox, func(v store.TaskView) bool { return v.SubjectPerson != nil && *v.SubjectPerson == pupil })
		if i >= 0 {
			found = inbox[i]
		}
		return i >= 0
	})
	return found
}

func completeTask(t *testing.T, s *stack, user string, task store.TaskView, payload map[string]any) {
	t.Helper()
	if r := s.as(user).do("POST", "/api/v1/tasks/"+task.ID+"/complete", api.TaskCompletionRequest{Payload: payload}, nil); r.StatusCode != 200 {
		t.Fatalf("%s completing %s: %d", user, task.Kind, r.StatusCode)
	}
}

// applyForLeave has guardian apply for the pupil's leave from from to to, and answers the
// application the API created.
func applyForLeave(s *stack, guardian, pupil, from, to, reason string) leave.Application {
	s.t.Helper()
	return expect[leave.Application](s.as(guardian), http.StatusCreated, "POST", "/api/v1/persons/"+pupil+"/leave-applications",
		leave.ApplicationInput{From: from, To: to, Reason: reason})
}

// applicationOf waits until the pupil's application id has the status, as user sees it.
func applicationOf(t *testing.T, s *stack, user, pupil, id, status string) leave.Application {
	t.Helper()
	var found leave.Application
	eventually(t, 15*time.Second, "the application to be "+status, func() bool {
		list := get[[]leave.Application](s.as(user), "/api/v1/persons/"+pupil+"/leave-applications")
		i := slices.IndexFunc(list, func(a leave.Application) bool { return a.ID == id })
		if i >= 0 {
			found = list[i]
		}
		return i >= 0 && found.Status == status
	})
	return found
}

// purposesFor lists the purposes of user's notifications from a process.
func purposesFor(s *stack, user, process string) []string {
	inbox := get[[]store.NotificationView](s.as(user), "/api/v1/notifications")
	var out []string
	for _, n := range inbox {
		if n.ProcessID == process {
			out = append(out, n.Purpose)
		}
	}
	return out
}

// A guardian applies; the other guardian agrees; the mentor supports it; the principal grants
// it. Both guardians are told, and the register shows the week as granted leave, valid absence.
func TestLeaveWithTwoGuardiansGrantedByThePrincipal(t *testing.T) {
	s := newStack(t)
	pupil := s.id("elev-1") // Maja in 7A: guardians vh-1 and vh-2, mentor larare-a1
	from, to := leaveDays(3)
	applications := "/api/v1/persons/" + pupil + "/leave-applications"

	var app leave.Application
	if r := s.as("vh-1").do("POST", applications, leave.ApplicationInput{From: from, To: to, Reason: "Resa till mormor"}, &app); r.StatusCode != 201 {
		t.Fatalf("applying: %d", r.StatusCode)
	}
	if app.Status != "awaiting-guardians" || app.SchoolDays != 5 || app.SchoolID != demo.OrgID("a") || *app.AppliedBy != s.id("vh-1") {
		t.Fatalf("application %+v", app)
	}
	if r := s.as("vh-1").do("POST", applications, leave.ApplicationInput{From: from, To: to, Reason: "Again"}, nil); r.StatusCode != 409 {
		t.Fatalf("the same days applied for twice: %d, want 409", r.StatusCode)
	}

	completeTask(t, s, "vh-2", taskFor(t, s, "vh-2", "leave.consent", pupil), map[string]any{"consent": "agree"})
	completeTask(t, s, "larare-a1", taskFor(t, s, "larare-a1", "leave.opinion", pupil), map[string]any{"opinion": "supports"})
	applicationOf(t, s, "rektor-a", pupil, app.ID, "awaiting-decision")
	completeTask(t, s, "rektor-a", taskFor(t, s, "rektor-a", "leave.decide", pupil), map[string]any{"decision": "granted"})

	got := applicationOf(t, s, "vh-2", pupil, app.ID, "granted")
	if got.MentorOpinion == nil || *got.MentorOpinion != "supports" || got.DecidedBy == nil || *got.DecidedBy != s.id("rektor-a") {
		t.Fatalf("decided application %+v", got)
	}
	for _, g := range []string{"vh-1", "vh-2"} {
		eventually(t, 10*time.Second, g+" to be told of the decision", func() bool {
			return slices.Contains(purposesFor(s, g, app.ProcessID), "leave.decided")
		})
	}
	if len(purposesFor(s, "annan-1", app.ProcessID)) != 0 {
		t.Error("the responsible adult without custody was told")
	}
	recordHistory(t, s, app.ProcessID, "", "leave/testdata/leave_granted.json")

	// A lesson in the leave week: the register shows Maja absent with valid absence, filled in.
	day, _ := time.ParseInLocation(time.DateOnly, from, register.SchoolDay)
	lesson := uuid.NewString()
	doc := attendance.LessonImport{Lessons: []attendance.Lesson{{ID: lesson, Group: demo.GroupID("7a"), Teacher: s.id("larare-a1"),
		Start: clock(day, 9, 0), End: clock(day, 9, 40)}}}
	if r := s.as("admin-a").do("POST", "/api/v1/schools/"+demo.OrgID("a")+"/lessons", doc, nil); r.StatusCode != 200 {
		t.Fatalf("importing a lesson: %d", r.StatusCode)
	}
	rows := get[[]attendance.Row](s.as("larare-a1"), "/api/v1/lessons/"+lesson+"/attendance")
	i := slices.IndexFunc(rows, func(r attendance.Row) bool { return r.Person == pupil })
	if i < 0 || rows[i].Status != "absent" || rows[i].ValidAbsenceMinutes != 40 || rows[i].AbsenceType != "Beviljad ledighet" {
		t.Fatalf("the register in the leave week: %+v, want Maja absent, 40 valid minutes of granted leave", rows)
	}
}

// The other guardian refuses: the application ends without an opinion or a decision, and both
// guardians are told.
func TestLeaveRefusedByTheOtherGuardian(t *testing.T) {
	s := newStack(t)
	pupil := s.id("elev-2") // Nils: guardians vh-1 and vh-2
	from, to := leaveDays(4)
	app := applyForLeave(s, "vh-2", pupil, from, to, "Skidresa")
	completeTask(t, s, "vh-1", taskFor(t, s, "vh-1", "leave.consent", pupil), map[string]any{"consent": "refuse"})
	applicationOf(t, s, "vh-2", pupil, app.ID, "refused-by-guardian")
	for _, g := range []string{"vh-1", "vh-2"} {
		eventually(t, 10*time.Second, g+" to be told the application ended", func() bool {
			return slices.Contains(purposesFor(s, g, app.ProcessID), "leave.ended")
		})
	}
	if n := s.count(`SELECT count(*) FROM tasks WHERE process_id = $1 AND kind <> 'leave.consent'`, app.ProcessID); n != 0 {
		t.Fatalf("%d opinion or decision tasks for a refused application", n)
	}
	recordHistory(t, s, app.ProcessID, "", "leave/testdata/leave_refused.json")
}

// A guardian with protected identity applies: the other guardian is asked to agree, but sees
// neither who applied nor the reason, which may say where they live. Staff see both.
func TestLeaveByAProtectedGuardianRevealsNothingAboutThem(t *testing.T) {
	s := newStack(t)
	pupil := s.id("elev-5") // Quentin at school B: guardians vh-4, and vh-5 with protected identity
	from, to := leaveDays(5)
	app := applyForLeave(s, "vh-5", pupil, from, to, "Besök hos släkt i Luleå")
	taskFor(t, s, "vh-4", "leave.consent", pupil)
	seen := applicationOf(t, s, "vh-4", pupil, app.ID, "awaiting-guardians")
	if seen.AppliedBy != nil || seen.Reason != nil {
		t.Fatalf("the other guardian sees applicant %v and reason %v", seen.AppliedBy, seen.Reason)
	}
	staff := applicationOf(t, s, "rektor-b", pupil, app.ID, "awaiting-guardians")
	if staff.AppliedBy == nil || *staff.AppliedBy != s.id("vh-5") || staff.Reason == nil {
		t.Fatalf("the principal sees %+v, want who applied and why", staff)
	}
}

// Bad applications are refused, naming the field, and write nothing; a guardian cannot apply
// for a child not in their custody. The principal's delegation to mentors is capped at ten
// days, and within it the mentor decides.
func TestLeaveBadInputAndDelegation(t *testing.T) {
	s := newStack(t)
	pupil := s.id("elev-1")
	applications := "/api/v1/persons/" + pupil + "/leave-applications"
	from, to := leaveDays(6)
	cases := []struct {
		in    leave.ApplicationInput
		field string
	}{
		{leave.ApplicationInput{From: to, To: from, Reason: "x"}, "to"},
		{leave.ApplicationInput{From: "2020-01-01", To: "2020-01-02", Reason: "x"}, "from"},
		{leave.ApplicationInput{From: from, To: to}, "reason"},
		{leave.ApplicationInput{From: "next week", To: to, Reason: "x"}, "from"},
	}
	for _, c := range cases {
		var p api.Problem
		if r := s.as("vh-1").do("POST", applications, c.in, &p); r.StatusCode != 422 || len(p.Errors) != 1 || p.Errors[0].Field != c.field {
			t.Errorf("%+v: %d %+v, want 422 naming %s", c.in, r.StatusCode, p.Errors, c.field)
		}
	}
	if r := s.as("vh-4").do("POST", applications, leave.ApplicationInput{From: from, To: to, Reason: "x"}, nil); r.StatusCode != 404 {
		t.Errorf("another family's guardian applying: %d, want 404", r.StatusCode)
	}
	if n := s.count(`SELECT count(*) FROM leave_applications`); n != 0 {
		t.Fatalf("%d applications written by refused requests", n)
	}

	delegation := "/api/v1/schools/" + demo.OrgID("a") + "/leave-delegation"
	var p api.Problem
	if r := s.as("rektor-a").do("PUT", delegation, leave.Delegation{MentorMaxDays: 11}, &p); r.StatusCode != 422 || p.Errors[0].Field != "mentorMaxDays" {
		t.Fatalf("delegating eleven days: %d %+v, want 422", r.StatusCode, p)
	}
	if r := s.as("rektor-a").do("PUT", delegation, leave.Delegation{MentorMaxDays: 5}, nil); r.StatusCode != 200 {
		t.Fatalf("delegating five days: %d", r.StatusCode)
	}
	if d := get[leave.Delegation](s.as("larare-a1"), delegation); d.MentorMaxDays != 5 {
		t.Fatalf("the delegation reads %+v", d)
	}
	app := expect[leave.Application](s.as("vh-1"), http.StatusCreated, "POST", applications,
		leave.ApplicationInput{From: from, To: from, Reason: "Tandläkare"})
	completeTask(t, s, "vh-2", taskFor(t, s, "vh-2", "leave.consent", pupil), map[string]any{"consent": "agree"})
	completeTask(t, s, "larare-a1", taskFor(t, s, "larare-a1", "leave.decide", pupil), map[string]any{"decision": "granted"})
	got := applicationOf(t, s, "vh-1", pupil, app.ID, "granted")
	if *got.DecidedBy != s.id("larare-a1") || got.MentorOpinion != nil {
		t.Fatalf("a one-day application under delegation: %+v, want granted by the mentor", got)
	}
	recordHistory(t, s, app.ProcessID, "", "leave/testdata/leave_decided_by_mentor.json")
}

// Steps not done in time, with the deadlines compressed to seconds: a guardian who never
// answers ends the application (expired); a mentor who does not decide under delegation has the
// decision taken over by the principal, after a reminder; a mentor who gives no opinion has
// the opinion withdrawn, and the principal decides without it. Ines and Jon have one guardian
// each, so their applications need no other guardian's consent; Kim has two.
func TestLeaveStepsNotDoneInTime(t *testing.T) {
	s := newStack(t, func(c *stackConfig) {
		c.timings = func(tm *durations) { tm.LeaveAnswerDue, tm.LeaveStepDue = 5*time.Second, 5*time.Second }
	})
	c := newClass(t, s, map[string][]string{"ines": {"ines-1"}, "jon": {"jon-1"}, "kim": {"kim-1", "kim-2"}})
	if r := s.as("rektor-a").do("PUT", "/api/v1/schools/"+demo.OrgID("a")+"/leave-delegation", leave.Delegation{MentorMaxDays: 1}, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("delegating one day: %d", r.StatusCode)
	}
	apply := func(pupil string, oneDay bool) leave.Application {
		t.Helper()
		from, to := leaveDays(10)
		if oneDay {
			to = from
		}
		return expect[leave.Application](s.as(c.user(pupil+"-1")), http.StatusCreated, "POST",
			"/api/v1/persons/"+c.ids[pupil]+"/leave-applications", leave.ApplicationInput{From: from, To: to, Reason: "Resa"})
	}
	escalated, withdrawn, expired := apply("ines", true), apply("jon", false), apply("kim", false)
	// Each step is open to the person it is due from, until it is due.
	taskFor(t, s, "larare-a1", "leave.decide", c.ids["ines"])
	taskFor(t, s, "larare-a1", "leave.opinion", c.ids["jon"])
	taskFor(t, s, c.user("kim-2"), "leave.consent", c.ids["kim"])

	// Kim's other guardian never answers.
	applicationOf(t, s, c.user("kim-1"), c.ids["kim"], expired.ID, "expired")
	eventually(t, 10*time.Second, "both of Kim's guardians to be told it ended", func() bool {
		return slices.Contains(purposesFor(s, c.user("kim-1"), expired.ProcessID), "leave.ended") &&
			slices.Contains(purposesFor(s, c.user("kim-2"), expired.ProcessID), "leave.ended")
	})

	// The mentor does not decide Ines's day: the principal does.
	completeTask(t, s, "rektor-a", taskFor(t, s, "rektor-a", "leave.decide", c.ids["ines"]), map[string]any{"decision": "granted"})
	if got := applicationOf(t, s, "rektor-a", c.ids["ines"], escalated.ID, "granted"); got.DecidedBy == nil || *got.DecidedBy != s.id("rektor-a") {
		t.Fatalf("Ines's application %+v, want granted by the principal", got)
	}
	history := get[store.ProcessView](s.as("rektor-a"), "/api/v1/processes/"+escalated.ProcessID)
	if !slices.ContainsFunc(history.Events, func(e store.ProcessEvent) bool { return e.Kind == "reminded" }) ||
		!slices.ContainsFunc(history.Events, func(e store.ProcessEvent) bool { return e.Kind == "escalated" }) {
		t.Fatalf("Ines's history %+v, want the mentor reminded, then the decision escalated", history.Events)
	}

	// The mentor gives no opinion on Jon's week: the principal decides without one.
	completeTask(t, s, "rektor-a", taskFor(t, s, "rektor-a", "leave.decide", c.ids["jon"]), map[string]any{"decision": "denied", "reason": "Veckan har nationella prov."})
	if got := applicationOf(t, s, c.user("jon-1"), c.ids["jon"], withdrawn.ID, "denied"); got.MentorOpinion != nil {
		t.Fatalf("Jon's application %+v, want denied without an opinion", got)
	}

	recordHistory(t, s, expired.ProcessID, "", "leave/testdata/leave_expired.json")
	recordHistory(t, s, escalated.ProcessID, "", "leave/testdata/leave_escalated.json")
	recordHistory(t, s, withdrawn.ProcessID, "", "leave/testdata/leave_opinion_withdrawn.json")
}
