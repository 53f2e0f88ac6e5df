package integration

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/api/serviceerror"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/register"
)

// class is a group of school A, taught and mentored by larare-a1, whose pupils and guardians are
// new to this run: their absence days on the shared Temporal server are the test's own. People
// are named by key: the pupil "alva", her guardians "alva-1" and "alva-2".
type class struct {
	prefix string
	group  string
	ids    map[string]string // key -> register id
}

// user is the sign-in name of a person of the class, for s.as and mailTo.
func (c class) user(key string) string { return c.prefix + key }

// newClass imports the class: each pupil with the guardians listed, guardians with a protection
// marking where marked with a trailing "*". Every guardian gets email at the demo domain.
func newClass(t *testing.T, s *stack, pupils map[string][]string) class {
	t.Helper()
	c := class{prefix: "e2e-" + randomHex() + "-", group: uuid.NewString(), ids: map[string]string{}}
	school, start, year := demo.OrgID("a"), "2020-08-01", 8
	d := &register.Document{
		Groups: []register.Group{{ID: c.group, DisplayName: "8E", GroupType: "Klass", SchoolType: ptr("GR"), Organisation: school, StartDate: start}},
		GroupAssignments: []register.GroupAssignment{
			{Group: c.group, Duty: demo.DutyID("larare-a1"), AssignmentRole: "Lärare", StartDate: start},
			{Group: c.group, Duty: demo.DutyID("larare-a1"), AssignmentRole: "Mentor", StartDate: start},
		},
	}
	person := func(key, marking string) string {
		id := uuid.NewString()
		c.ids[key] = id
		d.Persons = append(d.Persons, register.Person{ID: id, GivenName: strings.ToUpper(key[:1]) + key[1:], FamilyName: "Testsson",
			SecurityMarking: marking, EduPersonPrincipalNames: []string{c.user(key) + "@" + demo.UserDomain}})
		return id
	}
	for pupil, guardians := range pupils {
		p := person(pupil, "Ingen")
		d.Enrolments = append(d.Enrolments, register.Enrolment{ID: uuid.NewString(), Person: p, EnroledAt: school, SchoolType: "GR", SchoolYear: &year, StartDate: start})
		d.GroupMemberships = append(d.GroupMemberships, register.GroupMembership{Group: c.group, Person: p, StartDate: start})
		for _, g := range guardians {
			marking := "Ingen"
			if key, protected := strings.CutSuffix(g, "*"); protected {
				g, marking = key, "Skyddad folkbokföring"
			}
			d.Responsibles = append(d.Responsibles, register.Responsible{Person: p, Responsible: person(g, marking), RelationType: register.Custody})
		}
	}
	if _, err := register.Import(context.Background(), s.db, d); err != nil {
		t.Fatalf("importing the class: %+v", err)
	}
	for key, id := range c.ids {
		if _, err := s.db.Exec(context.Background(), `INSERT INTO contact_preferences (person_id, language, email, channels)
			VALUES ($1, 'sv', $2, '{email}')`, id, c.user(key)+"@"+demo.UserDomain); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// A school day, compressed: the absence window is two seconds and the day twenty. Before the
// first lesson a guardian reports a child sick; the teacher takes the register and corrects a
// pupil who came late before anyone was told; the guardians of the absent are told once each, a
// protected guardian included without a trace of them reaching the other; a pupil who turns out
// to have been there gets a correction; a guardian answers with a reason and the mentor
// classifies the absence as valid; and a leave request goes through both guardians, the
// mentor and the principal, to granted leave in the register.
func TestASchoolDay(t *testing.T) {
	s := newStack(t)
	c := newClass(t, s, map[string][]string{
		"alva": {"alva-1", "alva-2"},
		"bo":   {"bo-1"},
		"cleo": {"cleo-1", "cleo-2*"},
		"dan":  {"dan-1", "dan-2"},
	})
	id := c.ids
	today := time.Now().In(register.SchoolDay).Format(time.DateOnly)
	told := func(key, subject string) int { // messages to key whose subject starts so
		n := 0
		for _, m := range mailTo(s, c.user(key)) {
			if strings.HasPrefix(m.Subject, subject) {
				n++
			}
		}
		return n
	}

	// 07:45 Dan's guardian reports him sick today; his other guardian is told.
	if r := s.as(c.user("dan-1")).do("POST", "/api/v1/persons/"+id["dan"]+"/absence-reports",
		absence.AbsenceReportInput{From: today, To: today}, nil); r.StatusCode != 201 {
		t.Fatalf("the sick report: %d", r.StatusCode)
	}
	eventually(t, 10*time.Second, "dan-2 to be told of the report", func() bool { return told("dan-2", "Frånvaroanmälan") == 1 })

	// 08:00 The first lesson has begun; the register shows Dan already absent with valid absence.
	now := time.Now().Truncate(time.Minute)
	lesson := uuid.NewString()
	if r := s.as("admin-a").do("POST", "/api/v1/schools/"+demo.OrgID("a")+"/lessons", attendance.LessonImport{Lessons: []attendance.Lesson{
		{ID: lesson, Group: c.group, Teacher: s.id("larare-a1"), Start: startedBefore(now, time.Minute), End: startedBefore(now, time.Minute).Add(40 * time.Minute)}}}, nil); r.StatusCode != 200 {
		t.Fatalf("the timetable: %d", r.StatusCode)
	}
	lessonAttendance := "/api/v1/lessons/" + lesson + "/attendance"
	prefilled := get[[]attendance.Row](s.as("larare-a1"), lessonAttendance)
	if len(prefilled) != 1 || prefilled[0].Person != id["dan"] || prefilled[0].ValidAbsenceMinutes != 40 || prefilled[0].AbsenceType != "Anmäld frånvaro" {
		t.Fatalf("the register before it is taken: %+v, want Dan filled in as reported absent", prefilled)
	}

	// 08:01 The teacher takes the register; a moment later Bo comes in, five minutes late, and
	// the teacher sends the register again before the window closes.
	take := func(bo, cleo attendance.Registration) {
		t.Helper()
		in := attendance.RegistrationInput{Registrations: []attendance.Registration{
			{Person: id["alva"], Status: "absent"}, bo, cleo, {Person: id["dan"], Status: "absent"}}}
		if r := s.as("larare-a1").do("PUT", lessonAttendance, in, nil); r.StatusCode != 200 {
			t.Fatalf("taking the register: %d", r.StatusCode)
		}
	}
	take(attendance.Registration{Person: id["bo"], Status: "absent"}, attendance.Registration{Person: id["cleo"], Status: "absent"})
	take(attendance.Registration{Person: id["bo"], Status: "late", MinutesLate: 5}, attendance.Registration{Person: id["cleo"], Status: "absent"})

	// The window closes: Alva's and Cleo's guardians get one notice each; Bo's and Dan's nothing.
	eventually(t, 15*time.Second, "the notices", func() bool {
		return told("alva-1", "Frånvaro idag") == 1 && told("alva-2", "Frånvaro idag") == 1 &&
			told("cleo-1", "Frånvaro idag") == 1 && told("cleo-2", "Frånvaro idag") == 1
	})
	if told("bo-1", "Frånvaro") != 0 || told("dan-1", "Frånvaro idag") != 0 || told("dan-2", "Frånvaro idag") != 0 {
		t.Fatal("a notice went to the guardians of a pupil who was late or reported sick")
	}
	// Nothing about the protected guardian reaches Cleo's other guardian.
	day := get[json.RawMessage](s.as(c.user("cleo-1")), "/api/v1/persons/"+id["cleo"]+"/absence-days/"+today)
	cleoPerson := get[json.RawMessage](s.as(c.user("cleo-1")), "/api/v1/persons/"+id["cleo"])
	for _, m := range mailTo(s, c.user("cleo-1")) {
		if strings.Contains(m.Subject+m.Body, "Cleo-2") || slices.Contains(m.To, c.user("cleo-2")+"@"+demo.UserDomain) {
			t.Fatalf("a message to Cleo's other guardian names or is shared with the protected one: %+v", m)
		}
	}
	if strings.Contains(string(day), id["cleo-2"]) || strings.Contains(string(cleoPerson), id["cleo-2"]) {
		t.Fatal("Cleo's other guardian can see the protected guardian")
	}

	// 08:10 Cleo was in the library with the teacher's leave: the register is corrected, and her
	// guardians get a correction.
	take(attendance.Registration{Person: id["bo"], Status: "late", MinutesLate: 5}, attendance.Registration{Person: id["cleo"], Status: "present"})
	eventually(t, 15*time.Second, "the correction", func() bool {
		return told("cleo-1", "Rättelse") == 1 && told("cleo-2", "Rättelse") == 1
	})
	if told("alva-1", "Frånvaro idag") != 1 {
		t.Fatal("registering the same lesson again notified Alva's guardians twice")
	}

	// 09:00 Alva's guardian answers: the dentist. The mentor classifies the absence as valid.
	var answer absence.AbsenceReplyAnswer
	if r := s.as(c.user("alva-2")).do("POST", "/api/v1/persons/"+id["alva"]+"/absence-days/"+today+"/reply",
		absence.AbsenceReplyInput{Reason: "Tandläkarbesök"}, &answer); r.StatusCode != 200 {
		t.Fatalf("the guardian's reply: %d", r.StatusCode)
	}
	classify := taskFor(t, s, "larare-a1", "absence.classify", id["alva"])
	if classify.ID != answer.TaskID {
		t.Fatalf("the mentor's task %s, the reply named %s", classify.ID, answer.TaskID)
	}
	completeTask(t, s, "larare-a1", classify, map[string]any{"classification": "valid"})
	eventually(t, 10*time.Second, "Alva's minutes to be valid absence", func() bool {
		sum := get[attendance.Sum](s.as(c.user("alva-1")), "/api/v1/persons/"+id["alva"]+"/attendance?from="+today+"&to="+today)
		return sum.ValidAbsenceMinutes == 40 && sum.InvalidAbsenceMinutes == 0
	})
	bo := get[attendance.Sum](s.as("larare-a1"), "/api/v1/persons/"+id["bo"]+"/attendance?from="+today+"&to="+today)
	if bo.AttendedMinutes != 35 || bo.InvalidAbsenceMinutes != 5 || bo.ScheduledMinutes != 40 {
		t.Fatalf("Bo's day in sum: %+v, want 35 attended and 5 invalid of 40", bo)
	}

	// 15:00 Alva's guardian applies for a week's leave; the other guardian agrees, the mentor
	// supports it, the principal grants it, and both guardians are told.
	from, to := leaveDays(8)
	app := applyForLeave(s, c.user("alva-1"), id["alva"], from, to, "Familjeresa")
	consent := taskFor(t, s, c.user("alva-2"), "leave.consent", id["alva"])
	completeTask(t, s, c.user("alva-2"), consent, map[string]any{"consent": "agree"})
	completeTask(t, s, "larare-a1", taskFor(t, s, "larare-a1", "leave.opinion", id["alva"]), map[string]any{"opinion": "supports"})
	completeTask(t, s, "rektor-a", taskFor(t, s, "rektor-a", "leave.decide", id["alva"]), map[string]any{"decision": "granted"})
	applicationOf(t, s, c.user("alva-2"), id["alva"], app.ID, "granted")
	eventually(t, 10*time.Second, "both guardians to hear of the decision", func() bool {
		return told("alva-1", "Beslut om ledighet") == 1 && told("alva-2", "Beslut om ledighet") == 1
	})
	if reports := s.count(`SELECT count(*) FROM absence_reports WHERE person_id = $1 AND absence_type = 'Beviljad ledighet'
		AND start_time = $2::date::timestamp AT TIME ZONE 'Europe/Stockholm'`, id["alva"], from); reports != 1 {
		t.Fatalf("granted leave on record %d times, want once as Beviljad ledighet", reports)
	}
	t.Logf("the day: %d messages in the mailbox", len(s.mailbox.Messages()))
	recordHistory(t, s, absence.AbsenceDayID(id["cleo"], today), "", "absence/testdata/absence_day_corrected_after_notice.json")
}

// The register is saved with what the absence days must hear, in one transaction; the teacher
// does not wait for the process engine. Until the dispatcher runs, the absence waits in the
// outbox; then the guardian is told, once.
func TestRegisterHandsAbsencesToTheOutbox(t *testing.T) {
	s := newStack(t, func(c *stackConfig) { c.holdOutbox = true })
	c := newClass(t, s, map[string][]string{"ebba": {"ebba-1"}, "frej": {"frej-1"}})
	now := time.Now().Truncate(time.Minute)
	lesson := uuid.NewString()
	if r := s.as("admin-a").do("POST", "/api/v1/schools/"+demo.OrgID("a")+"/lessons", attendance.LessonImport{Lessons: []attendance.Lesson{
		{ID: lesson, Group: c.group, Teacher: s.id("larare-a1"), Start: startedBefore(now, time.Minute), End: startedBefore(now, time.Minute).Add(40 * time.Minute)}}}, nil); r.StatusCode != 200 {
		t.Fatalf("the timetable: %d", r.StatusCode)
	}
	in := attendance.RegistrationInput{Registrations: []attendance.Registration{{Person: c.ids["ebba"], Status: "absent"}, {Person: c.ids["frej"], Status: "present"}}}
	for range 2 { // the same register twice
		if r := s.as("larare-a1").do("PUT", "/api/v1/lessons/"+lesson+"/attendance", in, nil); r.StatusCode != 200 {
			t.Fatalf("taking the register: %d", r.StatusCode)
		}
	}
	today := time.Now().In(register.SchoolDay).Format(time.DateOnly)
	day := absence.AbsenceDayID(c.ids["ebba"], today)
	n := s.count(`SELECT count(*) FROM absence_outbox WHERE person_id = $1 AND kind = 'missed'`, c.ids["ebba"])
	if _, err := s.temporal.DescribeWorkflowExecution(context.Background(), day, ""); n != 2 || !errors.As(err, new(*serviceerror.NotFound)) {
		t.Fatalf("before the dispatcher: %d rows waiting, the absence day: %v (want none)", n, err)
	}

	s.dispatch(zap.NewNop())
	eventually(t, 15*time.Second, "the guardian's notice", func() bool { return len(mailTo(s, c.user("ebba-1"))) == 1 })
	if n := s.count(`SELECT count(*) FROM absence_outbox`); n != 0 || len(mailTo(s, c.user("frej-1"))) != 0 {
		t.Fatalf("after: %d rows waiting, frej's guardian told %d times", n, len(mailTo(s, c.user("frej-1"))))
	}
	// The day waits for its messages before it closes: once closed, what it told is all it told.
	var state absence.AbsenceDayState
	closed(t, s, day, s.timings.AbsenceDayLength+15*time.Second, &state)
	if len(state.Notices) != 1 || !slices.Equal(state.Notices[0].LessonIDs, []string{lesson}) {
		t.Fatalf("the day told %+v, want one notice listing the lesson once", state.Notices)
	}
	if n := len(mailTo(s, c.user("ebba-1"))); n != 1 {
		t.Fatalf("the guardian was told %d times of one lesson registered twice", n)
	}
}
