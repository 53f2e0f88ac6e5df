package integration

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/grading"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/internal/mailsink"
	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/workflows"
)

// gradingTerm is the demo's autumn term, HT2026.
func gradingTerm(t *testing.T, s *stack) string {
	t.Helper()
	var id string
	if err := s.db.QueryRow(context.Background(), `SELECT id::text FROM terms WHERE display_name = 'HT2026'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// openPeriod has rektor-a open school A's period of HT2026 with the dates from now.
func openPeriod(t *testing.T, s *stack, deadline, signOff, publication time.Duration) grading.Period {
	t.Helper()
	now := time.Now()
	return expect[grading.Period](s.as("rektor-a"), http.StatusCreated, "POST", "/api/v1/schools/"+demo.OrgID("a")+"/grading-periods",
		grading.PeriodRequest{Term: gradingTerm(t, s), EntryOpens: now.Add(time.Second), TeacherDeadline: now.Add(deadline),
			SignOff: now.Add(signOff), Publication: now.Add(publication)})
}

// inPeriod tells whether a task is one of the period's (with the process ID periodProcess): its
// process is one of the period's children, an activity's grading or a group's sign-off.
func inPeriod(v store.TaskView, periodProcess string) bool {
	return strings.HasPrefix(v.ProcessID, periodProcess+":")
}

// gradingTask waits for user's open task of kind in the period about group.
func gradingTask(t *testing.T, s *stack, user, kind, process, group string) store.TaskView {
	t.Helper()
	var found store.TaskView
	eventually(t, 20*time.Second, user+"'s "+kind+" task", func() bool {
		inbox := get[[]store.TaskView](s.as(user), "/api/v1/tasks?kind="+kind)
		i := slices.IndexFunc(inbox, func(v store.TaskView) bool {
			return inPeriod(v, process) && v.SubjectGroup != nil && *v.SubjectGroup == group
		})
		if i >= 0 {
			found = inbox[i]
		}
		return i >= 0
	})
	return found
}

// gradesOf is the grade form's answer for every pupil of a form, in its order.
func gradesOf(form grading.ActivityGrades, values ...string) []grading.GradeEntry {
	out := make([]grading.GradeEntry, len(form.Pupils))
	for i, p := range form.Pupils {
		out[i] = grading.GradeEntry{Student: p.Student, GradeValue: values[i%len(values)]}
	}
	return out
}

// A whole grading period on the real server, compressed to seconds: the principal opens it; an
// uncertified teacher (larare-a2, Matematik 7) saves a draft and submits, and her grades wait
// for a certified colleague's co-signature, refused from an uncertified one; the certified
// teacher (larare-a1, Svenska 7A) misses the deadline, so his group goes to the principal, and
// he submits after; the principal cannot sign off while grades are missing, then signs off
// each group's catalogue, which verifies; guardians read nothing before the publication time,
// then read the grades and are told once.
func TestAGradingPeriodFromOpeningToPublication(t *testing.T) {
	s := newStack(t)
	ma7, sv7a := demo.ActivityID("ma7"), demo.ActivityID("sv7a")
	// Dates in the wrong order: 422 naming each, nothing written.
	now := time.Now()
	var problem api.Problem
	if r := s.as("rektor-a").do("POST", "/api/v1/schools/"+demo.OrgID("a")+"/grading-periods", grading.PeriodRequest{Term: gradingTerm(t, s),
		EntryOpens: now.Add(time.Hour), TeacherDeadline: now, SignOff: now.Add(-time.Hour), Publication: now.Add(-2 * time.Hour)}, &problem); r.StatusCode != http.StatusUnprocessableEntity ||
		!slices.Equal(fieldsOf(problem), []string{"publication", "signOff", "teacherDeadline"}) {
		t.Fatalf("dates in the wrong order: %d %+v, want 422 naming each", r.StatusCode, problem)
	}
	if n := s.count(`SELECT count(*) FROM grading_periods`); n != 0 {
		t.Fatalf("%d periods written by a refused opening", n)
	}
	p := openPeriod(t, s, 12*time.Second, 13*time.Second, 40*time.Second)
	endsWithTheTest(t, s, p.ProcessID)
	if p.ProcessID != grading.ProcessID(demo.OrgID("a"), p.TermID) || p.ID != grading.PeriodID(demo.OrgID("a"), p.TermID) {
		t.Fatalf("the period %q, %q: not its business key", p.ID, p.ProcessID)
	}
	// A second period for the same school unit and term: 409, nothing written.
	now = time.Now()
	problem = api.Problem{}
	if r := s.as("rektor-a").do("POST", "/api/v1/schools/"+demo.OrgID("a")+"/grading-periods", grading.PeriodRequest{Term: p.TermID,
		EntryOpens: now.Add(time.Hour), TeacherDeadline: now.Add(2 * time.Hour), SignOff: now.Add(3 * time.Hour), Publication: now.Add(4 * time.Hour)},
		&problem); r.StatusCode != http.StatusConflict {
		t.Fatalf("a second period: %d %+v, want 409", r.StatusCode, problem)
	}
	if n := s.count(`SELECT count(*) FROM grading_periods`); n != 1 {
		t.Fatalf("%d periods, want 1", n)
	}

	// Matematik 7: Eva (larare-a2) is certified in nothing.
	set := gradingTask(t, s, "larare-a2", grading.KindSet, p.ProcessID, demo.GroupID("ma7"))
	form := get[grading.ActivityGrades](s.as("larare-a2"), "/api/v1/activities/"+ma7+"/grades?period="+p.ID)
	if len(form.Pupils) != 2 || form.Step != "entry" || !slices.Equal(form.Activity.Scale, []string{"A", "B", "C", "D", "E", "F", "-"}) {
		t.Fatalf("the grade form %+v, want Maja and Nils on the A-F scale, at entry", form)
	}
	path := "/api/v1/activities/" + ma7 + "/grades"
	expect[grading.ActivityGrades](s.as("larare-a2"), http.StatusOK, "PUT", path,
		grading.GradesRequest{Period: p.ID, Grades: gradesOf(form, "C", "")})
	form = get[grading.ActivityGrades](s.as("larare-a2"), path+"?period="+p.ID)
	if form.Pupils[0].Draft == nil || *form.Pupils[0].Draft != "C" || form.Pupils[1].Draft != nil {
		t.Fatalf("the draft %+v, want C for the first pupil and none for the second", form.Pupils)
	}
	// A grade outside the scale, a pupil not in the group, a pupil twice: 422 naming each entry;
	// a teacher who does not teach the activity: as if it were not there (404, naming activityId).
	// Nothing written.
	olle := s.id("elev-3") // in 7A, not in Matematik 7
	wrong := []grading.GradeEntry{{Student: form.Pupils[0].Student, GradeValue: "G"}, {Student: olle, GradeValue: "C"},
		{Student: form.Pupils[1].Student, GradeValue: "C"}, {Student: form.Pupils[1].Student, GradeValue: "D"}}
	problem = api.Problem{}
	if r := s.as("larare-a2").do("PUT", path, grading.GradesRequest{Period: p.ID, Grades: wrong, Submit: true}, &problem); r.StatusCode != http.StatusUnprocessableEntity ||
		!slices.Equal(fieldsOf(problem), []string{"grades/0/gradeValue", "grades/1/student", "grades/3/student"}) {
		t.Fatalf("wrong grades: %d %+v, want 422 naming each wrong entry", r.StatusCode, problem)
	}
	// A teacher of the school who does not teach it (David, not yet its co-signer) and one of
	// another school are answered alike, naming the activity and not telling whether it exists.
	for _, who := range []string{"larare-a1", "larare-b1"} {
		problem = api.Problem{}
		if r := s.as(who).do("PUT", path, grading.GradesRequest{Period: p.ID, Grades: gradesOf(form, "C")}, &problem); r.StatusCode != http.StatusNotFound ||
			!slices.Equal(fieldsOf(problem), []string{"activityId"}) {
			t.Fatalf("grades by %s, who does not teach the activity: %d %+v, want 404 naming activityId", who, r.StatusCode, problem)
		}
	}
	if n := s.count(`SELECT count(*) FROM grades`) + s.count(`SELECT count(*) FROM grade_drafts WHERE grade_value <> 'C'`); n != 0 {
		t.Fatalf("%d grades or drafts written by refused forms", n)
	}

	// Submitted with a pupil missing: 422 naming grades, nothing written.
	problem = api.Problem{}
	if r := s.as("larare-a2").do("PUT", path, grading.GradesRequest{Period: p.ID, Grades: gradesOf(form, "C", "")[:1], Submit: true}, &problem); r.StatusCode != http.StatusUnprocessableEntity ||
		len(problem.Errors) != 1 || problem.Errors[0].Field != "grades" {
		t.Fatalf("a submission without every pupil: %d %+v, want 422 naming grades", r.StatusCode, problem)
	}
	if n := s.count(`SELECT count(*) FROM grades`); n != 0 {
		t.Fatalf("%d grades written by a refused submission", n)
	}
	expect[grading.ActivityGrades](s.as("larare-a2"), http.StatusOK, "PUT", path,
		grading.GradesRequest{Period: p.ID, Grades: gradesOf(form, "C", "E"), Submit: true})
	if n := s.count(`SELECT count(*) FROM grades WHERE activity_id = $1 AND signed_at IS NULL AND grading_teacher = $2`, ma7, s.id("larare-a2")); n != 2 {
		t.Fatalf("%d of Eva's grades awaiting a co-signature, want 2", n)
	}
	if got := get[[]store.TaskView](s.as("larare-a2"), "/api/v1/tasks?state=open&kind="+grading.KindSet); slices.ContainsFunc(got, func(v store.TaskView) bool { return v.ID == set.ID }) {
		t.Fatal("Eva's grading task is still open after she submitted")
	}

	// The co-signature is asked of David (larare-a1, certified in MA). Given to Eva, who is not
	// certified, her co-signature is refused naming the decision; given back, David agrees.
	cosign := gradingTask(t, s, "larare-a1", grading.KindCoSign, p.ProcessID, demo.GroupID("ma7"))
	reassign := func(to string) {
		t.Helper()
		if r := s.as("rektor-a").do("POST", "/api/v1/tasks/"+cosign.ID+"/reassign",
			api.TaskReassignmentRequest{Assignee: workflows.Assignee{PersonID: s.id(to)}}, nil); r.StatusCode != http.StatusOK {
			t.Fatalf("giving the co-signature to %s: %d", to, r.StatusCode)
		}
	}
	reassign("larare-a2")
	problem = api.Problem{}
	if r := s.as("larare-a2").do("POST", path+"/cosign", grading.CoSignRequest{Period: p.ID, Decision: grading.Agree}, &problem); r.StatusCode != http.StatusUnprocessableEntity ||
		len(problem.Errors) != 1 || problem.Errors[0].Field != "decision" {
		t.Fatalf("a co-signature by an uncertified teacher: %d %+v, want 422 naming decision", r.StatusCode, problem)
	}
	// The principal cannot sign off while grades are missing.
	problem = api.Problem{}
	if r := s.as("rektor-a").do("POST", "/api/v1/grading-periods/"+p.ID+"/catalogues/"+demo.GroupID("ma7")+"/sign", nil, &problem); r.StatusCode != http.StatusUnprocessableEntity ||
		len(problem.Errors) == 0 || problem.Errors[0].Field != "grades" {
		t.Fatalf("a sign-off with grades missing: %d %+v, want 422 naming grades", r.StatusCode, problem)
	}
	reassign("larare-a1")
	// David does not agree on the second pupil's E: he would give D. Certified in the subject, he
	// decides; the first pupil's C stands as Eva set it.
	second := form.Pupils[1].Student
	expect[grading.ActivityGrades](s.as("larare-a1"), http.StatusOK, "POST", path+"/cosign", grading.CoSignRequest{Period: p.ID,
		Decision: grading.Disagree, Grades: []grading.GradeEntry{{Student: second, GradeValue: "D"}}})
	eventually(t, 20*time.Second, "Eva's grades final, co-signed by David", func() bool {
		return s.count(`SELECT count(*) FROM grades WHERE activity_id = $1 AND signed_at IS NOT NULL AND co_signer = $2`, ma7, s.id("larare-a1")) == 2
	})
	if n := s.count(`SELECT count(*) FROM grades WHERE activity_id = $1 AND student_id = $2 AND grade_value = 'D' AND decided_by = 'co-signer'`, ma7, second); n != 1 {
		t.Fatal("the co-signer's D does not stand, decided by the co-signer")
	}
	if n := s.count(`SELECT count(*) FROM grades WHERE activity_id = $1 AND grade_value = 'C' AND decided_by = 'teacher' AND grading_teacher = $2`, ma7, s.id("larare-a2")); n != 1 {
		t.Fatal("Eva's C does not stand as she set it")
	}

	// Svenska 7A: David misses the deadline, and his group goes to the principal.
	eventually(t, 30*time.Second, "Svenska 7A's grading escalated to the principal", func() bool {
		inbox := get[[]store.TaskView](s.as("rektor-a"), "/api/v1/tasks?state=open&kind="+grading.KindSet)
		return slices.ContainsFunc(inbox, func(v store.TaskView) bool { return inPeriod(v, p.ProcessID) && v.Assignee.Role == "Rektor" })
	})
	path = "/api/v1/activities/" + sv7a + "/grades"
	form = get[grading.ActivityGrades](s.as("larare-a1"), path+"?period="+p.ID)
	if len(form.Pupils) != 3 {
		t.Fatalf("Svenska 7A's form has %d pupils, want 3 (Olle, who is protected, with them: David teaches him)", len(form.Pupils))
	}
	expect[grading.ActivityGrades](s.as("larare-a1"), http.StatusOK, "PUT", path, grading.GradesRequest{Period: p.ID, Grades: gradesOf(form, "B", "A", "-"), Submit: true})
	eventually(t, 20*time.Second, "David's grades final", func() bool {
		return s.count(`SELECT count(*) FROM grades WHERE activity_id = $1 AND signed_at IS NOT NULL AND decided_by = 'teacher' AND co_signer IS NULL`, sv7a) == 3
	})

	// Before publication a guardian reads none of Maja's grades; her teacher reads them.
	maja := s.id("elev-1")
	if got := get[[]grading.PupilGrade](s.as("vh-1"), "/api/v1/persons/"+maja+"/grades"); len(got) != 0 {
		t.Fatalf("a guardian reads %d grades before publication", len(got))
	}
	if got := get[[]grading.PupilGrade](s.as("larare-a1"), "/api/v1/persons/"+maja+"/grades"); len(got) != 2 {
		t.Fatalf("Maja's teacher reads %d grades, want 2", len(got))
	}
	// Every read of Maja's grades, and of the grade forms that name her, is in the access log.
	for _, who := range []string{"vh-1", "larare-a1"} {
		if n := s.count(`SELECT count(*) FROM access_log WHERE actor_id = $1 AND route = '/api/v1/persons/:personId/grades' AND target_id = $2 AND allowed`,
			s.id(who), maja); n != 1 {
			t.Fatalf("%d access log rows of %s reading Maja's grades, want 1", n, who)
		}
	}
	if n := s.count(`SELECT count(*) FROM access_log WHERE actor_id = $1 AND route = '/api/v1/activities/:activityId/grades' AND target_id = $2`,
		s.id("larare-a2"), ma7); n == 0 {
		t.Fatal("the grade form's reads are not in the access log")
	}

	// The principal signs off each group's catalogue; each verifies.
	for _, g := range []string{"ma7", "7a"} {
		group := demo.GroupID(g)
		gradingTask(t, s, "rektor-a", grading.KindSignOff, p.ProcessID, group)
		// The answer is the signed catalogue, its hash with it.
		c := expect[grading.Catalogue](s.as("rektor-a"), http.StatusOK, "POST", "/api/v1/grading-periods/"+p.ID+"/catalogues/"+group+"/sign", nil)
		if !c.Signed || c.SHA256 == nil || c.SignedBy == nil || *c.SignedBy != s.id("rektor-a") {
			t.Fatalf("%s's sign-off answered %+v, want it signed by the principal with its hash", g, c)
		}
		v := get[grading.Verification](s.as("forvaltning"), "/api/v1/grading-periods/"+p.ID+"/catalogues/"+group+"/verify")
		if !v.Valid || v.Stored != v.Computed || len(v.Stored) != 64 {
			t.Fatalf("%s's catalogue %+v does not verify: %+v", g, c, v)
		}
	}
	if n := s.count(`SELECT count(*) FROM grade_catalogue_grades WHERE period_id = $1`, p.ID); n != 5 {
		t.Fatalf("%d grades in the signed catalogues, want 5", n)
	}
	if got := get[[]grading.PupilGrade](s.as("vh-1"), "/api/v1/persons/"+maja+"/grades"); len(got) != 0 {
		t.Fatalf("a guardian reads %d grades after the sign-off, before publication", len(got))
	}
	if n := s.count(`SELECT count(*) FROM notifications WHERE purpose LIKE 'grading.published%'`); n != 0 {
		t.Fatalf("%d notices of published grades before publication", n)
	}
	// A final grade and a signed catalogue never change, whoever asks the database.
	for _, change := range []string{`UPDATE grades SET grade_value = 'A' WHERE period_id = $1`, `DELETE FROM grades WHERE period_id = $1`,
		`UPDATE grade_catalogues SET content_sha256 = repeat('0', 64) WHERE period_id = $1`, `DELETE FROM grade_catalogue_grades WHERE period_id = $1`} {
		if _, err := s.db.Exec(context.Background(), change, p.ID); err == nil || !strings.Contains(err.Error(), "never changes") {
			t.Fatalf("%s: %v, want it refused", change, err)
		}
	}

	// At the publication time the grades are published, and Maja's guardians are told, once.
	var out grading.PeriodOutcome
	closed(t, s, p.ProcessID, 2*time.Minute, &out)
	if out.Activities != 2 || out.Published.Before(p.Publication) {
		t.Fatalf("the period's outcome %+v, want 2 activities published at %v or after", out, p.Publication)
	}
	got := get[[]grading.PupilGrade](s.as("vh-1"), "/api/v1/persons/"+maja+"/grades")
	if len(got) != 2 || !got[0].Final || got[0].PublishedAt == nil {
		t.Fatalf("after publication a guardian reads %+v, want Maja's two final grades", got)
	}
	eventually(t, time.Minute, "the guardians' mail of the published grades", func() bool {
		return slices.ContainsFunc(mailTo(s, "vh-1"), func(m mailsink.Message) bool { return strings.Contains(m.Subject, "betyg för Maja") })
	})
	if n := s.count(`SELECT count(*) FROM notifications WHERE process_id = $1 AND recipient_id = $2 AND purpose = 'grading.published'`, p.ProcessID, s.id("vh-1")); n != 2 {
		t.Fatalf("vh-1 has %d notices of published grades, want 2 (Maja and Nils, once each)", n)
	}
	// Olle and his guardian have protected identity: the guardian is told on their own, like everyone.
	if n := s.count(`SELECT count(*) FROM notifications WHERE process_id = $1 AND recipient_id = $2 AND purpose = 'grading.published'`, p.ProcessID, s.id("vh-3")); n != 1 {
		t.Fatalf("Olle's guardian has %d notices of published grades, want 1", n)
	}
	recordHistory(t, s, p.ProcessID, "", "grading/testdata/grading_period_cosigner_decides.json")
	recordHistory(t, s, grading.ActivityProcessID(p.ProcessID, ma7), "", "grading/testdata/grade_activity_cosigner_decides.json")
	recordHistory(t, s, grading.ActivityProcessID(p.ProcessID, sv7a), "", "grading/testdata/grade_activity_escalated.json")
	recordHistory(t, s, grading.CatalogueProcessID(p.ProcessID, demo.GroupID("7a")), "", "grading/testdata/sign_off_catalogue.json")
	recordHistory(t, s, grading.TellingProcessID(p.ProcessID, 0), "", "grading/testdata/tell_published.json")
}

func fieldsOf(p api.Problem) []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	slices.Sort(out)
	return out
}

// At the upper secondary school, course by course: larare-c1, certified in mathematics, grades
// Matematik 1c alone; his diploma project (Gymnasiearbete, graded E or F) needs a co-signature,
// and the school has no one certified in it, so the principal gets the task and gives it to a
// colleague certified in English. She disagrees; not certified in the subject, she does not
// decide: the principal does, and takes her side. The grades carry their course.
func TestAGradingPeriodAtTheUpperSecondarySchool(t *testing.T) {
	s := newStack(t)
	school, na1a := demo.OrgID("c"), demo.GroupID("na1a")
	colleague := uuidOf("person:larare-c2")
	doc := map[string]any{
		"persons":               []map[string]any{{"id": colleague, "givenName": "Hanna", "familyName": "Språk", "eduPersonPrincipalNames": []string{"larare-c2@skolflow.test"}}},
		"duties":                []map[string]any{{"id": uuidOf("duty:larare-c2"), "person": colleague, "dutyAt": school, "dutyRole": "Lärare", "startDate": "2020-08-01"}},
		"teacherCertifications": []map[string]any{{"person": colleague, "subjectCode": "EN"}},
	}
	if r := s.as("admin-huvudman").do("POST", "/api/v1/register/import", doc, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("importing a colleague: %d", r.StatusCode)
	}
	now := time.Now()
	p := expect[grading.Period](s.as("rektor-c"), http.StatusCreated, "POST", "/api/v1/schools/"+school+"/grading-periods",
		grading.PeriodRequest{Term: gradingTerm(t, s), EntryOpens: now.Add(time.Second), TeacherDeadline: now.Add(30 * time.Second),
			SignOff: now.Add(30 * time.Second), Publication: now.Add(30 * time.Second)})
	endsWithTheTest(t, s, p.ProcessID)

	// Matematik 1c: a course grade on A-F, set by a teacher certified in the subject: final.
	ma1c, gyar := demo.ActivityID("ma1c"), demo.ActivityID("gyar")
	gradingTask(t, s, "larare-c1", grading.KindSet, p.ProcessID, na1a)
	form := get[grading.ActivityGrades](s.as("larare-c1"), "/api/v1/activities/"+ma1c+"/grades?period="+p.ID)
	if form.Activity.CourseCode != "MATMAT01c" || len(form.Pupils) != 2 {
		t.Fatalf("Matematik 1c's form %+v, want the course MATMAT01c and Sofia and Tim", form)
	}
	sofia, tim := s.id("elev-7"), s.id("elev-8")
	expect[grading.ActivityGrades](s.as("larare-c1"), http.StatusOK, "PUT", "/api/v1/activities/"+ma1c+"/grades",
		grading.GradesRequest{Period: p.ID, Grades: []grading.GradeEntry{{Student: sofia, GradeValue: "A"}, {Student: tim, GradeValue: "C"}}, Submit: true})

	// Gymnasiearbete: E or F (or a dash); an A is refused.
	path := "/api/v1/activities/" + gyar + "/grades"
	form = get[grading.ActivityGrades](s.as("larare-c1"), path+"?period="+p.ID)
	if !slices.Equal(form.Activity.Scale, []string{"E", "F", "-"}) {
		t.Fatalf("the diploma project's scale %v, want E, F and -", form.Activity.Scale)
	}
	var problem api.Problem
	if r := s.as("larare-c1").do("PUT", path, grading.GradesRequest{Period: p.ID, Grades: gradesOf(form, "A"), Submit: true}, &problem); r.StatusCode != http.StatusUnprocessableEntity ||
		!slices.Equal(fieldsOf(problem), []string{"grades/0/gradeValue", "grades/1/gradeValue"}) {
		t.Fatalf("an A in a course graded E or F: %d %+v, want 422 naming both", r.StatusCode, problem)
	}
	expect[grading.ActivityGrades](s.as("larare-c1"), http.StatusOK, "PUT", path, grading.GradesRequest{Period: p.ID, Grades: gradesOf(form, "E"), Submit: true})

	// No one at the school is certified in the subject: the co-signature goes to the principal,
	// who gives it to the colleague; the teacher who set the grades may not co-sign them.
	var cosign store.TaskView
	eventually(t, 20*time.Second, "the co-signature with the principal", func() bool {
		inbox := get[[]store.TaskView](s.as("rektor-c"), "/api/v1/tasks?state=open&kind="+grading.KindCoSign)
		i := slices.IndexFunc(inbox, func(v store.TaskView) bool { return inPeriod(v, p.ProcessID) })
		if i >= 0 {
			cosign = inbox[i]
		}
		return i >= 0
	})
	for _, to := range []string{"larare-c1", "larare-c2"} {
		id := map[string]string{"larare-c1": s.id("larare-c1"), "larare-c2": colleague}[to]
		var refused api.Problem
		if r := s.as("rektor-c").do("POST", "/api/v1/tasks/"+cosign.ID+"/reassign",
			api.TaskReassignmentRequest{Assignee: workflows.Assignee{PersonID: id}}, &refused); r.StatusCode != http.StatusOK {
			t.Fatalf("giving the co-signature to %s: %d %+v", to, r.StatusCode, refused)
		}
		if to == "larare-c1" {
			problem = api.Problem{}
			if r := s.as("larare-c1").do("POST", path+"/cosign", grading.CoSignRequest{Period: p.ID, Decision: grading.Agree}, &problem); r.StatusCode != http.StatusUnprocessableEntity ||
				!slices.Equal(fieldsOf(problem), []string{"decision"}) {
				t.Fatalf("a co-signature of one's own grades: %d %+v, want 422 naming decision", r.StatusCode, problem)
			}
		}
	}
	expect[grading.ActivityGrades](s.as("larare-c2"), http.StatusOK, "POST", path+"/cosign", grading.CoSignRequest{Period: p.ID,
		Decision: grading.Disagree, Grades: []grading.GradeEntry{{Student: tim, GradeValue: "F"}}})

	// The principal decides, and takes the co-signer's side.
	decide := gradingTask(t, s, "rektor-c", grading.KindDecide, p.ProcessID, na1a)
	completeTask(t, s, "rektor-c", decide, map[string]any{"side": grading.CoSignerSide})
	eventually(t, 20*time.Second, "the diploma project's grades final", func() bool {
		return s.count(`SELECT count(*) FROM grades WHERE activity_id = $1 AND signed_at IS NOT NULL`, gyar) == 2
	})
	if n := s.count(`SELECT count(*) FROM grades WHERE activity_id = $1 AND student_id = $2 AND grade_value = 'F' AND decided_by = 'principal' AND co_signer = $3`,
		gyar, tim, colleague); n != 1 {
		t.Fatal("Tim's diploma project is not F, decided by the principal, co-signed by the colleague")
	}

	gradingTask(t, s, "rektor-c", grading.KindSignOff, p.ProcessID, na1a)
	expect[grading.Catalogue](s.as("rektor-c"), http.StatusOK, "POST", "/api/v1/grading-periods/"+p.ID+"/catalogues/"+na1a+"/sign", nil)
	closed(t, s, p.ProcessID, 2*time.Minute, nil)
	got := get[[]grading.PupilGrade](s.as("vh-2"), "/api/v1/persons/"+sofia+"/grades")
	if len(got) != 2 || !slices.ContainsFunc(got, func(g grading.PupilGrade) bool {
		return g.CourseCode != nil && *g.CourseCode == "MATMAT01c" && g.GradeValue == "A" && g.Semester == "HT" && g.Year == 2026
	}) {
		t.Fatalf("Sofia's published grades %+v, want Matematik 1c's A among them, HT 2026", got)
	}
	recordHistory(t, s, p.ProcessID, "", "grading/testdata/grading_period_principal_decides.json")
	recordHistory(t, s, grading.ActivityProcessID(p.ProcessID, gyar), "", "grading/testdata/grade_activity_principal_decides.json")
}

// uuidOf is a name-based id for a person or duty a test adds to the demo register.
func uuidOf(name string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("skolflow-test:"+name)).String()
}

// The grade form holds the pupils of the activity's groups today: a pupil who left the group
// during the term has no grade to get, one who joined has.
func TestTheGradeFormFollowsWhoIsInTheGroup(t *testing.T) {
	s := newStack(t)
	ma7 := demo.GroupID("ma7")
	yesterday := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	doc := map[string]any{"groupMemberships": []map[string]any{
		{"group": ma7, "person": s.id("elev-2"), "startDate": "2026-08-17", "endDate": yesterday}, // Nils left
		{"group": ma7, "person": s.id("elev-4"), "startDate": yesterday},                          // Petra joined
	}}
	if r := s.as("admin-huvudman").do("POST", "/api/v1/register/import", doc, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("moving pupils: %d", r.StatusCode)
	}
	p := openPeriod(t, s, time.Hour, time.Hour, 2*time.Hour)
	endsWithTheTest(t, s, p.ProcessID)
	gradingTask(t, s, "larare-a2", grading.KindSet, p.ProcessID, ma7)
	form := get[grading.ActivityGrades](s.as("larare-a2"), "/api/v1/activities/"+demo.ActivityID("ma7")+"/grades?period="+p.ID)
	var pupils []string
	for _, r := range form.Pupils {
		pupils = append(pupils, r.Student)
	}
	slices.Sort(pupils)
	want := []string{s.id("elev-1"), s.id("elev-4")}
	slices.Sort(want)
	if !slices.Equal(pupils, want) {
		t.Fatalf("the form's pupils %v, want Maja and Petra (who joined), not Nils (who left)", pupils)
	}
	var problem api.Problem
	if r := s.as("larare-a2").do("PUT", "/api/v1/activities/"+demo.ActivityID("ma7")+"/grades", grading.GradesRequest{Period: p.ID,
		Grades: []grading.GradeEntry{{Student: s.id("elev-2"), GradeValue: "C"}}}, &problem); r.StatusCode != http.StatusUnprocessableEntity ||
		!slices.Equal(fieldsOf(problem), []string{"grades/0/student"}) {
		t.Fatalf("a grade for the pupil who left: %d %+v, want 422 naming the pupil", r.StatusCode, problem)
	}
}
