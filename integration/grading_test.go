package integration

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

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

// gradingTask waits for user's open task of kind in the period about group.
func gradingTask(t *testing.T, s *stack, user, kind, process, group string) store.TaskView {
	t.Helper()
	var found store.TaskView
	eventually(t, 20*time.Second, user+"'s "+kind+" task", func() bool {
		inbox := get[[]store.TaskView](s.as(user), "/api/v1/tasks?kind="+kind)
		i := slices.IndexFunc(inbox, func(v store.TaskView) bool {
			return v.ProcessID == process && v.SubjectGroup != nil && *v.SubjectGroup == group
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
	p := openPeriod(t, s, 12*time.Second, 13*time.Second, 40*time.Second)
	if p.ProcessID != grading.ProcessID(demo.OrgID("a"), p.TermID) || p.ID != grading.PeriodID(demo.OrgID("a"), p.TermID) {
		t.Fatalf("the period %q, %q: not its business key", p.ID, p.ProcessID)
	}
	// A second period for the same school unit and term: 409, nothing written.
	now := time.Now()
	var problem api.Problem
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
	expect[grading.ActivityGrades](s.as("larare-a1"), http.StatusOK, "POST", path+"/cosign", grading.CoSignRequest{Period: p.ID, Decision: grading.Agree})
	eventually(t, 20*time.Second, "Eva's grades final, co-signed by David", func() bool {
		return s.count(`SELECT count(*) FROM grades WHERE activity_id = $1 AND signed_at IS NOT NULL AND co_signer = $2`, ma7, s.id("larare-a1")) == 2
	})

	// Svenska 7A: David misses the deadline, and his group goes to the principal.
	eventually(t, 30*time.Second, "Svenska 7A's grading escalated to the principal", func() bool {
		inbox := get[[]store.TaskView](s.as("rektor-a"), "/api/v1/tasks?state=open&kind="+grading.KindSet)
		return slices.ContainsFunc(inbox, func(v store.TaskView) bool { return v.ProcessID == p.ProcessID && v.Assignee.Role == "Rektor" })
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

	// The principal signs off each group's catalogue; each verifies.
	for _, g := range []string{"ma7", "7a"} {
		group := demo.GroupID(g)
		gradingTask(t, s, "rektor-a", grading.KindSignOff, p.ProcessID, group)
		c := expect[grading.Catalogue](s.as("rektor-a"), http.StatusOK, "POST", "/api/v1/grading-periods/"+p.ID+"/catalogues/"+group+"/sign", nil)
		eventually(t, 20*time.Second, g+"'s catalogue signed", func() bool {
			c = get[grading.Catalogue](s.as("rektor-a"), "/api/v1/grading-periods/"+p.ID+"/catalogues/"+group)
			return c.Signed
		})
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
}
