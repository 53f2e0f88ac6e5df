package grading_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/grading"
	"github.com/skolflow/skolflow/workflows"
	"github.com/skolflow/skolflow/workflows/workflowtest"
)

// periodLog stands in for the grading period's activities and records what it asked of them.
type periodLog struct {
	env       *testsuite.TestWorkflowEnvironment
	mu        sync.Mutex
	opened    []workflows.Task
	escalated []string // kinds escalated
	finalized []grading.Finalize
	signed    []string // groups
	published []time.Time
	told      []string            // purpose to recipient
	tell      []grading.Recipient // whom the publication tells; nil: a pupil and a guardian
}

// Entry opens an hour after the start; the teachers' deadline is a day later, the sign-off two,
// publication three.
var (
	start  = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	period = grading.PeriodInput{PeriodID: "period-1", SchoolID: "school-a", EntryOpens: start.Add(time.Hour),
		TeacherDeadline: start.Add(25 * time.Hour), SignOff: start.Add(49 * time.Hour), Publication: start.Add(73 * time.Hour),
		RemindBefore: 6 * time.Hour, StepDue: 24 * time.Hour}
)

func newPeriodEnv(t *testing.T, plan grading.Plan, certified map[string]bool) (*testsuite.TestWorkflowEnvironment, *periodLog) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: "grading:school-a:term-1"})
	env.RegisterWorkflow(grading.GradeActivity)
	env.RegisterWorkflow(grading.SignOffCatalogue)
	env.RegisterWorkflow(grading.TellPublished)
	l := &periodLog{env: env}
	defaults := workflowtest.Kernel()
	defaults[grading.PeriodStartedActivity.Name()] = func(context.Context, grading.PeriodStarted) error { return nil }
	defaults[grading.PlanActivity.Name()] = func(context.Context, string) (grading.Plan, error) { return plan, nil }
	defaults[grading.FinalizeActivity.Name()] = func(context.Context, grading.Finalize) error { return nil }
	defaults[grading.CertifiedActivity.Name()] = func(context.Context, grading.Certification) (bool, error) { return false, nil }
	defaults[grading.SignCatalogueActivity.Name()] = func(context.Context, grading.SignedCatalogue) error { return nil }
	defaults[grading.PublishActivity.Name()] = func(context.Context, grading.Publication) ([]grading.Recipient, error) { return nil, nil }
	workflowtest.Register(t, env, defaults, workflowtest.Stubs{
		workflows.CreateTaskActivity.Name(): func(_ context.Context, task workflows.Task) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.opened = append(l.opened, task)
			return nil
		},
		workflows.ReassignTaskActivity.Name(): func(_ context.Context, ev workflows.TaskEvent) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			if ev.By == "" {
				l.escalated = append(l.escalated, ev.Task.Spec.Kind+"@"+ev.Task.Assignee.Role)
			}
			return nil
		},
		grading.FinalizeActivity.Name(): func(_ context.Context, f grading.Finalize) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.finalized = append(l.finalized, f)
			return nil
		},
		grading.CertifiedActivity.Name(): func(_ context.Context, c grading.Certification) (bool, error) {
			return certified[c.Person], nil
		},
		grading.SignCatalogueActivity.Name(): func(_ context.Context, c grading.SignedCatalogue) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.signed = append(l.signed, c.GroupID)
			return nil
		},
		grading.PublishActivity.Name(): func(_ context.Context, p grading.Publication) ([]grading.Recipient, error) {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.published = append(l.published, p.At)
			if l.tell != nil {
				return l.tell, nil
			}
			return []grading.Recipient{{Person: "pupil-1", Pupil: "pupil-1"}, {Person: "guardian-1", Pupil: "pupil-1"}}, nil
		},
		workflows.NotifyActivity.Name(): func(_ context.Context, r workflows.NotifyRequest) (workflows.Notification, error) {
			l.mu.Lock()
			defer l.mu.Unlock()
			if r.Purpose != "task.assigned" && r.Purpose != "task.reminder" {
				l.told = append(l.told, r.Purpose+" to "+r.Recipient)
			}
			return workflows.Notification{ID: r.Recipient + r.Occasion}, nil
		},
	})
	return env, l
}

// answer has by complete the open task of step after the given time from the start.
func (l *periodLog) answer(t *testing.T, after time.Duration, step, by string, payload map[string]any) {
	l.env.RegisterDelayedCallback(func() {
		l.mu.Lock()
		i := slices.IndexFunc(l.opened, func(task workflows.Task) bool { return task.Spec.Step == step })
		l.mu.Unlock()
		if i < 0 {
			t.Errorf("at %v there is no task of step %s; opened %v", after, step, l.kinds())
			return
		}
		task := l.opened[i]
		// The task is its process's: the activity's or the group's, a child of the period's.
		if err := l.env.UpdateWorkflowByID(task.ProcessID, workflows.UpdateCompleteTask, step+by, &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { t.Errorf("%s by %s refused: %v", step, by, err) }, OnComplete: func(any, error) {}},
			workflows.TaskCompletion{TaskID: task.ID, By: by, Payload: payload}); err != nil {
			t.Errorf("%s by %s: %v", step, by, err)
		}
	}, after)
}

func (l *periodLog) kinds() []string {
	var out []string
	for _, task := range l.opened {
		out = append(out, task.Spec.Kind+"@"+task.Assignee.PersonID+task.Assignee.Role)
	}
	return out
}

func runPeriod(t *testing.T, env *testsuite.TestWorkflowEnvironment) grading.PeriodOutcome {
	t.Helper()
	env.ExecuteWorkflow(grading.GradingPeriod, period)
	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("the period did not end cleanly: %v", env.GetWorkflowError())
	}
	var out grading.PeriodOutcome
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

var (
	certifiedTeacher   = grading.ActivityPlan{ActivityID: "sv", Groups: []string{"7a"}, Teacher: "david", Certified: true}
	uncertifiedTeacher = grading.ActivityPlan{ActivityID: "ma", Groups: []string{"ma7"}, Teacher: "eva", CoSigner: "david"}
)

// A certified teacher's grades are final when submitted; an uncertified teacher's when a
// certified colleague agrees. The principal signs off each group's catalogue, and at the
// publication time the grades are published and the pupil and the guardian told once.
func TestAPeriodFromEntryToPublication(t *testing.T) {
	plan := grading.Plan{Activities: []grading.ActivityPlan{uncertifiedTeacher, certifiedTeacher}, Groups: []string{"ma7", "7a"}}
	env, l := newPeriodEnv(t, plan, map[string]bool{"david": true})
	l.answer(t, 2*time.Hour, grading.SetStep("sv"), "david", map[string]any{"grades": "3"})
	l.answer(t, 3*time.Hour, grading.SetStep("ma"), "eva", map[string]any{"grades": "2"})
	l.answer(t, 4*time.Hour, grading.CoSignStep("ma"), "david", map[string]any{"decision": grading.Agree})
	l.answer(t, 50*time.Hour, grading.SignOffStep("ma7"), "principal", map[string]any{"catalogue": "ma7"})
	l.answer(t, 51*time.Hour, grading.SignOffStep("7a"), "principal", map[string]any{"catalogue": "7a"})
	out := runPeriod(t, env)

	want := []string{"grading.set@eva", "grading.set@david", "grading.cosign@david", "grading.signoff@Rektor", "grading.signoff@Rektor"}
	if got := l.kinds(); !slices.Equal(got, want) && !slices.Equal(got, []string{want[1], want[0], want[2], want[3], want[4]}) {
		t.Fatalf("tasks %v, want %v", got, want)
	}
	if len(l.finalized) != 2 || l.finalized[0].ActivityID != "sv" || l.finalized[0].CoSigner != "" ||
		l.finalized[1].ActivityID != "ma" || l.finalized[1].CoSigner != "david" || l.finalized[1].DecidedBy != "teacher" || l.finalized[1].UseProposals {
		t.Fatalf("finalized %+v, want Svenska by its teacher alone, then Matematik co-signed by david", l.finalized)
	}
	if !slices.Equal(l.signed, []string{"ma7", "7a"}) {
		t.Fatalf("catalogues signed %v", l.signed)
	}
	if len(l.published) != 1 || !l.published[0].Equal(period.Publication) || !out.Published.Equal(period.Publication) || out.Activities != 2 {
		t.Fatalf("published %v, outcome %+v: want once, at the publication time", l.published, out)
	}
	slices.Sort(l.told) // told side by side
	if !slices.Equal(l.told, []string{"grading.published to guardian-1", "grading.published.self to pupil-1"}) {
		t.Fatalf("told %v, want the pupil and the guardian once each", l.told)
	}
	if len(l.escalated) != 0 {
		t.Fatalf("escalated %v, want nothing", l.escalated)
	}
}

// On disagreement the co-signer decides when certified in the subject: their proposals stand.
func TestACoSignerCertifiedInTheSubjectDecidesADisagreement(t *testing.T) {
	plan := grading.Plan{Activities: []grading.ActivityPlan{uncertifiedTeacher}, Groups: []string{"ma7"}}
	env, l := newPeriodEnv(t, plan, map[string]bool{"david": true})
	l.answer(t, 3*time.Hour, grading.SetStep("ma"), "eva", map[string]any{"grades": "2"})
	l.answer(t, 4*time.Hour, grading.CoSignStep("ma"), "david", map[string]any{"decision": grading.Disagree})
	l.answer(t, 50*time.Hour, grading.SignOffStep("ma7"), "principal", map[string]any{"catalogue": "ma7"})
	runPeriod(t, env)
	if len(l.finalized) != 1 || l.finalized[0].DecidedBy != "co-signer" || !l.finalized[0].UseProposals || l.finalized[0].CoSigner != "david" {
		t.Fatalf("finalized %+v, want the co-signer's proposals deciding", l.finalized)
	}
	if slices.Contains(l.kinds(), "grading.decide@Rektor") {
		t.Fatal("the principal was asked to decide")
	}
}

// On disagreement with a co-signer not certified in the subject, the principal decides; the
// principal may take the teacher's side, and then the teacher's grades stand.
func TestThePrincipalDecidesADisagreementOtherwise(t *testing.T) {
	for _, side := range []string{grading.CoSignerSide, grading.TeachersSide} {
		t.Run(side, func(t *testing.T) {
			plan := grading.Plan{Activities: []grading.ActivityPlan{uncertifiedTeacher}, Groups: []string{"ma7"}}
			env, l := newPeriodEnv(t, plan, map[string]bool{}) // the co-signer is certified, but not in this subject
			l.answer(t, 3*time.Hour, grading.SetStep("ma"), "eva", map[string]any{"grades": "2"})
			l.answer(t, 4*time.Hour, grading.CoSignStep("ma"), "david", map[string]any{"decision": grading.Disagree})
			l.answer(t, 5*time.Hour, "decide:ma", "principal", map[string]any{"side": side})
			l.answer(t, 50*time.Hour, grading.SignOffStep("ma7"), "principal", map[string]any{"catalogue": "ma7"})
			runPeriod(t, env)
			if !slices.Contains(l.kinds(), "grading.decide@Rektor") {
				t.Fatalf("tasks %v, want the principal's decision", l.kinds())
			}
			if len(l.finalized) != 1 || l.finalized[0].DecidedBy != "principal" || l.finalized[0].UseProposals != (side == grading.CoSignerSide) {
				t.Fatalf("finalized %+v after the principal chose %s", l.finalized, side)
			}
		})
	}
}

// A group not graded by the teachers' deadline goes to the principal; its teacher, reminded
// before, may still submit. Publication waits for the sign-off when it comes later.
func TestAMissingGroupGoesToThePrincipalAtTheDeadline(t *testing.T) {
	plan := grading.Plan{Activities: []grading.ActivityPlan{certifiedTeacher}, Groups: []string{"7a"}}
	env, l := newPeriodEnv(t, plan, map[string]bool{"david": true})
	l.answer(t, 30*time.Hour, grading.SetStep("sv"), "david", map[string]any{"grades": "3"})
	l.answer(t, 80*time.Hour, grading.SignOffStep("7a"), "principal", map[string]any{"catalogue": "7a"})
	out := runPeriod(t, env)
	if !slices.Equal(l.escalated, []string{"grading.set@Rektor"}) {
		t.Fatalf("escalated %v, want Svenska's grading to the principal at the deadline", l.escalated)
	}
	if !out.Published.Equal(start.Add(80 * time.Hour)) {
		t.Fatalf("published at %v, want at the late sign-off (%v)", out.Published, start.Add(80*time.Hour))
	}
}

// A school unit has hundreds of graded activities and hundreds of pupils and guardians to tell:
// each activity is graded in a process of its own, the telling is cut in batches, and everyone
// is told once all the same.
func TestAPeriodOfManyActivities(t *testing.T) {
	var plan grading.Plan
	for i := range 120 {
		a := grading.ActivityPlan{ActivityID: fmt.Sprintf("activity-%d", i), Groups: []string{fmt.Sprintf("group-%d", i)}, Teacher: "david", Certified: true}
		plan.Activities, plan.Groups = append(plan.Activities, a), append(plan.Groups, a.Groups[0])
	}
	env, l := newPeriodEnv(t, plan, map[string]bool{"david": true})
	for i := range 250 {
		pupil := fmt.Sprintf("pupil-%d", i)
		l.tell = append(l.tell, grading.Recipient{Person: pupil, Pupil: pupil}, grading.Recipient{Person: "guardian-" + pupil, Pupil: pupil})
	}
	for i, a := range plan.Activities {
		l.answer(t, 2*time.Hour+time.Duration(i)*time.Second, grading.SetStep(a.ActivityID), "david", map[string]any{"grades": "25"})
		l.answer(t, 50*time.Hour+time.Duration(i)*time.Second, grading.SignOffStep(a.Groups[0]), "principal", map[string]any{"catalogue": a.Groups[0]})
	}
	out := runPeriod(t, env)
	if out.Activities != 120 || len(l.finalized) != 120 || len(l.signed) != 120 {
		t.Fatalf("outcome %+v, %d finalized, %d signed: want all 120", out, len(l.finalized), len(l.signed))
	}
	told := map[string]int{}
	for _, m := range l.told {
		told[m]++
	}
	if len(l.told) != 500 || len(told) != 500 {
		t.Fatalf("%d messages to %d people, want each of the 250 pupils and 250 guardians told once", len(l.told), len(told))
	}
}
