package integration

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/grading"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/support"
)

// Risks of a failing grade and corrections after publication (issue 14, points 6 and 7), on the
// real stack. The grading period's process is not these tests' to run: they write a period, and
// final grades in it, straight into the record, as the period's process would have left them.

// gradingPeriod writes school's grading period of the term named term (HT2026, VT2027), opened by
// its principal; published, its grades were published yesterday. It answers the period's id.
func gradingPeriod(t *testing.T, s *stack, school, term, principal string, published bool) string {
	t.Helper()
	var termID string
	if err := s.db.QueryRow(context.Background(), `SELECT id::text FROM terms WHERE display_name = $1`, term).Scan(&termID); err != nil {
		t.Fatalf("term %s: %v", term, err)
	}
	id := grading.PeriodID(school, termID)
	// A published period's dates lie behind it; an open one's ahead.
	base := time.Now().Add(-30 * 24 * time.Hour)
	if !published {
		base = time.Now().Add(24 * time.Hour)
	}
	var publishedAt *time.Time
	if published {
		at := time.Now().Add(-24 * time.Hour)
		publishedAt = &at
	}
	_, err := s.db.Exec(context.Background(), `INSERT INTO grading_periods (id, process_id, school_unit_id, term_id, entry_opens,
		  teacher_deadline, sign_off, publication, opened_by, published_at)
		VALUES ($1, $10, $2, $3, $4, $5, $6, $7, $8, $9)`, id, school, termID, base, base.Add(7*24*time.Hour),
		base.Add(14*24*time.Hour), base.Add(20*24*time.Hour), principal, publishedAt, grading.ProcessID(school, termID))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// finalGrade writes a final (signed) grade of pupil in activity in period, set by teacher, and
// answers its id. signed false writes a grade not yet final.
func finalGrade(t *testing.T, s *stack, period, activity, pupil, teacher, value string, signed bool) string {
	t.Helper()
	id := uuid.NewString()
	_, err := s.db.Exec(context.Background(), `INSERT INTO grades (id, period_id, student_id, activity_id, syllabus_id,
		  organisation_id, grade_value, grading_teacher, registered_by, decided_by, set_at, signed_at, semester, year)
		SELECT $1, $2, $3, a.id, a.syllabus_id, a.organisation_id, $5, $6, $6, 'teacher', now() - interval '10 days',
		  CASE WHEN $7 THEN now() - interval '9 days' END, 'HT', 2026
		FROM activities a WHERE a.id = $4`, id, period, pupil, activity, value, teacher, signed)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// told waits until user has a notification of purpose from process.
func told(t *testing.T, s *stack, user, process, purpose string) {
	t.Helper()
	eventually(t, 15*time.Second, user+" to be told "+purpose, func() bool {
		return slices.Contains(purposesFor(s, user, process), purpose)
	})
}

// A teacher flags a pupil at risk of a failing grade: each custodial guardian is told, the
// principal's task is to have the need for special support investigated, and a second flag is
// the same flag.
func TestGradingRiskTellsTheGuardiansAndAsksThePrincipal(t *testing.T) {
	s := newStack(t)
	pupil := s.id("elev-1") // Maja in Matematik 7 (larare-a2): guardians vh-1 and vh-2
	period := gradingPeriod(t, s, demo.OrgID("a"), "HT2026", s.id("rektor-a"), false)
	risks := "/api/v1/activities/" + demo.ActivityID("ma7") + "/risks"

	risk := expect[grading.Risk](s.as("larare-a2"), http.StatusCreated, "POST", risks, grading.RiskRequest{Period: period, Student: pupil})
	if risk.Student != pupil || risk.Period != period || risk.FlaggedBy != s.id("larare-a2") || risk.SchoolID != demo.OrgID("a") ||
		risk.ProcessID != "grade-risk:"+risk.ID || strings.Contains(risk.ProcessID, pupil) {
		t.Fatalf("risk %+v", risk)
	}
	again := expect[grading.Risk](s.as("larare-a2"), http.StatusOK, "POST", risks, grading.RiskRequest{Period: period, Student: pupil})
	if again != risk {
		t.Fatalf("the same flag again answered %+v, want %+v", again, risk)
	}
	if n := s.count(`SELECT count(*) FROM grade_risks`); n != 1 {
		t.Fatalf("%d risks recorded, want the one", n)
	}

	for _, g := range []string{"vh-1", "vh-2"} {
		told(t, s, g, risk.ProcessID, "grading.risk")
	}
	supportTask := taskFor(t, s, "rektor-a", "grading.support", pupil)
	// Deciding that no investigation is needed must say why.
	var p api.Problem
	if r := s.as("rektor-a").do("POST", "/api/v1/tasks/"+supportTask.ID+"/complete",
		api.TaskCompletionRequest{Payload: map[string]any{"support": grading.SupportNotNeeded}}, &p); r.StatusCode != 422 ||
		len(p.Errors) != 1 || p.Errors[0].Field != "payload/supportNote" {
		t.Fatalf("no need, without a note: %d %+v, want 422 naming payload/supportNote", r.StatusCode, p.Errors)
	}
	completeTask(t, s, "rektor-a", supportTask, map[string]any{"support": grading.SupportInvestigationStarted})
	var out grading.RiskOutcome
	closed(t, s, risk.ProcessID, 30*time.Second, &out)
	if out.Support != grading.SupportInvestigationStarted || out.By != s.id("rektor-a") || out.SupportCase != grading.SupportCaseID(risk.ID) {
		t.Fatalf("outcome %+v", out)
	}
	// The investigation started is a special support case, signalled by the flagging teacher,
	// whose process has begun the investigation for the teacher and the principal to draft.
	eventually(t, 15*time.Second, "the support case's investigation to begin", func() bool {
		c := get[support.Case](s.as("larare-a2"), "/api/v1/support-cases/"+out.SupportCase)
		return c.SignalledBy == s.id("larare-a2") && c.Investigation != nil
	})
	if len(purposesFor(s, "annan-1", risk.ProcessID)) != 0 {
		t.Error("the responsible adult without custody was told")
	}
	history := get[store.ProcessView](s.as("vh-1"), "/api/v1/processes/"+risk.ProcessID)
	if history.Kind != "grading.risk" || history.SubjectPerson == nil || *history.SubjectPerson != pupil {
		t.Fatalf("history %+v", history)
	}
	recordHistory(t, s, risk.ProcessID, "", "grading/testdata/grade_risk_investigated.json")
}

// A support task the principal does not do in time goes to the organiser's officers. A pupil
// whose guardian has protected identity: each guardian is told on their own, and the other
// guardian's view of the process shows nothing of the protected one.
func TestGradingRiskEscalatesAndKeepsAProtectedGuardianHidden(t *testing.T) {
	s := newStack(t, func(c *stackConfig) {
		c.timings = func(d *durations) { d.GradingSupportDue = 3 * time.Second }
	})
	pupil := s.id("elev-5") // Quentin in 7 Björk (larare-b1): guardians vh-4, and vh-5 with protected identity
	period := gradingPeriod(t, s, demo.OrgID("b"), "HT2026", s.id("rektor-b"), false)
	risk := expect[grading.Risk](s.as("larare-b1"), http.StatusCreated, "POST",
		"/api/v1/activities/"+demo.ActivityID("en7b")+"/risks", grading.RiskRequest{Period: period, Student: pupil})
	for _, g := range []string{"vh-4", "vh-5"} {
		told(t, s, g, risk.ProcessID, "grading.risk")
	}
	task := taskFor(t, s, "forvaltning", "grading.support", pupil) // escalated after three seconds
	completeTask(t, s, "forvaltning", task, map[string]any{"support": grading.SupportNotNeeded, "supportNote": "Extra anpassningar räcker."})
	var out grading.RiskOutcome
	closed(t, s, risk.ProcessID, 30*time.Second, &out)
	if out.Support != grading.SupportNotNeeded || out.By != s.id("forvaltning") {
		t.Fatalf("outcome %+v", out)
	}
	res, body := s.as("vh-4").send("GET", "/api/v1/processes/"+risk.ProcessID, nil)
	if res.StatusCode != 200 || strings.Contains(string(body), s.id("vh-5")) {
		t.Fatalf("the other guardian's view of the process: %d, naming the protected guardian: %v", res.StatusCode, strings.Contains(string(body), s.id("vh-5")))
	}
	recordHistory(t, s, risk.ProcessID, "", "grading/testdata/grade_risk_escalated.json")
}

// A flag that is wrong is refused, naming each wrong field, and writes nothing: a pupil not in
// the activity's groups, a period of another school or none, a published period; and no one but
// the activity's teachers may flag.
func TestGradingRiskBadInputWritesNothing(t *testing.T) {
	s := newStack(t)
	open := gradingPeriod(t, s, demo.OrgID("a"), "HT2026", s.id("rektor-a"), false)
	published := gradingPeriod(t, s, demo.OrgID("a"), "VT2027", s.id("rektor-a"), true)
	otherSchool := gradingPeriod(t, s, demo.OrgID("b"), "HT2026", s.id("rektor-b"), false)
	risks := "/api/v1/activities/" + demo.ActivityID("ma7") + "/risks"
	maja, olle := s.id("elev-1"), s.id("elev-3") // Olle is in 7A, not in Matematik 7
	cases := []struct {
		name   string
		body   any
		status int
		fields []string
	}{
		{"a pupil not in the groups", grading.RiskRequest{Period: open, Student: olle}, 422, []string{"student"}},
		{"a period of another school", grading.RiskRequest{Period: otherSchool, Student: maja}, 422, []string{"period"}},
		{"no such period, no such pupil", grading.RiskRequest{Period: uuid.NewString(), Student: uuid.NewString()}, 422, []string{"period", "student"}},
		{"a period that is no id", grading.RiskRequest{Period: "grading:none", Student: maja}, 422, []string{"period"}},
		{"a published period", grading.RiskRequest{Period: published, Student: maja}, 409, nil},
		{"no pupil", map[string]any{"period": open}, 422, []string{"student"}},
		{"a pupil that is no id", map[string]any{"period": open, "student": "Maja"}, 422, []string{"student"}},
		{"a member more", map[string]any{"period": open, "student": maja, "reason": "x"}, 422, []string{"reason"}},
	}
	for _, c := range cases {
		var p api.Problem
		r := s.as("larare-a2").do("POST", risks, c.body, &p)
		var fields []string
		for _, e := range p.Errors {
			fields = append(fields, e.Field)
		}
		slices.Sort(fields)
		if r.StatusCode != c.status || !slices.Equal(fields, c.fields) || p.Detail == "" {
			t.Errorf("%s: %d %+v, want %d naming %v", c.name, r.StatusCode, p, c.status, c.fields)
		}
	}
	for _, user := range []string{"larare-a1", "rektor-a", "vh-1"} {
		if r := s.as(user).do("POST", risks, grading.RiskRequest{Period: open, Student: maja}, nil); r.StatusCode != 404 {
			t.Errorf("%s, who does not teach the activity, flagging: %d, want 404", user, r.StatusCode)
		}
	}
	if n := s.count(`SELECT count(*) FROM grade_risks`) + s.count(`SELECT count(*) FROM processes WHERE kind = 'grading.risk'`); n != 0 {
		t.Fatalf("%d risks or processes written by refused flags", n)
	}
}

// The grading teacher changes a published grade upwards (Ändring): the original stays, a new
// grade replaces it, the guardians are told, and the history shows it. Downwards, outside the
// scale, the same value, by the wrong person, twice at once: refused, and nothing written.
func TestGradingAndringUpwardsAndItsBadInput(t *testing.T) {
	s := newStack(t)
	pupil := s.id("elev-1")
	period := gradingPeriod(t, s, demo.OrgID("a"), "HT2026", s.id("rektor-a"), true)
	grade := finalGrade(t, s, period, demo.ActivityID("ma7"), pupil, s.id("larare-a2"), "C", true)
	corrections := "/api/v1/grades/" + grade + "/corrections"
	cases := []struct {
		name, user string
		body       any
		status     int
		field      string
	}{
		{"a lower grade by Ändring", "larare-a2", grading.CorrectionRequest{CorrectionType: grading.Andring, GradeValue: "D"}, 422, "gradeValue"},
		{"a fail by Ändring", "larare-a2", grading.CorrectionRequest{CorrectionType: grading.Andring, GradeValue: "F"}, 422, "gradeValue"},
		{"a value outside the scale", "larare-a2", grading.CorrectionRequest{CorrectionType: grading.Andring, GradeValue: "G"}, 422, "gradeValue"},
		{"the grade already set", "larare-a2", grading.CorrectionRequest{CorrectionType: grading.Andring, GradeValue: "C"}, 422, "gradeValue"},
		{"neither Ändring nor Rättelse", "larare-a2", grading.CorrectionRequest{CorrectionType: "Omprövning", GradeValue: "B"}, 422, "correctionType"},
		{"no value", "larare-a2", map[string]any{"correctionType": grading.Andring}, 422, "gradeValue"},
		{"a Rättelse by the teacher", "larare-a2", grading.CorrectionRequest{CorrectionType: grading.Rattelse, GradeValue: "B"}, 403, ""},
		{"an Ändring by the principal", "rektor-a", grading.CorrectionRequest{CorrectionType: grading.Andring, GradeValue: "B"}, 403, ""},
		{"by a teacher who did not set it", "larare-a1", grading.CorrectionRequest{CorrectionType: grading.Andring, GradeValue: "B"}, 404, ""},
		{"by a guardian", "vh-1", grading.CorrectionRequest{CorrectionType: grading.Andring, GradeValue: "A"}, 404, ""},
	}
	for _, c := range cases {
		var p api.Problem
		r := s.as(c.user).do("POST", corrections, c.body, &p)
		if r.StatusCode != c.status || p.Detail == "" || c.field != "" && (len(p.Errors) != 1 || p.Errors[0].Field != c.field) {
			t.Errorf("%s: %d %+v, want %d naming %q", c.name, r.StatusCode, p, c.status, c.field)
		}
	}
	if n := s.count(`SELECT count(*) FROM grades`) + s.count(`SELECT count(*) FROM processes`); n != 1 {
		t.Fatalf("refused corrections wrote %d grades or processes", n-1)
	}

	// Two corrections of the same grade at once: one is taken, the other refused.
	headers, answers := []http.Header{s.bearer("larare-a2"), s.bearer("larare-a2")}, make([]*http.Response, 2)
	bodies := [][]byte{mustJSON(t, grading.CorrectionRequest{CorrectionType: grading.Andring, GradeValue: "B"}),
		mustJSON(t, grading.CorrectionRequest{CorrectionType: grading.Andring, GradeValue: "A"})}
	atOnce(
		func() { answers[0] = s.doRaw("POST", corrections, bodies[0], headers[0], nil) },
		func() { answers[1] = s.doRaw("POST", corrections, bodies[1], headers[1], nil) },
	)
	statuses := []int{answers[0].StatusCode, answers[1].StatusCode}
	if sorted := slices.Sorted(slices.Values(statuses)); !slices.Equal(sorted, []int{http.StatusAccepted, http.StatusConflict}) {
		t.Fatalf("two corrections at once answered %v, want one 202 and one 409", statuses)
	}
	winner := slices.Index(statuses, http.StatusAccepted)
	correction := decoded[grading.Correction](t, answers[winner], http.StatusAccepted)
	want := []string{"B", "A"}[winner]
	if correction.ProcessID != "grade-correction:"+grade || correction.GradeID != grade || correction.GradeValue != want ||
		correction.CorrectionType != grading.Andring || correction.Status != "recording" {
		t.Fatalf("correction %+v", correction)
	}
	closed(t, s, correction.ProcessID, 30*time.Second, nil)

	var value, correctionType, decidedBy, gradingTeacher, registeredBy, replaces string
	var signed bool
	err := s.db.QueryRow(context.Background(), `SELECT grade_value, correction_type, decided_by, grading_teacher::text,
		  registered_by::text, replaces::text, signed_at IS NOT NULL FROM grades WHERE id = $1`, correction.NewGradeID).
		Scan(&value, &correctionType, &decidedBy, &gradingTeacher, &registeredBy, &replaces, &signed)
	if err != nil {
		t.Fatal(err)
	}
	if value != want || correctionType != grading.Andring || decidedBy != "teacher" || gradingTeacher != s.id("larare-a2") ||
		registeredBy != s.id("larare-a2") || replaces != grade || !signed {
		t.Fatalf("the new grade: %s %s %s %s %s %s %v", value, correctionType, decidedBy, gradingTeacher, registeredBy, replaces, signed)
	}
	if n := s.count(`SELECT count(*) FROM grades WHERE id = $1 AND grade_value = 'C' AND correction_type IS NULL`, grade); n != 1 {
		t.Fatal("the original grade did not stay as it was")
	}
	for _, g := range []string{"vh-1", "vh-2"} {
		told(t, s, g, correction.ProcessID, "grading.corrected")
	}
	history := get[store.ProcessView](s.as("vh-2"), "/api/v1/processes/"+correction.ProcessID)
	if history.Kind != "grading.change" || history.SubjectPerson == nil || *history.SubjectPerson != pupil || len(history.Events) == 0 {
		t.Fatalf("history %+v", history)
	}
	recordHistory(t, s, correction.ProcessID, "", "grading/testdata/grade_change.json")

	// The grade is replaced: it is corrected no more; the grade that replaced it is.
	var p api.Problem
	if r := s.as("larare-a2").do("POST", corrections, grading.CorrectionRequest{CorrectionType: grading.Andring, GradeValue: "A"}, &p); r.StatusCode != 409 {
		t.Fatalf("correcting a replaced grade: %d %+v, want 409", r.StatusCode, p)
	}
	if want == "B" {
		next := "/api/v1/grades/" + correction.NewGradeID + "/corrections"
		expect[grading.Correction](s.as("larare-a2"), http.StatusAccepted, "POST", next, grading.CorrectionRequest{CorrectionType: grading.Andring, GradeValue: "A"})
	}
}

// The principal corrects a clerical error (Rättelse), downwards here, after the pupil and each
// guardian were heard: the guardians answer, the pupil's hearing is withdrawn when the window
// passes, then the new grade is recorded and the guardians are told.
func TestGradingRattelseAfterHearingThePupilAndTheGuardians(t *testing.T) {
	s := newStack(t)
	pupil := s.id("elev-1")
	period := gradingPeriod(t, s, demo.OrgID("a"), "HT2026", s.id("rektor-a"), true)
	grade := finalGrade(t, s, period, demo.ActivityID("ma7"), pupil, s.id("larare-a2"), "B", true)
	corrections := "/api/v1/grades/" + grade + "/corrections"
	for _, value := range []string{"B", "Z", "***"} {
		var p api.Problem
		if r := s.as("rektor-a").do("POST", corrections, grading.CorrectionRequest{CorrectionType: grading.Rattelse, GradeValue: value}, &p); r.StatusCode != 422 ||
			len(p.Errors) != 1 || p.Errors[0].Field != "gradeValue" {
			t.Errorf("a Rättelse to %q: %d %+v, want 422 naming gradeValue", value, r.StatusCode, p.Errors)
		}
	}
	correction := expect[grading.Correction](s.as("rektor-a"), http.StatusAccepted, "POST", corrections,
		grading.CorrectionRequest{CorrectionType: grading.Rattelse, GradeValue: "C"})
	if correction.Status != "hearing" || correction.CorrectionType != grading.Rattelse {
		t.Fatalf("correction %+v", correction)
	}
	completeTask(t, s, "vh-1", taskFor(t, s, "vh-1", "grading.hearing", pupil), map[string]any{"objection": grading.HearingNoObjection})
	completeTask(t, s, "vh-2", taskFor(t, s, "vh-2", "grading.hearing", pupil),
		map[string]any{"objection": grading.HearingObjects, "hearingComment": "Vi vill se provet."})
	if n := s.count(`SELECT count(*) FROM grades WHERE replaces = $1`, grade); n != 0 {
		t.Fatal("recorded before the pupil had been heard or the window had passed")
	}
	var out grading.CorrectionOutcome
	closed(t, s, correction.ProcessID, time.Minute, &out)
	if !slices.Equal(out.Heard, sortedIDs(s.id("vh-1"), s.id("vh-2"))) || out.Withdrawn != 1 {
		t.Fatalf("outcome %+v: want both guardians heard and the pupil's hearing withdrawn", out)
	}
	if n := s.count(`SELECT count(*) FROM tasks WHERE process_id = $1 AND assignee_id = $2 AND state = 'cancelled'`, correction.ProcessID, pupil); n != 1 {
		t.Fatalf("the pupil's unanswered hearing: %d withdrawn, want 1", n)
	}
	if n := s.count(`SELECT count(*) FROM grades WHERE id = $1 AND replaces = $2 AND grade_value = 'C' AND correction_type = 'Rättelse'
		AND decided_by = 'principal' AND registered_by = $3 AND grading_teacher = $4 AND signed_at IS NOT NULL`,
		correction.NewGradeID, grade, s.id("rektor-a"), s.id("larare-a2")); n != 1 {
		t.Fatal("the Rättelse is not recorded as a new, signed grade by the principal that replaces the old")
	}
	for _, g := range []string{"vh-1", "vh-2"} {
		told(t, s, g, correction.ProcessID, "grading.corrected")
	}
	history := get[store.ProcessView](s.as("rektor-a"), "/api/v1/processes/"+correction.ProcessID)
	kinds := map[string]int{}
	for _, e := range history.Events {
		kinds[e.Kind]++
	}
	if history.Kind != "grading.correction" || kinds["completed"] != 2 || kinds["cancelled"] != 1 {
		t.Fatalf("history %s with events %v, want two hearings answered and one withdrawn", history.Kind, kinds)
	}
	recordHistory(t, s, correction.ProcessID, "", "grading/testdata/grade_rattelse.json")
}

// Only a final grade of a published period is corrected.
func TestGradingOnlyAPublishedFinalGradeIsCorrected(t *testing.T) {
	s := newStack(t)
	pupil := s.id("elev-1")
	open := gradingPeriod(t, s, demo.OrgID("a"), "HT2026", s.id("rektor-a"), false)
	published := gradingPeriod(t, s, demo.OrgID("a"), "VT2027", s.id("rektor-a"), true)
	for name, grade := range map[string]string{
		"a grade of a period not published": finalGrade(t, s, open, demo.ActivityID("ma7"), pupil, s.id("larare-a2"), "C", true),
		"a grade not final":                 finalGrade(t, s, published, demo.ActivityID("ma7"), pupil, s.id("larare-a2"), "C", false),
	} {
		var p api.Problem
		if r := s.as("larare-a2").do("POST", "/api/v1/grades/"+grade+"/corrections",
			grading.CorrectionRequest{CorrectionType: grading.Andring, GradeValue: "B"}, &p); r.StatusCode != 409 || p.Detail == "" {
			t.Errorf("%s: %d %+v, want 409 saying why", name, r.StatusCode, p)
		}
	}
	if n := s.count(`SELECT count(*) FROM processes`); n != 0 {
		t.Fatalf("%d processes started by refused corrections", n)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sortedIDs are ids in the order the register lists a pupil's guardians (by id).
func sortedIDs(ids ...string) []string { return slices.Sorted(slices.Values(ids)) }

// The scale is the syllabus's: the diploma project (gymnasiearbete) is graded E or F only, so an
// Ändring to C is outside its scale, and to E is taken.
func TestGradingTheScaleIsTheSyllabuss(t *testing.T) {
	s := newStack(t)
	pupil := s.id("elev-7") // Sofia in NA1a at the upper secondary school (larare-c1)
	period := gradingPeriod(t, s, demo.OrgID("c"), "HT2026", s.id("rektor-c"), true)
	grade := finalGrade(t, s, period, demo.ActivityID("gyar"), pupil, s.id("larare-c1"), "F", true)
	corrections := "/api/v1/grades/" + grade + "/corrections"
	var p api.Problem
	if r := s.as("larare-c1").do("POST", corrections, grading.CorrectionRequest{CorrectionType: grading.Andring, GradeValue: "C"}, &p); r.StatusCode != 422 ||
		len(p.Errors) != 1 || p.Errors[0].Field != "gradeValue" || !strings.Contains(p.Errors[0].Detail, "E, F, -") {
		t.Fatalf("an Ändring to C of a course graded E or F: %d %+v, want 422 naming gradeValue and the scale", r.StatusCode, p.Errors)
	}
	correction := expect[grading.Correction](s.as("larare-c1"), http.StatusAccepted, "POST", corrections,
		grading.CorrectionRequest{CorrectionType: grading.Andring, GradeValue: "E"})
	closed(t, s, correction.ProcessID, 30*time.Second, nil)
	if n := s.count(`SELECT count(*) FROM grades WHERE id = $1 AND replaces = $2 AND grade_value = 'E'`, correction.NewGradeID, grade); n != 1 {
		t.Fatal("the Ändring to E is not recorded")
	}
}
