package leave_test

import (
	"context"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/leave"
	"github.com/skolflow/skolflow/workflows"
	"github.com/skolflow/skolflow/workflows/workflowtest"
)

// leaveLog stands in for the activities of a leave application and records what it asked.
type leaveLog struct {
	env       *testsuite.TestWorkflowEnvironment
	mu        sync.Mutex
	opened    []workflows.Task
	cancelled []string // kinds of cancelled tasks
	statuses  []string
	recorded  []leave.StatusRecord
	told      []string          // purpose:outcome to recipient
	reasons   map[string]string // the reasons each recipient's message was given, by recipient
}

func newLeaveEnv(t *testing.T, parties leave.Parties) (*testsuite.TestWorkflowEnvironment, *leaveLog) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: leave.ID("application-1")})
	l := &leaveLog{env: env, reasons: map[string]string{}}
	// The test environment runs activities side by side: the stand-ins record under a lock.
	defaults := workflowtest.Kernel()
	defaults[leave.PartiesActivity.Name()] = func(context.Context, leave.PartiesQuery) (leave.Parties, error) { return parties, nil }
	defaults[leave.RecordStatusActivity.Name()] = func(context.Context, leave.StatusRecord) error { return nil }
	workflowtest.Register(t, env, defaults, workflowtest.Stubs{
		leave.RecordStatusActivity.Name(): func(_ context.Context, s leave.StatusRecord) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.statuses = append(l.statuses, s.Status)
			l.recorded = append(l.recorded, s)
			return nil
		},
		workflows.CreateTaskActivity.Name(): func(_ context.Context, task workflows.Task) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.opened = append(l.opened, task)
			return nil
		},
		workflows.CancelTaskActivity.Name(): func(_ context.Context, ev workflows.TaskEvent) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.cancelled = append(l.cancelled, ev.Task.Spec.Kind)
			return nil
		},
		workflows.NotifyActivity.Name(): func(_ context.Context, r workflows.NotifyRequest) (workflows.Notification, error) {
			l.mu.Lock()
			defer l.mu.Unlock()
			if strings.HasPrefix(r.Purpose, "leave.") {
				l.told = append(l.told, r.Purpose+":"+r.Params["outcome"]+" to "+r.Recipient)
				if reason, given := r.Params["reason"]; given {
					l.reasons[r.Recipient] = reason
				}
			}
			return workflows.Notification{ID: r.Recipient + r.Occasion}, nil
		},
	})
	return env, l
}

// answer completes, at the given time, the open task of kind assigned to by (or to a role).
func (l *leaveLog) answer(t *testing.T, after time.Duration, kind, by string, payload map[string]any) {
	l.env.RegisterDelayedCallback(func() {
		i := slices.IndexFunc(l.opened, func(task workflows.Task) bool {
			return task.Spec.Kind == kind && (task.Assignee.PersonID == by || task.Assignee.PersonID == "")
		})
		if i < 0 {
			t.Errorf("at %v there is no %s task for %s; opened %+v", after, kind, by, l.opened)
			return
		}
		l.env.UpdateWorkflow(workflows.UpdateCompleteTask, kind+by, &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { t.Errorf("%s by %s rejected: %v", kind, by, err) }, OnComplete: func(any, error) {}},
			workflows.TaskCompletion{TaskID: l.opened[i].ID, By: by, Payload: payload})
	}, after)
}

// refused has by send payload for the open kind task after the given time, and the process
// refuse it as not fitting the step.
func (l *leaveLog) refused(t *testing.T, after time.Duration, kind, by string, payload map[string]any) {
	l.env.RegisterDelayedCallback(func() {
		i := slices.IndexFunc(l.opened, func(task workflows.Task) bool { return task.Spec.Kind == kind })
		if i < 0 {
			t.Errorf("at %v there is no %s task; opened %+v", after, kind, l.opened)
			return
		}
		l.env.UpdateWorkflow(workflows.UpdateCompleteTask, kind+by+"-refused", &testsuite.TestUpdateCallback{
			OnAccept: func() { t.Errorf("%s by %s with %v accepted, want it refused", kind, by, payload) },
			OnReject: func(err error) {
				if appErr := (*temporal.ApplicationError)(nil); !errors.As(err, &appErr) || appErr.Type() != workflows.ErrTaskInvalid {
					t.Errorf("%s by %s refused with %v, want %s", kind, by, err, workflows.ErrTaskInvalid)
				}
			},
			OnComplete: func(any, error) {}},
			workflows.TaskCompletion{TaskID: l.opened[i].ID, By: by, Payload: payload})
	}, after)
}

func (l *leaveLog) kinds() []string {
	var out []string
	for _, task := range l.opened {
		out = append(out, task.Spec.Kind+"@"+task.Assignee.PersonID+task.Assignee.Role)
	}
	return out
}

func leaveInput(days int) leave.Input {
	return leave.Input{ApplicationID: "application-1", PupilID: "pupil-1", AppliedBy: "guardian-1", SchoolID: "school-a",
		FirstDay: "2026-12-07", LastDay: "2026-12-11", SchoolDays: days, AnswerDue: 72 * time.Hour, StepDue: 120 * time.Hour}
}

var twoGuardians = leave.Parties{Guardians: []string{"guardian-1", "guardian-2"}, Mentors: []string{"mentor"}}

func runLeave(t *testing.T, env *testsuite.TestWorkflowEnvironment, in leave.Input) leave.Outcome {
	t.Helper()
	env.ExecuteWorkflow(leave.Leave, in)
	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("the application did not end cleanly: %v", env.GetWorkflowError())
	}
	var out leave.Outcome
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// The other guardian agrees, the mentor gives an opinion, the principal grants: the decision is
// recorded and both guardians are told. The applicant is not asked to agree to their own
// application.
func TestLeaveBothGuardiansAgreeMentorAdvisesPrincipalDecides(t *testing.T) {
	env, l := newLeaveEnv(t, twoGuardians)
	l.answer(t, time.Hour, "leave.consent", "guardian-2", map[string]any{"consent": "agree"})
	l.answer(t, 2*time.Hour, "leave.opinion", "mentor", map[string]any{"opinion": "supports"})
	l.answer(t, 3*time.Hour, "leave.decide", "principal-1", map[string]any{"decision": "granted"})
	out := runLeave(t, env, leaveInput(5))

	if want := []string{"leave.consent@guardian-2", "leave.opinion@mentor", "leave.decide@Rektor"}; !slices.Equal(l.kinds(), want) {
		t.Fatalf("tasks %v, want %v", l.kinds(), want)
	}
	if out.Status != leave.Granted || out.Opinion != "supports" || out.DecidedBy != "principal-1" {
		t.Fatalf("outcome %+v, want granted by principal-1 with the mentor's support", out)
	}
	if want := []string{"awaiting-decision", "granted"}; !slices.Equal(l.statuses, want) {
		t.Fatalf("recorded %v, want %v", l.statuses, want)
	}
	slices.Sort(l.told)
	if want := []string{"leave.decided:granted to guardian-1", "leave.decided:granted to guardian-2"}; !slices.Equal(l.told, want) {
		t.Fatalf("told %v, want %v", l.told, want)
	}
}

// A refusal by one guardian ends the application at once: no opinion, no decision, and every
// guardian is told. No answer by the deadline ends it as expired, and the open task is withdrawn.
func TestLeaveEndsOnARefusalOrNoAnswer(t *testing.T) {
	for _, c := range []struct {
		name   string
		answer string // guardian-2's answer; "" for none
		want   string
	}{
		{"refused", "refuse", leave.RefusedByGuardian},
		{"no answer", "", leave.Expired},
	} {
		t.Run(c.name, func(t *testing.T) {
			parties := twoGuardians
			parties.Guardians = []string{"guardian-1", "guardian-2", "guardian-3"}
			env, l := newLeaveEnv(t, parties)
			l.answer(t, time.Hour, "leave.consent", "guardian-3", map[string]any{"consent": "agree"})
			if c.answer != "" {
				l.answer(t, 2*time.Hour, "leave.consent", "guardian-2", map[string]any{"consent": c.answer})
			}
			start := env.Now()
			out := runLeave(t, env, leaveInput(5))
			if out.Status != c.want || !slices.Equal(l.statuses, []string{c.want}) {
				t.Fatalf("outcome %+v, recorded %v; want %s", out, l.statuses, c.want)
			}
			if want := []string{"leave.consent@guardian-2", "leave.consent@guardian-3"}; !slices.Equal(l.kinds(), want) {
				t.Fatalf("tasks %v, want only the guardians' consent", l.kinds())
			}
			if c.answer == "" {
				if took := env.Now().Sub(start); took < 72*time.Hour {
					t.Errorf("expired after %v, before the guardians' deadline", took)
				}
				if !slices.Equal(l.cancelled, []string{"leave.consent"}) {
					t.Errorf("cancelled %v, want the unanswered consent task", l.cancelled)
				}
			}
			slices.Sort(l.told)
			want := []string{"leave.ended:" + c.want + " to guardian-1", "leave.ended:" + c.want + " to guardian-2", "leave.ended:" + c.want + " to guardian-3"}
			if !slices.Equal(l.told, want) {
				t.Fatalf("told %v, want %v", l.told, want)
			}
		})
	}
}

// Who decides: the mentor when the principal has delegated leave of that length, without a
// separate opinion; the principal for longer leave; and always the principal beyond ten school
// days, whatever the delegation says.
func TestLeaveDeciderFollowsTheDelegation(t *testing.T) {
	for _, c := range []struct {
		name      string
		delegated int
		days      int
		want      []string
		adjoining int
	}{
		{"within the delegation", 5, 3, []string{"leave.decide@mentor"}, 0},
		{"beyond the delegation", 5, 6, []string{"leave.opinion@mentor", "leave.decide@Rektor"}, 0},
		{"more than ten days", 30, 11, []string{"leave.opinion@mentor", "leave.decide@Rektor"}, 0},
		{"no delegation", 0, 1, []string{"leave.opinion@mentor", "leave.decide@Rektor"}, 0},
		{"no delegation, no school days", 0, 0, []string{"leave.opinion@mentor", "leave.decide@Rektor"}, 0},
		{"with adjoining leave beyond the delegation", 5, 3, []string{"leave.opinion@mentor", "leave.decide@Rektor"}, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			parties := leave.Parties{Guardians: []string{"guardian-1"}, Mentors: []string{"mentor"}, MentorMaxDays: c.delegated,
				AdjoiningDays: c.adjoining}
			env, l := newLeaveEnv(t, parties)
			if len(c.want) > 1 {
				l.answer(t, time.Hour, "leave.opinion", "mentor", map[string]any{"opinion": "advises-against"})
			}
			l.answer(t, 2*time.Hour, "leave.decide", "mentor", map[string]any{"decision": "denied", "reason": "Prov den veckan."})
			out := runLeave(t, env, leaveInput(c.days))
			if !slices.Equal(l.kinds(), c.want) {
				t.Fatalf("tasks %v, want %v", l.kinds(), c.want)
			}
			if out.Status != leave.Denied {
				t.Fatalf("outcome %+v, want denied", out)
			}
		})
	}
}

// A mentor who gives no opinion in time does not hold up the decision.
func TestLeaveDecidesWithoutAnOpinionNotGivenInTime(t *testing.T) {
	env, l := newLeaveEnv(t, leave.Parties{Guardians: []string{"guardian-1"}, Mentors: []string{"mentor"}})
	l.answer(t, 121*time.Hour, "leave.decide", "principal-1", map[string]any{"decision": "granted"})
	out := runLeave(t, env, leaveInput(5))
	if out.Status != leave.Granted || out.Opinion != "" || !slices.Equal(l.cancelled, []string{"leave.opinion"}) {
		t.Fatalf("outcome %+v, cancelled %v; want granted without an opinion, the opinion task withdrawn", out, l.cancelled)
	}
}

// The decider's reasons go with the decision: the task asks for them before the decision's
// choice, and a denial's reasons, trimmed, reach the outcome, the record and every guardian's
// message. A decision without reasons records none and tells none.
func TestLeaveDenialCarriesTheDecidersReasons(t *testing.T) {
	env, l := newLeaveEnv(t, twoGuardians)
	l.answer(t, time.Hour, "leave.consent", "guardian-2", map[string]any{"consent": "agree"})
	l.answer(t, 2*time.Hour, "leave.opinion", "mentor", map[string]any{"opinion": "advises-against"})
	reasons := "Nationella prov i matematik den veckan."
	// A denial without its reasons, or with only spaces, is refused and leaves the task open.
	l.refused(t, 150*time.Minute, "leave.decide", "principal-1", map[string]any{"decision": "denied"})
	l.refused(t, 160*time.Minute, "leave.decide", "principal-1", map[string]any{"decision": "denied", "reason": " \n "})
	l.answer(t, 3*time.Hour, "leave.decide", "principal-1", map[string]any{"decision": "denied", "reason": "  " + reasons + "\n"})
	out := runLeave(t, env, leaveInput(5))

	decide := l.opened[len(l.opened)-1]
	wantReason := workflows.Field{Name: "reason", Type: "text", RequiredWhen: &workflows.FieldValue{Field: "decision", Value: leave.Denied}}
	if got := decide.Spec.Expects; len(got) != 2 || !reflect.DeepEqual(got[0], wantReason) || got[1].Name != "decision" {
		t.Fatalf("the decision task expects %+v, want the reasons (text, required for a denial) before the decision", got)
	}
	if out.Status != leave.Denied || out.Reason != reasons || out.DecidedBy != "principal-1" {
		t.Fatalf("outcome %+v, want denied by principal-1 with the reasons %q", out, reasons)
	}
	if last := l.recorded[len(l.recorded)-1]; last.Status != leave.Denied || last.Reason != reasons {
		t.Fatalf("recorded %+v, want the denial with its reasons", last)
	}
	if want := map[string]string{"guardian-1": reasons, "guardian-2": reasons}; !maps.Equal(l.reasons, want) {
		t.Fatalf("the messages carry reasons %v, want %v", l.reasons, want)
	}

	env, l = newLeaveEnv(t, twoGuardians)
	l.answer(t, time.Hour, "leave.consent", "guardian-2", map[string]any{"consent": "agree"})
	l.answer(t, 2*time.Hour, "leave.opinion", "mentor", map[string]any{"opinion": "supports"})
	l.answer(t, 3*time.Hour, "leave.decide", "principal-1", map[string]any{"decision": "granted", "reason": " "})
	if out := runLeave(t, env, leaveInput(5)); out.Status != leave.Granted || out.Reason != "" || l.recorded[len(l.recorded)-1].Reason != "" || len(l.reasons) != 0 {
		t.Fatalf("outcome %+v, messages' reasons %v; want granted with no reasons", out, l.reasons)
	}
}

// When the applicant has a protection marking, the other guardians see neither their reason
// nor the decider's, which may speak of it: only the applicant's message carries the reasons.
func TestLeaveReasonsOfADecisionOnAProtectedApplicantsLeaveGoToThemAlone(t *testing.T) {
	parties := twoGuardians
	parties.ApplicantProtected = true
	env, l := newLeaveEnv(t, parties)
	l.answer(t, time.Hour, "leave.consent", "guardian-2", map[string]any{"consent": "agree"})
	l.answer(t, 2*time.Hour, "leave.opinion", "mentor", map[string]any{"opinion": "advises-against"})
	l.answer(t, 3*time.Hour, "leave.decide", "principal-1", map[string]any{"decision": "denied", "reason": "Resan kan göras på lovet."})
	out := runLeave(t, env, leaveInput(5))
	if out.Reason == "" || l.recorded[len(l.recorded)-1].Reason != out.Reason {
		t.Fatalf("outcome %+v, recorded %+v: the reasons are recorded whoever applied", out, l.recorded)
	}
	if want := map[string]string{"guardian-1": out.Reason}; !maps.Equal(l.reasons, want) {
		t.Fatalf("the messages carry reasons %v, want them to the applicant alone", l.reasons)
	}
	if len(l.told) != 2 {
		t.Fatalf("told %v, want both guardians told of the decision", l.told)
	}
}
