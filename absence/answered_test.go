package absence_test

import (
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/workflows"
	"github.com/skolflow/skolflow/workflows/workflowtest"
)

// A notice is answered once: a second reply in other words (or the other guardian's) is a
// conflict, and the query says nothing is left to answer. A follow-up notice's lessons can be
// answered in turn, and that reply's classification covers only them.
func TestAbsenceDayNoticeIsAnsweredOnce(t *testing.T) {
	r := &recorder{}
	classified, opened = nil, nil
	env := newEnv(t, r.store)
	missed(env, 0, "lesson-1")
	missed(env, 3*time.Hour, "lesson-2")
	answers := map[string]error{}
	tasks := map[string]string{}
	reply := func(id, by string) {
		env.UpdateWorkflow(absence.UpdateAbsenceReply, id, &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { answers[id] = err },
			OnComplete: func(v any, err error) {
				answers[id] = err
				if a, ok := v.(absence.AbsenceReplyAnswer); ok {
					tasks[id] = a.TaskID
				}
			}}, absence.AbsenceReply{ReplyID: id, By: by})
	}
	var before, after absence.AbsenceDayState
	query := func(into *absence.AbsenceDayState) {
		v, err := env.QueryWorkflow(absence.QueryAbsenceDay)
		if err != nil {
			t.Error(err)
			return
		}
		if err := v.Get(into); err != nil {
			t.Error(err)
		}
	}
	env.RegisterDelayedCallback(func() { query(&before); reply("r1", "guardian-1") }, time.Hour)
	env.RegisterDelayedCallback(func() { reply("r2", "guardian-2"); query(&after) }, 90*time.Minute)
	env.RegisterDelayedCallback(func() { reply("r3", "guardian-2") }, 4*time.Hour)
	complete := func(id string, at time.Duration) {
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(workflows.UpdateCompleteTask, "classify "+id, &testsuite.TestUpdateCallback{
				OnAccept: func() {}, OnReject: func(err error) { t.Errorf("classifying %s rejected: %v", id, err) }, OnComplete: func(any, error) {}},
				workflows.TaskCompletion{TaskID: tasks[id], By: "mentor", Payload: map[string]any{"classification": "valid"}})
		}, at)
	}
	complete("r1", 2*time.Hour)
	complete("r3", 5*time.Hour)
	env.ExecuteWorkflow(absence.AbsenceDay, input())
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if answers["r1"] != nil || answers["r3"] != nil || workflowtest.ErrType(answers["r2"]) != workflows.ErrTaskConflict {
		t.Fatalf("answers %v, want r1 and r3 taken and r2 a conflict", answers)
	}
	if !equal(before.Unanswered, "lesson-1") || len(after.Unanswered) != 0 {
		t.Errorf("unanswered before %v and after %v the reply, want lesson-1, then none", before.Unanswered, after.Unanswered)
	}
	if len(classified) != 2 || !equal(classified[0].LessonIDs, "lesson-1") || !equal(classified[1].LessonIDs, "lesson-2") {
		t.Fatalf("classified %+v, want lesson-1, then lesson-2 alone", classified)
	}
}
