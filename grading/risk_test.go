package grading_test

import (
	"context"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/grading"
	"github.com/skolflow/skolflow/support"
	"github.com/skolflow/skolflow/workflows"
	"github.com/skolflow/skolflow/workflows/workflowtest"
)

// processLog stands in for the activities of the risk and correction processes and records what
// they asked. The test environment runs activities side by side: the stand-ins record under a
// lock.
type processLog struct {
	env           *testsuite.TestWorkflowEnvironment
	mu            sync.Mutex
	start         time.Time
	processes     []workflows.Process
	opened        []workflows.Task
	cancelled     []string // assignees of cancelled tasks
	handedTo      []string // kind@role/org of escalations
	told          []string // purpose to recipient
	toldParams    []map[string]string
	recorded      []grading.CorrectionRecord
	recordedAt    []time.Duration   // after the start
	cases         []support.NewCase // support cases recorded
	supportStarts []support.Input   // the support cases' processes started
}

func newProcessEnv(t *testing.T, id string, own workflowtest.Stubs) (*testsuite.TestWorkflowEnvironment, *processLog) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: id})
	l := &processLog{env: env, start: env.Now()}
	defaults := workflowtest.Kernel()
	defaults[grading.RiskPartiesActivity.Name()] = func(context.Context, grading.RiskQuery) (grading.RiskParties, error) {
		return grading.RiskParties{Guardians: []string{"guardian-1", "guardian-2"}, Organiser: "organiser", Subject: "Matematik"}, nil
	}
	defaults[grading.CorrectionGuardiansActivity.Name()] = func(context.Context, string) ([]string, error) {
		return []string{"guardian-1", "guardian-2"}, nil
	}
	defaults[grading.RecordCorrectionActivity.Name()] = func(context.Context, grading.CorrectionRecord) error { return nil }
	defaults[support.SignalActivity.Name()] = func(_ context.Context, n support.NewCase) error {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.cases = append(l.cases, n)
		return nil
	}
	// The support case's process stands in for itself: it records how it was started.
	env.RegisterWorkflowWithOptions(func(_ workflow.Context, in support.Input) (support.Outcome, error) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.supportStarts = append(l.supportStarts, in)
		return support.Outcome{}, nil
	}, workflow.RegisterOptions{Name: "Support"})
	stubs := workflowtest.Stubs{
		workflows.RegisterProcessActivity.Name(): func(_ context.Context, p workflows.Process) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.processes = append(l.processes, p)
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
			l.cancelled = append(l.cancelled, ev.Task.Assignee.PersonID)
			return nil
		},
		workflows.ReassignTaskActivity.Name(): func(_ context.Context, ev workflows.TaskEvent) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.handedTo = append(l.handedTo, ev.Task.Spec.Kind+"@"+ev.Task.Assignee.Role+"/"+ev.Task.Assignee.OrgID)
			return nil
		},
		workflows.NotifyActivity.Name(): func(_ context.Context, r workflows.NotifyRequest) (workflows.Notification, error) {
			l.mu.Lock()
			defer l.mu.Unlock()
			if r.Purpose != "task.assigned" && r.Purpose != "task.reminder" {
				l.told = append(l.told, r.Purpose+" to "+r.Recipient)
				l.toldParams = append(l.toldParams, r.Params)
			}
			return workflows.Notification{ID: r.Recipient + r.Occasion}, nil
		},
		grading.RecordCorrectionActivity.Name(): func(_ context.Context, r grading.CorrectionRecord) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.recorded = append(l.recorded, r)
			l.recordedAt = append(l.recordedAt, r.At.Sub(l.start))
			return nil
		},
	}
	for name, fn := range own {
		stubs[name] = fn
	}
	workflowtest.Register(t, env, defaults, stubs)
	return env, l
}

// answer completes, at the given time, the open task of kind assigned to by, or to a role.
func (l *processLog) answer(t *testing.T, after time.Duration, kind, by string, payload map[string]any, wantRefused string) {
	l.env.RegisterDelayedCallback(func() {
		l.mu.Lock()
		i := slices.IndexFunc(l.opened, func(task workflows.Task) bool {
			return task.Spec.Kind == kind && (task.Assignee.PersonID == by || task.Assignee.PersonID == "")
		})
		l.mu.Unlock()
		if i < 0 {
			t.Errorf("at %v there is no %s task for %s; opened %+v", after, kind, by, l.opened)
			return
		}
		l.env.UpdateWorkflow(workflows.UpdateCompleteTask, kind+by+after.String(), &testsuite.TestUpdateCallback{
			OnAccept: func() {
				if wantRefused != "" {
					t.Errorf("%s by %s with %v accepted, want it refused", kind, by, payload)
				}
			},
			OnReject: func(err error) {
				if got := workflowtest.ErrType(err); got != wantRefused {
					t.Errorf("%s by %s refused with %v, want %q", kind, by, err, wantRefused)
				}
			},
			OnComplete: func(any, error) {}},
			workflows.TaskCompletion{TaskID: l.opened[i].ID, By: by, Payload: payload})
	}, after)
}

func (l *processLog) toldSorted() []string {
	out := slices.Clone(l.told)
	sort.Strings(out)
	return out
}

// A teacher's flag: each guardian is told on their own, the principal's role gets the support
// task, and the principal's answer ends the process. Nothing personal is in the process's id.
func TestARiskTellsTheGuardiansAndAsksThePrincipal(t *testing.T) {
	env, l := newProcessEnv(t, grading.RiskID("risk-1"), nil)
	due := 7 * 24 * time.Hour
	l.answer(t, time.Hour, "grading.support", "principal", map[string]any{"support": grading.SupportInvestigationStarted}, "")
	env.ExecuteWorkflow(grading.GradeRisk, grading.RiskInput{RiskID: "risk-1", PeriodID: "period-1", ActivityID: "activity-1",
		PupilID: "pupil-1", SchoolID: "school-a", FlaggedBy: "teacher-1", SupportDue: due})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var out grading.RiskOutcome
	if err := env.GetWorkflowResult(&out); err != nil || out.Support != grading.SupportInvestigationStarted || out.By != "principal" {
		t.Fatalf("outcome %+v, %v", out, err)
	}
	if want := []workflows.Process{{ID: "grade-risk:risk-1", Kind: "grading.risk", SchoolID: "school-a", SubjectPerson: "pupil-1"}}; !slices.Equal(l.processes, want) {
		t.Fatalf("registered %+v, want %+v", l.processes, want)
	}
	if want := []string{"grading.risk to guardian-1", "grading.risk to guardian-2"}; !slices.Equal(l.toldSorted(), want) {
		t.Fatalf("told %v, want %v: each guardian once, on their own", l.told, want)
	}
	for _, p := range l.toldParams {
		if p["pupil"] != "pupil-1" || p["subject"] != "Matematik" || len(p) != 2 {
			t.Errorf("a guardian's message params %v: the pupil's id and the subject, nothing else", p)
		}
	}
	if len(l.opened) != 1 {
		t.Fatalf("opened %+v, want the one support task", l.opened)
	}
	// The investigation started is a support case of its own, signalled by the flagging teacher,
	// its investigation begun by the principal who answered.
	caseID := grading.SupportCaseID("risk-1")
	if out.SupportCase != caseID || len(l.cases) != 1 || l.cases[0].ID != caseID || l.cases[0].SignalledBy != "teacher-1" ||
		len(l.supportStarts) != 1 || l.supportStarts[0].InvestigationStartedBy != "principal" || l.supportStarts[0].CaseID != caseID {
		t.Fatalf("the support case: outcome %+v, recorded %+v, started %+v", out, l.cases, l.supportStarts)
	}
	task := l.opened[0]
	if task.Spec.Kind != "grading.support" || task.Assignee != (workflows.Assignee{Role: "Rektor", OrgID: "school-a"}) ||
		task.Spec.SubjectPerson != "pupil-1" || !slices.Equal(task.Spec.HeldBy, []string{"Rektor"}) || task.Spec.Due != due {
		t.Fatalf("support task %+v", task)
	}
	if len(l.handedTo) != 0 {
		t.Fatalf("escalated %v, though the principal answered in time", l.handedTo)
	}
}

// A support task not done in time goes to the organiser's officers, with a fresh deadline; a
// "no need" answer must say why.
func TestALateSupportTaskGoesToTheOrganiser(t *testing.T) {
	env, l := newProcessEnv(t, grading.RiskID("risk-2"), nil)
	due := 48 * time.Hour
	l.answer(t, due+time.Hour, "grading.support", "officer", map[string]any{"support": grading.SupportNotNeeded}, workflows.ErrTaskInvalid)
	l.answer(t, due+2*time.Hour, "grading.support", "officer",
		map[string]any{"support": grading.SupportNotNeeded, "supportNote": "Extra anpassningar räcker."}, "")
	env.ExecuteWorkflow(grading.GradeRisk, grading.RiskInput{RiskID: "risk-2", PupilID: "pupil-1", SchoolID: "school-a", SupportDue: due})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var out grading.RiskOutcome
	if err := env.GetWorkflowResult(&out); err != nil || out.Support != grading.SupportNotNeeded || out.By != "officer" {
		t.Fatalf("outcome %+v, %v", out, err)
	}
	if want := []string{"grading.support@Övrig arbetsledning/organiser"}; !slices.Equal(l.handedTo, want) {
		t.Fatalf("escalated %v, want %v", l.handedTo, want)
	}
}
