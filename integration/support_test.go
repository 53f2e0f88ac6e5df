package integration

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/documents"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/support"
)

// signalSupport has larare-a1 signal that elev-1 (Maja) may need special support.
func signalSupport(t *testing.T, s *stack) support.Case {
	t.Helper()
	return expect[support.Case](s.as("larare-a1"), http.StatusCreated, "POST", "/api/v1/persons/"+s.id("elev-1")+"/support-cases",
		support.SignalInput{Concern: "Maja har svårt att följa med i läsningen."})
}

// A case runs from the signal to the follow-up: the principal has the need investigated and puts
// a special needs teacher on the investigation, which its staff draft and sign; the pupil and one
// guardian take part while the other guardian lets the window pass; the principal alone records a
// signed action programme as the decision; the guardians are told how to appeal; an appeal is
// recorded; and the mentor follows the programme up and evaluates it on its dates.
func TestASupportCaseFromSignalToFollowUp(t *testing.T) {
	s := newStack(t)
	maja := s.id("elev-1")
	c := signalSupport(t, s)
	if c.ProcessID != support.ID(maja, c.ID) || c.Concern == nil || c.Investigation != nil {
		t.Fatalf("the case: %+v", c)
	}
	at := "/api/v1/support-cases/" + c.ID

	completeTask(t, s, "rektor-a", taskFor(t, s, "rektor-a", support.KindInvestigate, maja), map[string]any{})
	eventually(t, 15*time.Second, "the investigation to begin", func() bool {
		c = get[support.Case](s.as("larare-a1"), at)
		return c.Investigation != nil
	})
	inv := "/api/v1/documents/" + *c.Investigation

	// The principal puts the school's special needs teacher on the investigation, who then reads
	// the case and drafts; a teacher of another school cannot be put on it, and only the
	// principal assigns.
	if r := s.as("spec-a").do("GET", at, nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("the special needs teacher before being assigned: %d, want 404", r.StatusCode)
	}
	var p api.Problem
	if r := s.as("rektor-a").do("POST", inv+"/staff", documents.StaffInput{PersonID: s.id("larare-b1")}, &p); r.StatusCode != http.StatusUnprocessableEntity ||
		!slices.Equal(fieldsOf(p), []string{"personId"}) {
		t.Fatalf("a teacher of school B on the investigation: %d %+v, want 422 naming personId", r.StatusCode, p)
	}
	if r := s.as("larare-a1").do("POST", inv+"/staff", documents.StaffInput{PersonID: s.id("spec-a")}, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("a teacher assigning staff: %d, want 404", r.StatusCode)
	}
	assigned := expect[documents.Document](s.as("rektor-a"), http.StatusOK, "POST", inv+"/staff", documents.StaffInput{PersonID: s.id("spec-a")})
	if !slices.Contains(assigned.Staff, s.id("spec-a")) || !slices.Contains(assigned.Staff, s.id("larare-a1")) {
		t.Fatalf("the investigation's staff: %v, want the special needs teacher beside the teacher who signalled", assigned.Staff)
	}
	if got := get[support.Case](s.as("spec-a"), at); got.Concern == nil {
		t.Fatalf("the assigned special needs teacher reads the case without the staff's words: %+v", got)
	}
	expect[documents.Document](s.as("spec-a"), http.StatusOK, "PUT", inv+"/versions/1", investigation("Läsförståelse"))
	signVersion(t, s, "larare-a1", *c.Investigation, "1")

	// Maja and one guardian take part. The other guardian lets the window pass, and their task is
	// withdrawn.
	completeTask(t, s, "elev-1", taskFor(t, s, "elev-1", support.KindParticipate, maja), map[string]any{"participate": "yes", "views": "Jag vill ha lugn och ro."})
	completeTask(t, s, "vh-1", taskFor(t, s, "vh-1", support.KindParticipate, maja), map[string]any{"participate": "yes", "views": "Vi vill vara med."})
	decide := taskFor(t, s, "rektor-a", support.KindDecide, maja)
	if open := get[[]store.TaskView](s.as("vh-2"), "/api/v1/tasks?kind="+support.KindParticipate); len(open) != 0 {
		t.Fatalf("vh-2's participation task still open at the decision: %+v", open)
	}

	// The decision is the principal's, with a signed programme about this pupil; it is not
	// completed through the tasks' general route.
	if r := s.as("rektor-a").do("POST", "/api/v1/tasks/"+decide.ID+"/complete", api.TaskCompletionRequest{Payload: map[string]any{"decision": "x"}}, &p); r.StatusCode < 400 {
		t.Fatalf("completing the decision without its record: %d", r.StatusCode)
	}
	if r := s.as("rektor-a").do("POST", at+"/decision", support.DecisionInput{Document: *c.Investigation}, &p); r.StatusCode != http.StatusUnprocessableEntity ||
		!slices.Equal(fieldsOf(p), []string{"document"}) {
		t.Fatalf("an investigation as the decision: %d %+v, want 422 naming document", r.StatusCode, p)
	}
	if r := s.as("larare-a1").do("POST", at+"/decision", support.DecisionInput{Document: *c.Investigation}, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("a teacher deciding: %d, want 404", r.StatusCode)
	}
	today := time.Now().In(stockholm(t)).Format(time.DateOnly)
	programme := addDocument(t, s, "rektor-a", maja, map[string]any{"kind": "action-programme", "fields": map[string]string{
		"need": "Läsning", "measures": "Lästräning med speciallärare", "responsible": "Mentor", "followUp": today, "evaluation": today}})
	signVersion(t, s, "rektor-a", programme.ID, "1")
	decided := expect[support.Case](s.as("rektor-a"), http.StatusOK, "POST", at+"/decision", support.DecisionInput{Document: programme.ID})
	if decided.Decision == nil || *decided.Decision != programme.ID || decided.DecidedAt == nil {
		t.Fatalf("the decided case: %+v", decided)
	}
	// Recorded again (a retry whose step was not completed the first time), the same decision is
	// the one on record; another is refused.
	cases := support.Store{DB: s.db}
	if err := cases.RecordDecision(context.Background(), c.ID, programme.ID); err != nil {
		t.Fatalf("the same decision again: %v", err)
	}
	if err := cases.RecordDecision(context.Background(), c.ID, *c.Investigation); errs.KindOf(err) != errs.Conflict {
		t.Fatalf("another decision: %v, want a conflict", err)
	}

	for _, g := range []string{"vh-1", "vh-2"} {
		told(t, s, g, c.ProcessID, "support.decided")
		for _, n := range get[[]store.NotificationView](s.as(g), "/api/v1/notifications") {
			if n.Purpose == "support.decided" && !strings.Contains(n.Body, "överklagandenämnd") {
				t.Fatalf("%s was told %q, without the appeal route", g, n.Body)
			}
		}
	}
	appealed := expect[support.Case](s.as("rektor-a"), http.StatusCreated, "POST", at+"/appeals", support.AppealInput{ReceivedOn: today, Note: "Vårdnadshavaren vill ha mer stöd."})
	if len(appealed.Appeals) != 1 || appealed.Appeals[0].ReceivedOn != today {
		t.Fatalf("the appeal: %+v", appealed.Appeals)
	}

	// The programme's dates have come: the mentor follows it up, then evaluates it.
	completeTask(t, s, "larare-a1", taskFor(t, s, "larare-a1", support.KindFollowUp, maja), map[string]any{"notes": "Går framåt."})
	completeTask(t, s, "larare-a1", taskFor(t, s, "larare-a1", support.KindEvaluate, maja), map[string]any{"notes": "Målen nådda."})
	var out support.Outcome
	closed(t, s, c.ProcessID, 30*time.Second, &out)
	if out.Decision != "action-programme" || out.Participated != 2 || out.Investigation != *c.Investigation {
		t.Fatalf("the outcome: %+v", out)
	}
	if family := get[support.Case](s.as("vh-2"), at); family.Concern != nil || family.Decision == nil {
		t.Fatalf("a guardian's view of the case: %+v, want the decision and not the staff's words", family)
	}
	recordHistory(t, s, c.ProcessID, "", "support/testdata/support_programme.json")
}

// A principal late at each step loses it to the organiser's officers: the investigation's start
// and the decision, which the officers record as a decision not to draw up a programme. Without
// a programme nothing is followed up, and the guardians are told how to appeal.
func TestASupportCaseEscalatedAndDecidedWithoutAProgramme(t *testing.T) {
	s := newStack(t, func(c *stackConfig) {
		c.timings = func(d *durations) {
			d.SupportInvestigateDue, d.SupportReplyWindow, d.SupportDecideDue = 3*time.Second, 2*time.Second, 3*time.Second
		}
	})
	maja := s.id("elev-1")
	c := signalSupport(t, s)
	completeTask(t, s, "forvaltning", taskFor(t, s, "forvaltning", support.KindInvestigate, maja), map[string]any{})
	decide := taskFor(t, s, "forvaltning", support.KindDecide, maja) // the window passed, and then the principal's deadline
	if decide.Assignee.Role != "Övrig arbetsledning" {
		t.Fatalf("the decision after its deadline: %+v", decide.Assignee)
	}
	decision := addDocument(t, s, "rektor-a", maja, map[string]any{"kind": "no-programme-decision",
		"fields": map[string]string{"reasons": "Extra anpassningar räcker."}})
	signVersion(t, s, "rektor-a", decision.ID, "1")
	// The officers hold the step now, and the decision's route is the principal's: the principal
	// of the case's school records it, and the step the officers hold is done.
	expect[support.Case](s.as("rektor-a"), http.StatusOK, "POST", "/api/v1/support-cases/"+c.ID+"/decision", support.DecisionInput{Document: decision.ID})
	var out support.Outcome
	closed(t, s, c.ProcessID, 30*time.Second, &out)
	if out.Decision != "no-programme-decision" || out.Participated != 0 {
		t.Fatalf("the outcome: %+v", out)
	}
	told(t, s, "vh-2", c.ProcessID, "support.decided")

	// The export proves the deadlines missed. The staff's holds the investigation's draft; the
	// family's holds the decision alone, and not the staff's words.
	export := "/api/v1/support-cases/" + c.ID + "/export"
	staff := get[support.Export](s.as("rektor-a"), export)
	if len(staff.Documents) != 2 || staff.Documents[0].Document.Kind != "investigation" || staff.Documents[1].Document.ID != decision.ID ||
		staff.Case.Concern == nil {
		t.Fatalf("the principal's export: %+v", staff)
	}
	late := map[string]bool{}
	for _, st := range staff.Steps {
		if st.InTime != nil && !*st.InTime {
			late[st.Kind] = true
		}
	}
	if !late[support.KindInvestigate] || !late[support.KindDecide] {
		t.Fatalf("the steps in the export: %+v, want the investigation's start and the decision after their deadlines", staff.Steps)
	}
	family := get[support.Export](s.as("vh-2"), export)
	if len(family.Documents) != 1 || family.Documents[0].Document.ID != decision.ID || family.Case.Concern != nil {
		t.Fatalf("the guardian's export: %+v, want the signed decision alone and no concern", family)
	}
	res, body := s.as("vh-2").send("GET", export+"?format=pdf", nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("the PDF: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	text := pdfText(t, body)
	for _, want := range []string{"Maja Lind", "Skolväsendets överklagandenämnd", "after its deadline", "Extra anpassningar räcker.",
		*family.Documents[0].Document.Versions[0].SHA256, "Anna Rektorsson"} {
		if !strings.Contains(text, want) {
			t.Errorf("the guardian's PDF lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "utredning") || strings.Contains(text, "Maja har svårt") {
		t.Errorf("the guardian's PDF shows the investigation's draft or the staff's words:\n%s", text)
	}
	recordHistory(t, s, c.ProcessID, "", "support/testdata/support_escalated_no_programme.json")
}
