package incidents_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/incidents"
	"github.com/skolflow/skolflow/workflows"
	"github.com/skolflow/skolflow/workflows/workflowtest"
)

// incidentLog stands in for the activities of an incident and records what it was asked.
type incidentLog struct {
	env       *testsuite.TestWorkflowEnvironment
	mu        sync.Mutex
	opened    []workflows.Task
	escalated []string // kind@role of each escalation
	steps     map[string]incidents.StepRecord
	told      []string // guardian:pupil
}

const (
	hour = time.Hour
	day  = 24 * time.Hour
)

func input() incidents.Input {
	return incidents.Input{IncidentID: "incident-1", SchoolID: "school-a", AcknowledgeDue: 6 * hour, ReportDue: 2 * day,
		InvestigateDue: 14 * day, MeasuresDue: 7 * day, FollowUpAfter: 30 * day, DeliveryDeadline: hour}
}

func newIncidentEnv(t *testing.T) *incidentLog {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: incidents.ID("incident-1")})
	l := &incidentLog{env: env, steps: map[string]incidents.StepRecord{}}
	parties := incidents.Parties{Organiser: "organiser", Told: []incidents.GuardianOf{
		{Guardian: "guardian-a", Pupil: "pupil-a"}, {Guardian: "guardian-b", Pupil: "pupil-b"}}}
	defaults := workflowtest.Kernel()
	defaults[incidents.PartiesActivity.Name()] = func(context.Context, string) (incidents.Parties, error) { return parties, nil }
	defaults[incidents.RecordStepActivity.Name()] = func(context.Context, incidents.StepRecord) error { return nil }
	workflowtest.Register(t, env, defaults, workflowtest.Stubs{
		incidents.RecordStepActivity.Name(): func(_ context.Context, r incidents.StepRecord) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.steps[r.Step] = r
			return nil
		},
		workflows.CreateTaskActivity.Name(): func(_ context.Context, task workflows.Task) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.opened = append(l.opened, task)
			return nil
		},
		workflows.ReassignTaskActivity.Name(): func(_ context.Context, ev workflows.TaskEvent) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.escalated = append(l.escalated, ev.Task.Spec.Kind+"@"+ev.Task.Assignee.Role)
			return nil
		},
		workflows.NotifyActivity.Name(): func(_ context.Context, r workflows.NotifyRequest) (workflows.Notification, error) {
			l.mu.Lock()
			defer l.mu.Unlock()
			if r.Purpose == "incident.reported" {
				l.told = append(l.told, r.Recipient+":"+r.Params["pupil"])
			}
			return workflows.Notification{ID: r.Recipient + r.Occasion}, nil
		},
	})
	return l
}

// answer completes, after the given time, the open task of the step, as by.
func (l *incidentLog) answer(t *testing.T, after time.Duration, step, by string, payload map[string]any) {
	l.env.RegisterDelayedCallback(func() {
		i := slices.IndexFunc(l.opened, func(task workflows.Task) bool { return task.Spec.Step == step })
		if i < 0 {
			t.Errorf("at %v there is no %s task; opened %d", after, step, len(l.opened))
			return
		}
		l.env.UpdateWorkflow(workflows.UpdateCompleteTask, step, &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { t.Errorf("%s rejected: %v", step, err) }, OnComplete: func(any, error) {}},
			workflows.TaskCompletion{TaskID: l.opened[i].ID, By: by, Payload: payload})
	}, after)
}

// payloads are a valid completion of each step.
var payloads = map[string]map[string]any{
	incidents.StepAcknowledge: {},
	incidents.StepReport:      {"organiserReport": "Anmält till huvudmannen."},
	incidents.StepInvestigate: {"findings": "Bekräftat.", "degrading": "yes"},
	incidents.StepMeasures:    {"measures": "Samtal."},
	incidents.StepFollowUp:    {"evaluation": "Inga nya händelser."},
}

// Each step done in time: no step goes to the officers, each step's deadline is its due from
// the time it opened, and each is on record as done in time. The families are told, each of
// their own child.
func TestEveryStepInTime(t *testing.T) {
	l := newIncidentEnv(t)
	in := input()
	// Each step is done an hour after it opens; the follow-up opens 30 days after the measures.
	at := hour
	for _, step := range []string{incidents.StepAcknowledge, incidents.StepReport, incidents.StepInvestigate, incidents.StepMeasures} {
		l.answer(t, at, step, "principal", payloads[step])
		at += hour
	}
	l.answer(t, at+in.FollowUpAfter, incidents.StepFollowUp, "principal", payloads[incidents.StepFollowUp])
	l.env.ExecuteWorkflow(incidents.Incident, in)
	if err := l.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if len(l.escalated) != 0 {
		t.Fatalf("escalated %v, want none", l.escalated)
	}
	dues := map[string]time.Duration{incidents.StepAcknowledge: in.AcknowledgeDue, incidents.StepReport: in.ReportDue,
		incidents.StepInvestigate: in.InvestigateDue, incidents.StepMeasures: in.MeasuresDue, incidents.StepFollowUp: in.FollowUpAfter}
	for step, due := range dues {
		r, ok := l.steps[step]
		if !ok || r.DueAt.Sub(r.OpenedAt) != due || r.DoneAt.IsZero() || r.DoneAt.After(r.DueAt) || r.DoneBy != "principal" {
			t.Errorf("step %s on record as %+v, want due %v after opening and done in time", step, r, due)
		}
	}
	slices.Sort(l.told) // told side by side
	if !slices.Equal(l.told, []string{"guardian-a:pupil-a", "guardian-b:pupil-b"}) {
		t.Errorf("told %v", l.told)
	}
}

// Each step left past its deadline goes to the organiser's officers, and is on record as done
// after its deadline.
func TestEveryStepEscalatesWhenLate(t *testing.T) {
	l := newIncidentEnv(t)
	in := input()
	late := []struct {
		step string
		due  time.Duration
	}{
		{incidents.StepAcknowledge, in.AcknowledgeDue}, {incidents.StepReport, in.ReportDue},
		{incidents.StepInvestigate, in.InvestigateDue}, {incidents.StepMeasures, in.MeasuresDue},
	}
	at := time.Duration(0)
	for _, s := range late {
		at += s.due + hour // an hour after the deadline, with the officers
		l.answer(t, at, s.step, "officer", payloads[s.step])
	}
	at += in.FollowUpAfter + in.FollowUpAfter + hour
	l.answer(t, at, incidents.StepFollowUp, "officer", payloads[incidents.StepFollowUp])
	l.env.ExecuteWorkflow(incidents.Incident, in)
	if err := l.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	want := []string{"incident.acknowledge@Övrig arbetsledning", "incident.report@Övrig arbetsledning", "incident.investigate@Övrig arbetsledning",
		"incident.measures@Övrig arbetsledning", "incident.follow-up@Övrig arbetsledning"}
	if !slices.Equal(l.escalated, want) {
		t.Fatalf("escalated %v, want %v", l.escalated, want)
	}
	for step, r := range l.steps {
		if !r.DoneAt.After(r.DueAt) || r.DoneBy != "officer" {
			t.Errorf("step %s on record as %+v, want done after its deadline", step, r)
		}
	}
	var out incidents.Outcome
	if err := l.env.GetWorkflowResult(&out); err != nil || len(out.DoneBy) != 5 {
		t.Fatalf("outcome %+v, %v", out, err)
	}
}
