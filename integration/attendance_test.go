package integration

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/store"
)

// timetable imports, as school A's administrator, a 7A lesson of larare-a1 that began five
// minutes ago, a later one, and a Matematik 7 lesson of larare-a2. It returns their ids.
func timetable(t *testing.T, s *stack) (started, later, maths string) {
	t.Helper()
	now := time.Now().Truncate(time.Minute)
	started, later, maths = uuid.NewString(), uuid.NewString(), uuid.NewString()
	doc := attendance.LessonImport{Lessons: []attendance.Lesson{
		{ID: started, Group: demo.GroupID("7a"), Teacher: s.id("larare-a1"), Start: startedBefore(now, time.Minute), End: startedBefore(now, time.Minute).Add(40 * time.Minute)},
		{ID: later, Group: demo.GroupID("7a"), Teacher: s.id("larare-a1"), Start: now.Add(3 * time.Hour), End: now.Add(3*time.Hour + 40*time.Minute)},
		{ID: maths, Group: demo.GroupID("ma7"), Teacher: s.id("larare-a2"), Start: startedBefore(now, 5*time.Minute), End: startedBefore(now, 5*time.Minute).Add(time.Hour)},
	}}
	var res struct{ Changed bool }
	if r := s.as("admin-a").do("POST", "/api/v1/schools/"+demo.OrgID("a")+"/lessons", doc, &res); r.StatusCode != 200 || !res.Changed {
		t.Fatalf("importing the timetable: %d %+v", r.StatusCode, res)
	}
	if r := s.do("POST", "/api/v1/schools/"+demo.OrgID("a")+"/lessons", doc, &res); r.StatusCode != 200 || res.Changed {
		t.Fatalf("importing it again: %d, changed %v; want no change", r.StatusCode, res.Changed)
	}
	return started, later, maths
}

// A timetable with lessons of another school's group or teacher is refused whole, naming each.
func TestLessonImportChecksEveryLesson(t *testing.T) {
	s := newStack(t).as("admin-a")
	now := time.Now()
	doc := attendance.LessonImport{Lessons: []attendance.Lesson{
		{ID: uuid.NewString(), Group: demo.GroupID("7a"), Teacher: s.id("larare-a1"), Start: now, End: now.Add(time.Hour)},
		{ID: uuid.NewString(), Group: demo.GroupID("b7"), Teacher: s.id("larare-b1"), Start: now, End: now.Add(time.Hour)},
		{ID: uuid.NewString(), Group: demo.GroupID("7a"), Teacher: s.id("larare-a1"), Start: now, End: now.Add(-time.Hour)},
	}}
	var p api.Problem
	r := s.do("POST", "/api/v1/schools/"+demo.OrgID("a")+"/lessons", doc, &p)
	got := map[string]bool{}
	for _, f := range p.Errors {
		got[f.Field] = true
	}
	if r.StatusCode != 422 || len(p.Errors) != 3 || !got["lessons/1/group"] || !got["lessons/1/teacher"] || !got["lessons/2/end"] {
		t.Fatalf("%d %+v", r.StatusCode, p.Errors)
	}
	if n := s.count(`SELECT count(*) FROM lessons`); n != 0 {
		t.Fatalf("%d lessons written from a refused timetable", n)
	}
}

// A teacher takes the register for a whole lesson in one request: minutes per pupil, an absent
// pupil's absence day started, and no second notice when the same lesson is registered again.
func TestTakeTheRegister(t *testing.T) {
	s := newStack(t)
	started, later, maths := timetable(t, s)
	mine := get[[]attendance.LessonView](s.as("larare-a1"), "/api/v1/me/lessons")
	if len(mine) != 2 {
		t.Fatalf("larare-a1's lessons today = %d, want the two of 7A", len(mine))
	}
	register := "/api/v1/lessons/" + started + "/attendance"
	// Each test marks other pupils absent on today's date: the tests share one Temporal server,
	// and a pupil's absence day is the business key absence:<pupil>:<day>.
	in := attendance.RegistrationInput{Registrations: []attendance.Registration{
		{Person: s.id("elev-1"), Status: "present"},
		{Person: s.id("elev-4"), Status: "absent"},
		{Person: s.id("elev-3"), Status: "late", MinutesLate: 10},
	}}
	var out struct{ Registrations []attendance.Row }
	if r := s.do("PUT", register, in, &out); r.StatusCode != 200 {
		t.Fatalf("taking the register: %d", r.StatusCode)
	}
	for _, row := range out.Registrations {
		if row.AttendedMinutes+row.ValidAbsenceMinutes+row.InvalidAbsenceMinutes != 40 {
			t.Errorf("%+v does not add up to the lesson's 40 minutes", row)
		}
	}
	if late := out.Registrations[2]; late.AttendedMinutes != 30 || late.InvalidAbsenceMinutes != 10 {
		t.Errorf("late by 10: %+v", late)
	}
	// The same lesson again: the absence day lists the lesson once.
	if r := s.do("PUT", register, in, nil); r.StatusCode != 200 {
		t.Fatalf("registering again: %d", r.StatusCode)
	}
	// The register hands the absence on through its outbox: the day starts soon after, not at once.
	day := time.Now().In(stockholm(t)).Format(time.DateOnly)
	var res *http.Response
	eventually(t, 20*time.Second, "the absent pupil's day to start", func() bool {
		res = s.do("GET", "/api/v1/persons/"+s.id("elev-4")+"/absence-days/"+day, nil, nil)
		return res.StatusCode != http.StatusNotFound
	})
	if view := decoded[absence.AbsenceDayView](t, res, http.StatusOK); view.ProcessID != absence.AbsenceDayID(s.id("elev-4"), day) || len(view.PendingLessonIDs)+len(view.Notices) != 1 {
		t.Fatalf("the absent pupil's day: %+v", view)
	}

	cases := []struct {
		name, user, lesson string
		in                 attendance.RegistrationInput
		status             int
		field              string
	}{
		{"a lesson of another teacher", "larare-a2", started, in, 404, ""},
		{"a pupil not in the group", "larare-a1", started, attendance.RegistrationInput{Registrations: []attendance.Registration{
			{Person: s.id("elev-2"), Status: "present"}}}, 422, "registrations/0/person"},
		{"a lesson that has not started", "larare-a1", later, in, 422, ""},
		{"late by more than the lesson", "larare-a1", started, attendance.RegistrationInput{Registrations: []attendance.Registration{
			{Person: s.id("elev-1"), Status: "late", MinutesLate: 90}}}, 422, "registrations/0/minutesLate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var p api.Problem
			r := s.as(c.user).do("PUT", "/api/v1/lessons/"+c.lesson+"/attendance", c.in, &p)
			if r.StatusCode != c.status || (c.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != c.field)) {
				t.Fatalf("%d %+v, want %d naming %q", r.StatusCode, p, c.status, c.field)
			}
		})
	}
	if n := s.count(`SELECT count(*) FROM attendance WHERE lesson_id <> $1`, started); n != 0 {
		t.Fatalf("%d rows written by refused registers", n)
	}
	_ = maths
}

// A pupil's attendance in sum over a period, for those who may see the pupil.
func TestAttendanceInSum(t *testing.T) {
	s := newStack(t)
	started, _, _ := timetable(t, s)
	if r := s.as("larare-a1").do("PUT", "/api/v1/lessons/"+started+"/attendance", attendance.RegistrationInput{Registrations: []attendance.Registration{
		{Person: s.id("elev-3"), Status: "late", MinutesLate: 10}}}, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("taking the register: %d", r.StatusCode)
	}
	// Today and tomorrow: the later lesson, three hours on, may fall after midnight.
	day := time.Now().In(stockholm(t)).Format(time.DateOnly)
	tomorrow := time.Now().In(stockholm(t)).AddDate(0, 0, 1).Format(time.DateOnly)
	path := "/api/v1/persons/" + s.id("elev-3") + "/attendance?from=" + day + "&to=" + tomorrow
	sum := get[attendance.Sum](s.as("vh-3"), path)
	if sum.ScheduledMinutes != 80 || sum.InvalidAbsenceMinutes != 10 || sum.AttendedMinutes != 30 {
		t.Fatalf("sum = %+v, want 80 scheduled (two 7A lessons), 30 attended and 10 invalid absence", sum)
	}
	if r := s.as("vh-4").do("GET", path, nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("another family's guardian: %d, want 404", r.StatusCode)
	}
}

func stockholm(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// A teacher's correction before the notice goes means the guardians are never told; each of two
// guardians, one of them with protected identity, is told on their own, and nothing about the
// protected one reaches the other.
func TestRegisterCorrectionAndProtectedGuardian(t *testing.T) {
	s := newStack(t)
	started, _, _ := timetable(t, s)
	now := time.Now().Truncate(time.Minute)
	björk := uuid.NewString()
	doc := attendance.LessonImport{Lessons: []attendance.Lesson{{ID: björk, Group: demo.GroupID("b7"), Teacher: s.id("larare-b1"),
		Start: startedBefore(now, 5*time.Minute), End: startedBefore(now, 5*time.Minute).Add(40 * time.Minute)}}}
	if r := s.as("admin-huvudman").do("POST", "/api/v1/schools/"+demo.OrgID("b")+"/lessons", doc, nil); r.StatusCode != 200 {
		t.Fatalf("importing school B's lesson: %d", r.StatusCode)
	}
	// Olle (elev-3) registered absent, then corrected to present within the notice window.
	register := "/api/v1/lessons/" + started + "/attendance"
	if r := s.as("larare-a1").do("PUT", register, attendance.RegistrationInput{Registrations: []attendance.Registration{{Person: s.id("elev-3"), Status: "absent"}}}, nil); r.StatusCode != 200 {
		t.Fatalf("registering Olle absent: %d", r.StatusCode)
	}
	if r := s.do("PUT", register, attendance.RegistrationInput{Registrations: []attendance.Registration{{Person: s.id("elev-3"), Status: "present"}}}, nil); r.StatusCode != 200 {
		t.Fatalf("correcting: %d", r.StatusCode)
	}
	// The absence reached Olle's day (only an absence starts one) and the correction withdrew it
	// before the notice: the day is open with nothing pending and nothing told.
	today := time.Now().In(stockholm(t)).Format(time.DateOnly)
	olle := absence.AbsenceDayID(s.id("elev-3"), today)
	eventually(t, 15*time.Second, "Olle's day to hold the absence, withdrawn", func() bool {
		r := s.do("GET", "/api/v1/persons/"+s.id("elev-3")+"/absence-days/"+today, nil, nil)
		if r.StatusCode != http.StatusOK {
			return false
		}
		view := decoded[absence.AbsenceDayView](t, r, http.StatusOK)
		if len(view.Notices) != 0 {
			t.Fatalf("Olle's day told of a corrected absence: %+v", view)
		}
		return view.Open && len(view.PendingLessonIDs) == 0
	})
	// Quentin (elev-5) absent at school B: guardians vh-4 and vh-5 (protected).
	if r := s.as("larare-b1").do("PUT", "/api/v1/lessons/"+björk+"/attendance",
		attendance.RegistrationInput{Registrations: []attendance.Registration{{Person: s.id("elev-5"), Status: "absent"}}}, nil); r.StatusCode != 200 {
		t.Fatalf("registering at school B: %d", r.StatusCode)
	}
	eventually(t, 15*time.Second, "both of Quentin's guardians told", func() bool {
		return len(mailTo(s, "vh-4")) == 1 && len(mailTo(s, "vh-5")) == 1
	})
	for _, m := range mailTo(s, "vh-4") {
		for _, secret := range []string{"Tove", "vh-5", "+4670"} {
			if strings.Contains(m.Subject+m.Body, secret) {
				t.Errorf("the other guardian's message mentions %q: %q", secret, m.Body)
			}
		}
	}
	// Olle's guardian hears nothing: the absence was corrected before the notice. The day waits
	// for its messages before it closes, so once it has closed nothing more can come.
	var state absence.AbsenceDayState
	closed(t, s, olle, s.timings.AbsenceDayLength+15*time.Second, &state)
	if len(state.Notices)+len(state.Pending)+len(state.Corrected) != 0 {
		t.Fatalf("Olle's day closed with %+v, want nothing told, pending or to correct", state)
	}
	if n := len(mailTo(s, "sms")) + len(mailTo(s, "vh-3")); n != 0 {
		t.Fatalf("Olle's guardian was told %d times of a corrected absence", n)
	}
	recordHistory(t, s, olle, "", "absence/testdata/absence_day_corrected_before_notice.json")
}

// A guardian reports a child absent in one request: the other guardian is told, the teacher
// sees it filled in, and registering the pupil absent then is valid absence that tells no one.
func TestGuardianReportsAbsence(t *testing.T) {
	s := newStack(t)
	_, _, maths := timetable(t, s)
	today := time.Now().In(stockholm(t)).Format(time.DateOnly)
	reports := "/api/v1/persons/" + s.id("elev-2") + "/absence-reports"
	cases := []struct {
		name, user string
		body       absence.AbsenceReportInput
		status     int
		field      string
	}{
		{"a child not in their custody", "vh-4", absence.AbsenceReportInput{From: today, To: today}, 404, ""},
		{"an adult with no relation to the child", "annan-1", absence.AbsenceReportInput{From: today, To: today}, 404, ""},
		{"ending before it starts", "vh-1", absence.AbsenceReportInput{From: today, To: today, FromTime: "13:00", ToTime: "09:00"}, 422, "to"},
		{"in the past", "vh-1", absence.AbsenceReportInput{From: "2020-01-01", To: "2020-01-01"}, 422, "from"},
		{"a malformed time", "vh-1", absence.AbsenceReportInput{From: today, To: today, FromTime: "8 am"}, 422, "fromTime"},
	}
	for _, c := range cases {
		var p api.Problem
		r := s.as(c.user).do("POST", reports, c.body, &p)
		if r.StatusCode != c.status || (c.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != c.field)) {
			t.Fatalf("%s: %d %+v, want %d naming %q", c.name, r.StatusCode, p, c.status, c.field)
		}
	}
	if n := s.count(`SELECT count(*) FROM absence_reports`); n != 0 {
		t.Fatalf("%d reports written by refused requests", n)
	}

	var report struct{ ID string }
	if r := s.as("vh-1").do("POST", reports, absence.AbsenceReportInput{From: today, To: today}, &report); r.StatusCode != 201 {
		t.Fatalf("vh-1 reporting Nils absent today: %d", r.StatusCode)
	}
	eventually(t, 10*time.Second, "the other guardian told", func() bool { return len(mailTo(s, "vh-2")) == 1 })
	recordHistory(t, s, absence.AbsenceReportID(report.ID), "", "absence/testdata/absence_reported.json")
	if m := mailTo(s, "vh-2")[0]; m.Subject != "Absence reported: Nils" {
		t.Errorf("vh-2 got %q", m.Subject)
	}
	if len(mailTo(s, "vh-1")) != 0 {
		t.Error("the reporting guardian was told of their own report")
	}

	register := get[[]attendance.Row](s.as("larare-a2"), "/api/v1/lessons/"+maths+"/attendance")
	if len(register) != 1 || register[0].Person != s.id("elev-2") || !register[0].Reported || register[0].Registered ||
		register[0].ValidAbsenceMinutes != 60 {
		t.Fatalf("the register before it is taken: %+v, want Nils filled in as valid absence", register)
	}
	out := expect[struct{ Registrations []attendance.Row }](s, http.StatusOK, "PUT", "/api/v1/lessons/"+maths+"/attendance",
		attendance.RegistrationInput{Registrations: []attendance.Registration{{Person: s.id("elev-2"), Status: "absent"}}})
	if r := out.Registrations[0]; r.ValidAbsenceMinutes != 60 || r.InvalidAbsenceMinutes != 0 {
		t.Fatalf("a reported absence registered: %+v, want valid", r)
	}
	if r := s.do("GET", "/api/v1/persons/"+s.id("elev-2")+"/absence-days/"+today, nil, nil); r.StatusCode != 404 {
		t.Fatalf("an absence day for a reported absence: %d, want none (404)", r.StatusCode)
	}
}

// A guardian answers the notice with a reason; the pupil's mentor classifies the absence as
// valid, and the minutes move to valid absence.
func TestGuardianAnswersAndMentorClassifies(t *testing.T) {
	s := newStack(t)
	started, _, _ := timetable(t, s)
	today := time.Now().In(stockholm(t)).Format(time.DateOnly)
	if r := s.as("larare-a1").do("PUT", "/api/v1/lessons/"+started+"/attendance", attendance.RegistrationInput{Registrations: []attendance.Registration{
		{Person: s.id("elev-1"), Status: "absent"}}}, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("taking the register: %d", r.StatusCode)
	}
	reply := "/api/v1/persons/" + s.id("elev-1") + "/absence-days/" + today + "/reply"
	var answer absence.AbsenceReplyAnswer
	eventually(t, 15*time.Second, "the notice, then the reply taken", func() bool {
		r := s.as("vh-2").do("POST", reply, absence.AbsenceReplyInput{Reason: "Tandläkarbesök"}, nil)
		if r.StatusCode != http.StatusOK {
			return false
		}
		answer = decoded[absence.AbsenceReplyAnswer](t, r, http.StatusOK)
		return true
	})
	if r := s.as("annan-1").do("POST", reply, absence.AbsenceReplyInput{Reason: "x"}, nil); r.StatusCode != 404 {
		t.Fatalf("a responsible adult without custody answering: %d, want 404", r.StatusCode)
	}
	var none api.Problem
	if r := s.as("vh-3").do("POST", "/api/v1/persons/"+s.id("elev-3")+"/absence-days/"+randomDay()+"/reply",
		absence.AbsenceReplyInput{Reason: "x"}, &none); r.StatusCode != 409 {
		t.Fatalf("answering a day with no notice: %d, want 409", r.StatusCode)
	}
	inbox := get[[]store.TaskView](s.as("larare-a1"), "/api/v1/tasks?kind=absence.classify")
	if len(inbox) != 1 || inbox[0].ID != answer.TaskID {
		t.Fatalf("the mentor's inbox = %+v, want the classification task %s", inbox, answer.TaskID)
	}
	if r := s.do("POST", "/api/v1/tasks/"+answer.TaskID+"/complete",
		api.TaskCompletionRequest{Payload: map[string]any{"classification": "valid"}}, nil); r.StatusCode != 200 {
		t.Fatalf("classifying: %d", r.StatusCode)
	}
	eventually(t, 10*time.Second, "the minutes to move to valid absence", func() bool {
		sum := get[attendance.Sum](s.as("vh-1"), "/api/v1/persons/"+s.id("elev-1")+"/attendance?from="+today+"&to="+today)
		return sum.ValidAbsenceMinutes == 40 && sum.InvalidAbsenceMinutes == 0
	})
	// The guardian's words stay in PostgreSQL, out of the process's history.
	history := get[store.ProcessView](s.as("vh-1"), "/api/v1/processes/"+absence.AbsenceDayID(s.id("elev-1"), today))
	for _, e := range history.Events {
		if strings.Contains(string(e.Detail), "Tandläkare") {
			t.Fatalf("the reason is in the history: %s", e.Detail)
		}
	}
	if len(history.Events) == 0 {
		t.Fatal("the absence day has no history")
	}
	recordHistory(t, s, absence.AbsenceDayID(s.id("elev-1"), today), "", "absence/testdata/absence_day_reply_classified.json")
}
