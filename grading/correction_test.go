package grading_test

import (
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/grading"
	"github.com/skolflow/skolflow/workflows"
	"github.com/skolflow/skolflow/workflows/workflowtest"
)

// An Ändring opens no task: the new grade is recorded at once, by the grading teacher, and every
// guardian is told.
func TestAnAndringIsRecordedAndTheGuardiansTold(t *testing.T) {
	env, l := newProcessEnv(t, grading.CorrectionID("grade-1"), nil)
	env.ExecuteWorkflow(grading.GradeCorrection, grading.CorrectionInput{GradeID: "grade-1", NewGradeID: "grade-2",
		Type: grading.Andring, GradeValue: "B", RequestedBy: "teacher", PupilID: "pupil-1", SchoolID: "school-a",
		HearingWindow: 24 * time.Hour})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var out grading.CorrectionOutcome
	if err := env.GetWorkflowResult(&out); err != nil || out.NewGradeID != "grade-2" || len(out.Heard) != 0 || out.Withdrawn != 0 {
		t.Fatalf("outcome %+v, %v", out, err)
	}
	if want := []workflows.Process{{ID: "grade-correction:grade-1", Kind: "grading.change", SchoolID: "school-a", SubjectPerson: "pupil-1"}}; !slices.Equal(l.processes, want) {
		t.Fatalf("registered %+v, want %+v", l.processes, want)
	}
	if len(l.opened) != 0 {
		t.Fatalf("an Ändring opened tasks: %+v", l.opened)
	}
	if len(l.recorded) != 1 || l.recorded[0].GradeID != "grade-1" || l.recorded[0].NewGradeID != "grade-2" ||
		l.recorded[0].Type != grading.Andring || l.recorded[0].GradeValue != "B" || l.recorded[0].DecidedBy != "teacher" {
		t.Fatalf("recorded %+v", l.recorded)
	}
	if want := []string{"grading.corrected to guardian-1", "grading.corrected to guardian-2"}; !slices.Equal(l.toldSorted(), want) {
		t.Fatalf("told %v, want %v", l.told, want)
	}
	for _, p := range l.toldParams {
		if p["pupil"] != "pupil-1" || p["correction"] != grading.Andring || len(p) != 2 {
			t.Errorf("a guardian's message params %v: the pupil's id and the type of correction, not the grade", p)
		}
	}
}

// A Rättelse hears the pupil and each guardian through a task of their own; a hearing not
// answered in the window is withdrawn, and then the correction is recorded, by the principal.
func TestARattelseHearsThePupilAndTheGuardiansFirst(t *testing.T) {
	env, l := newProcessEnv(t, grading.CorrectionID("grade-1"), nil)
	window := 10 * 24 * time.Hour
	l.answer(t, time.Hour, "grading.hearing", "guardian-1", map[string]any{"objection": grading.HearingNoObjection}, "")
	l.answer(t, 2*time.Hour, "grading.hearing", "guardian-2", map[string]any{"objection": "maybe"}, workflows.ErrTaskInvalid)
	l.answer(t, 3*time.Hour, "grading.hearing", "guardian-2",
		map[string]any{"objection": grading.HearingObjects, "hearingComment": "Provet rättades fel."}, "")
	// The pupil's hearing is theirs alone: a guardian cannot answer it.
	env.RegisterDelayedCallback(func() {
		i := slices.IndexFunc(l.opened, func(task workflows.Task) bool { return task.Assignee.PersonID == "pupil-1" })
		if i < 0 {
			t.Error("the pupil has no hearing")
			return
		}
		env.UpdateWorkflow(workflows.UpdateCompleteTask, "in-the-pupils-place", &testsuite.TestUpdateCallback{
			OnAccept: func() { t.Error("a guardian answered the pupil's hearing") },
			OnReject: func(err error) {
				if workflowtest.ErrType(err) != workflows.ErrTaskConflict {
					t.Errorf("a guardian answering the pupil's hearing: %v", err)
				}
			},
			OnComplete: func(any, error) {}},
			workflows.TaskCompletion{TaskID: l.opened[i].ID, By: "guardian-1", Payload: map[string]any{"objection": grading.HearingNoObjection}})
	}, 4*time.Hour)
	env.RegisterDelayedCallback(func() {
		if len(l.recorded) != 0 {
			t.Error("recorded before the pupil's hearing closed")
		}
	}, window-time.Minute)
	env.ExecuteWorkflow(grading.GradeCorrection, grading.CorrectionInput{GradeID: "grade-1", NewGradeID: "grade-2",
		Type: grading.Rattelse, GradeValue: "C", RequestedBy: "principal", PupilID: "pupil-1", SchoolID: "school-a",
		HearingWindow: window})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var out grading.CorrectionOutcome
	if err := env.GetWorkflowResult(&out); err != nil || !slices.Equal(out.Heard, []string{"guardian-1", "guardian-2"}) || out.Withdrawn != 1 {
		t.Fatalf("outcome %+v, %v: want both guardians heard and the pupil's hearing withdrawn", out, err)
	}
	if l.processes[0].Kind != "grading.correction" {
		t.Fatalf("registered %+v", l.processes)
	}
	var hearings []string
	for _, task := range l.opened {
		if task.Spec.Kind != "grading.hearing" || task.Spec.SubjectPerson != "pupil-1" || len(task.Spec.HeldBy) != 0 || task.Spec.Due != window {
			t.Errorf("hearing task %+v", task)
		}
		hearings = append(hearings, task.Assignee.PersonID)
	}
	if want := []string{"pupil-1", "guardian-1", "guardian-2"}; !slices.Equal(hearings, want) {
		t.Fatalf("heard %v, want %v", hearings, want)
	}
	if !slices.Equal(l.cancelled, []string{"pupil-1"}) {
		t.Fatalf("withdrew %v, want the pupil's unanswered hearing", l.cancelled)
	}
	if len(l.recorded) != 1 || l.recorded[0].Type != grading.Rattelse || l.recorded[0].DecidedBy != "principal" || l.recordedAt[0] < window {
		t.Fatalf("recorded %+v at %v, want the principal's Rättelse once the window had passed", l.recorded, l.recordedAt)
	}
	if want := []string{"grading.corrected to guardian-1", "grading.corrected to guardian-2"}; !slices.Equal(l.toldSorted(), want) {
		t.Fatalf("told %v, want %v", l.told, want)
	}
}

// When everyone has answered, the correction does not wait for the window.
func TestARattelseAnsweredByAllGoesOnAtOnce(t *testing.T) {
	env, l := newProcessEnv(t, grading.CorrectionID("grade-1"), nil)
	window := 10 * 24 * time.Hour
	for i, p := range []string{"pupil-1", "guardian-1", "guardian-2"} {
		l.answer(t, time.Duration(i+1)*time.Hour, "grading.hearing", p, map[string]any{"objection": grading.HearingNoObjection}, "")
	}
	env.ExecuteWorkflow(grading.GradeCorrection, grading.CorrectionInput{GradeID: "grade-1", NewGradeID: "grade-2",
		Type: grading.Rattelse, GradeValue: "C", RequestedBy: "principal", PupilID: "pupil-1", SchoolID: "school-a",
		HearingWindow: window})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var out grading.CorrectionOutcome
	if err := env.GetWorkflowResult(&out); err != nil || len(out.Heard) != 3 || out.Withdrawn != 0 {
		t.Fatalf("outcome %+v, %v", out, err)
	}
	if len(l.recordedAt) != 1 || l.recordedAt[0] > 4*time.Hour || len(l.cancelled) != 0 {
		t.Fatalf("recorded at %v, withdrew %v: want it recorded once all had answered", l.recordedAt, l.cancelled)
	}
}
