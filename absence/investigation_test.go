package absence_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/workflows"
)

// The principal investigates, then reports to the home municipality; a step not done in time
// is escalated to the organiser's officers, and the record follows each step.
func TestInvestigationStepsEscalateToTheOrganiser(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	pattern := absence.AbsencePattern{PupilID: "pupil-1", SchoolID: "school-a", Month: "2026-11", InvalidDays: 3, AbsentPercent: 12}
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: absence.InvestigationID(pattern.PupilID, pattern.Month)})
	var opened []workflows.Task
	var handedTo, records []string
	stubActivities(t, env, stubs{
		absence.OrganiserOfActivity.Name(): func(context.Context, string) (string, error) { return "organiser", nil },
		absence.RecordInvestigationActivity.Name(): func(_ context.Context, r absence.InvestigationRecord) error {
			records = append(records, r.Status+":"+r.Conclusion)
			return nil
		},
		workflows.CreateTaskActivity.Name(): func(_ context.Context, task workflows.Task) error {
			opened = append(opened, task)
			return nil
		},
		workflows.ReassignTaskActivity.Name(): func(_ context.Context, ev workflows.TaskEvent) error {
			handedTo = append(handedTo, ev.Task.Spec.Kind+"@"+ev.Task.Assignee.Role+"/"+ev.Task.Assignee.OrgID)
			return nil
		},
	})
	complete := func(after time.Duration, step int, by string, payload map[string]any) {
		env.RegisterDelayedCallback(func() {
			if len(opened) <= step {
				t.Errorf("at %v step %d is not open", after, step)
				return
			}
			env.UpdateWorkflow(workflows.UpdateCompleteTask, by, &testsuite.TestUpdateCallback{
				OnAccept: func() {}, OnReject: func(err error) { t.Errorf("rejected: %v", err) }, OnComplete: func(any, error) {}},
				workflows.TaskCompletion{TaskID: opened[step].ID, By: by, Payload: payload})
		}, after)
	}
	due := 7 * 24 * time.Hour
	complete(24*time.Hour, 0, "principal", map[string]any{"conclusion": "measures-taken"})
	complete(due+48*time.Hour, 1, "officer", map[string]any{"report": "reported"}) // after the deadline: the organiser's
	env.ExecuteWorkflow(absence.Investigation, absence.InvestigationInput{Pattern: pattern, Due: due})

	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var conclusion string
	if err := env.GetWorkflowResult(&conclusion); err != nil || conclusion != "measures-taken" {
		t.Fatalf("conclusion %q, %v", conclusion, err)
	}
	var steps []string
	for _, task := range opened {
		steps = append(steps, task.Spec.Kind+"@"+task.Assignee.Role+"/"+task.Assignee.OrgID)
	}
	if want := []string{"absence.investigate@Rektor/school-a", "absence.report-home-municipality@Rektor/school-a"}; !slices.Equal(steps, want) {
		t.Fatalf("steps %v, want %v", steps, want)
	}
	if want := []string{"absence.report-home-municipality@" + absence.OrganiserRole + "/organiser"}; !slices.Equal(handedTo, want) {
		t.Fatalf("escalated %v, want only the late report, to the organiser", handedTo)
	}
	if want := []string{"open:", "investigated:measures-taken", "closed:measures-taken"}; !slices.Equal(records, want) {
		t.Fatalf("records %v, want %v", records, want)
	}
}
