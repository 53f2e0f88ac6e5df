package integration

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/store"
)

// decisionMessage waits until user has the leave.decided message of the process, and answers it.
func decisionMessage(t *testing.T, s *stack, user, process string) store.NotificationView {
	t.Helper()
	var found store.NotificationView
	eventually(t, 10*time.Second, user+" to be told of the decision", func() bool {
		inbox := get[[]store.NotificationView](s.as(user), "/api/v1/notifications")
		i := slices.IndexFunc(inbox, func(n store.NotificationView) bool { return n.ProcessID == process && n.Purpose == "leave.decided" })
		if i >= 0 {
			found = inbox[i]
		}
		return i >= 0
	})
	return found
}

// The principal denies with reasons (förvaltningslagen 32 §): the decision form asks for them,
// the API takes them with the decision, and both guardians read them on the application, on the
// leave page and in the decision's message. They stay out of the process's history. Reasons
// longer than a task's text may be are refused, naming the field, and the task stays open.
func TestLeaveDeniedWithReasons(t *testing.T) {
	s := newStack(t)
	pupil := s.id("elev-1") // Maja in 7A: guardians vh-1 and vh-2, mentor larare-a1, school A
	from, to := leaveDays(6)
	app := applyForLeave(s, "vh-1", pupil, from, to, "Bröllop i familjen")
	completeTask(t, s, "vh-2", taskFor(t, s, "vh-2", "leave.consent", pupil), map[string]any{"consent": "agree"})
	completeTask(t, s, "larare-a1", taskFor(t, s, "larare-a1", "leave.opinion", pupil), map[string]any{"opinion": "advises-against"})
	decide := taskFor(t, s, "rektor-a", "leave.decide", pupil)

	// The principal's form: the reasons, labelled, before the decision's buttons.
	status, html := s.browse(t, "rektor-a").get("/tasks")
	card := html[strings.Index(html, `id="task-`+decide.ID+`"`):]
	label, textarea, button := strings.Index(card, "Skäl för beslutet"), strings.Index(card, `<textarea id="`+decide.ID+`-reason" name="reason"`),
		strings.Index(card, `name="decision" value="denied"`)
	if status != http.StatusOK || label < 0 || textarea < label || button < textarea {
		t.Fatalf("/tasks: %d; want the decision's form with a labelled textarea for the reasons before the buttons:\n%s", status, card)
	}

	complete := "/api/v1/tasks/" + decide.ID + "/complete"
	var p api.Problem
	tooLong := strings.Repeat("x", 1001)
	if r := s.as("rektor-a").do("POST", complete, api.TaskCompletionRequest{Payload: map[string]any{"decision": "denied", "reason": tooLong}}, &p); r.StatusCode != http.StatusUnprocessableEntity ||
		len(p.Errors) != 1 || p.Errors[0].Field != "payload/reason" {
		t.Fatalf("reasons of 1,001 characters: %d %+v, want 422 naming payload/reason", r.StatusCode, p)
	}
	// A denial without reasons, or with only spaces, is refused naming them, by the API and on
	// the page; the page shows the form again with the summary and what was typed. The task
	// stays open.
	for _, given := range []map[string]any{{"decision": "denied"}, {"decision": "denied", "reason": " \n "}} {
		var p api.Problem
		if r := s.as("rektor-a").do("POST", complete, api.TaskCompletionRequest{Payload: given}, &p); r.StatusCode != http.StatusUnprocessableEntity ||
			len(p.Errors) != 1 || p.Errors[0].Field != "payload/reason" {
			t.Fatalf("a denial with %v: %d %+v, want 422 naming payload/reason", given, r.StatusCode, p)
		}
	}
	principal := s.browse(t, "rektor-a")
	principal.get("/tasks")
	res, html := principal.post("/tasks/"+decide.ID, url.Values{"reason": {tooLong}, "decision": {"denied"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `<a href="#`+decide.ID+`-reason">Skriv skälen för beslutet`) ||
		!strings.Contains(html, `aria-invalid="true" aria-describedby="`+decide.ID+`-reason-error">`+tooLong+`</textarea>`) {
		t.Fatalf("reasons too long on the page: %d; want 422 with the summary, the field marked and what was typed:\n%s", res.StatusCode, html)
	}
	if open := taskFor(t, s, "rektor-a", "leave.decide", pupil); open.ID != decide.ID || open.State != "open" {
		t.Fatalf("after the refused answers the decision task is %+v, want it open", open)
	}
	reasons := "Ledigheten infaller under veckan med nationella prov i matematik och svenska. Proven kan inte göras en annan dag."
	completeTask(t, s, "rektor-a", decide, map[string]any{"decision": "denied", "reason": "\n  " + reasons + "  "})

	for _, g := range []string{"vh-1", "vh-2"} {
		got := applicationOf(t, s, g, pupil, app.ID, "denied")
		if got.DecisionReason == nil || *got.DecisionReason != reasons {
			t.Fatalf("%s sees decisionReason %v, want %q", g, got.DecisionReason, reasons)
		}
		if m := decisionMessage(t, s, g, app.ProcessID); !strings.Contains(m.Body, ": "+reasons+"\n") {
			t.Errorf("%s's message reads %q, want the reasons in it", g, m.Body)
		}
	}
	staff := applicationOf(t, s, "larare-a1", pupil, app.ID, "denied")
	if staff.DecisionReason == nil || *staff.DecisionReason != reasons {
		t.Errorf("the mentor sees decisionReason %v, want the reasons", staff.DecisionReason)
	}

	status, html = s.browse(t, "vh-1").get("/children/" + pupil + "/leave")
	decision, shown := strings.Index(html, "ledigheten är inte beviljad"), strings.Index(html, "Skäl för beslutet: "+template.HTMLEscapeString(reasons))
	if status != http.StatusOK || decision < 0 || shown < decision {
		t.Fatalf("the guardian's leave page: %d; want the reasons under the decision:\n%s", status, html)
	}

	// The reasons are free text: the history of the process, which more people may read, keeps
	// the decision and not them.
	closed(t, s, app.ProcessID, time.Minute, nil)
	var history json.RawMessage
	if r := s.as("vh-2").do("GET", "/api/v1/processes/"+app.ProcessID, nil, &history); r.StatusCode != http.StatusOK || strings.Contains(string(history), "nationella prov") {
		t.Fatalf("the process's history: %d %s; want it without the reasons", r.StatusCode, history)
	}
	if n := s.count(`SELECT count(*) FROM process_events WHERE process_id = $1 AND detail::text ILIKE '%nationella prov%'`, app.ProcessID); n != 0 {
		t.Errorf("%d events of the process's history carry the reasons", n)
	}
	recordHistory(t, s, app.ProcessID, "", "leave/testdata/leave_denied_with_reasons.json")
}

// A guardian with protected identity applies and the principal, on the decision form of the
// /tasks page, denies with reasons: the applicant reads them, the other guardian, who may not
// read the applicant's reason, reads neither the decider's on the application, on the leave
// page nor in their message. Staff read them.
func TestLeaveReasonsOnAProtectedApplicantsLeaveAreForThemAlone(t *testing.T) {
	s := newStack(t)
	pupil := s.id("elev-5") // Quentin at school B: guardians vh-4, and vh-5 with protected identity; mentor larare-b1
	from, to := leaveDays(7)
	app := applyForLeave(s, "vh-5", pupil, from, to, "Besök hos släkt i Luleå")
	completeTask(t, s, "vh-4", taskFor(t, s, "vh-4", "leave.consent", pupil), map[string]any{"consent": "agree"})
	completeTask(t, s, "larare-b1", taskFor(t, s, "larare-b1", "leave.opinion", pupil), map[string]any{"opinion": "supports"})
	decide := taskFor(t, s, "rektor-b", "leave.decide", pupil)

	reasons := "Resan till Luleå kan göras under jullovet."
	principal := s.browse(t, "rektor-b")
	principal.get("/tasks")
	res, _ := principal.post("/tasks/"+decide.ID, url.Values{"reason": {reasons}, "decision": {"denied"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("deciding on the /tasks page: %d, want 303", res.StatusCode)
	}

	for _, who := range []string{"vh-5", "rektor-b"} {
		if got := applicationOf(t, s, who, pupil, app.ID, "denied"); got.DecisionReason == nil || *got.DecisionReason != reasons {
			t.Fatalf("%s sees decisionReason %v, want %q", who, got.DecisionReason, reasons)
		}
	}
	if got := applicationOf(t, s, "vh-4", pupil, app.ID, "denied"); got.DecisionReason != nil || got.Reason != nil {
		t.Fatalf("the other guardian sees the reasons %v and the reason %v", got.DecisionReason, got.Reason)
	}
	if m := decisionMessage(t, s, "vh-5", app.ProcessID); !strings.Contains(m.Body, reasons) {
		t.Errorf("the applicant's message reads %q, want the reasons in it", m.Body)
	}
	if m := decisionMessage(t, s, "vh-4", app.ProcessID); strings.Contains(m.Body, "Luleå") || strings.Contains(m.Body, "Skäl för beslutet") || strings.Contains(m.Body, "Reasons for the decision") {
		t.Errorf("the other guardian's message reads %q, with the reasons", m.Body)
	}
	status, html := s.browse(t, "vh-4").get("/children/" + pupil + "/leave")
	if status != http.StatusOK || !strings.Contains(html, "ledigheten är inte beviljad") || strings.Contains(html, "Luleå") {
		t.Fatalf("the other guardian's leave page: %d; want the decision without the reasons:\n%s", status, html)
	}
}
