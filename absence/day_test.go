package absence_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/workflows"
	"github.com/skolflow/skolflow/workflows/workflowtest"
)

const (
	student = "6f1d3c7a-0b5e-4c1e-9a53-2d4b8f0e7a10"
	day     = "2026-11-30"
)

func input() absence.AbsenceDayInput {
	return absence.AbsenceDayInput{StudentID: student, Day: day, NoticeWindow: 10 * time.Minute, DayLength: 8 * time.Hour}
}

// recorder stands in for the activities and keeps the notices the process wrote and the
// messages it asked to send.
type recorder struct {
	notices []absence.AbsenceNotice
	told    []string // purpose to recipient
}

func (r *recorder) store(_ context.Context, n absence.AbsenceNotice) error {
	r.notices = append(r.notices, n)
	return nil
}

// newEnv runs the absence day under its business key with store standing in for the activity.
func newEnv(t *testing.T, store func(context.Context, absence.AbsenceNotice) error) *testsuite.TestWorkflowEnvironment {
	var s testsuite.WorkflowTestSuite
	s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	env := s.NewTestWorkflowEnvironment()
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: absence.AbsenceDayID(student, day)})
	stubActivities(t, env, stubs{
		absence.StoreAbsenceNoticeActivity.Name(): store,
		absence.NoticesSoFarActivity.Name():       func(context.Context, string) (int, error) { return earlierNotices, nil },
		absence.CustodialGuardiansActivity.Name(): func(context.Context, string) ([]string, error) { return []string{"guardian-1", "guardian-2"}, nil },
		workflows.NotifyActivity.Name(): func(_ context.Context, r workflows.NotifyRequest) (workflows.Notification, error) {
			if told != nil {
				recording.Lock()
				*told = append(*told, r.Purpose+" to "+r.Recipient)
				recording.Unlock()
			}
			return workflows.Notification{ID: r.Recipient + r.Occasion, Channels: channels[r.Recipient]}, nil
		},
		workflows.DeliverActivity.Name(): func(_ context.Context, d workflows.Delivery) error {
			if slices.Contains(unreachable, d.NotificationID[:len("guardian-1")]) {
				return temporal.NewNonRetryableApplicationError("the mail server refused the address", "Refused", nil)
			}
			return nil
		},
		absence.PupilContactsActivity.Name(): func(context.Context, string) (absence.PupilContacts, error) {
			return absence.PupilContacts{SchoolID: "school-a", Mentors: []string{"mentor"}}, nil
		},
		absence.ClassifyAbsenceActivity.Name(): func(_ context.Context, c absence.AbsenceClassification) error {
			recording.Lock()
			classified = append(classified, c)
			recording.Unlock()
			return nil
		},
		workflows.CreateTaskActivity.Name(): func(_ context.Context, t workflows.Task) error {
			recording.Lock()
			opened = append(opened, t)
			recording.Unlock()
			return nil
		},
		workflows.ReassignTaskActivity.Name(): func(_ context.Context, e workflows.TaskEvent) error {
			recording.Lock()
			escalated = append(escalated, e.Task)
			recording.Unlock()
			return nil
		},
	})
	return env
}

// recording guards what the stand-ins record: the environment runs activities side by side.
var recording sync.Mutex

// classified collects the classifications the process recorded.
var classified []absence.AbsenceClassification

// earlierNotices, set by a test, is how many notices earlier runs of the day stored.
var earlierNotices int

// Set by tests: the channels each guardian chose beyond the inbox, the guardians whose every
// delivery fails, and the tasks the process opened and handed on.
var (
	channels    map[string][]string
	unreachable []string
	opened      []workflows.Task
	escalated   []workflows.Task
)

// told, when set by a test, collects what the process asked to tell whom.
var told *[]string

func attended(env *testsuite.TestWorkflowEnvironment, after time.Duration, lesson string) {
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(absence.SignalLessonAttended, absence.LessonAttended{LessonID: lesson})
	}, after)
}

func missed(env *testsuite.TestWorkflowEnvironment, after time.Duration, lesson string) {
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(absence.SignalLessonMissed, absence.LessonMissed{LessonID: lesson})
	}, after)
}

// Lessons missed within the window reach the guardians as one notice; a lesson reported twice
// is listed once; a lesson missed hours later gives one follow-up notice.
func TestAbsenceDayCollectsLessonsIntoOneNoticeAndOneFollowUp(t *testing.T) {
	r := &recorder{}
	env := newEnv(t, r.store)
	missed(env, 0, "lesson-1")
	missed(env, 3*time.Minute, "lesson-2")
	missed(env, 4*time.Minute, "lesson-1") // the same lesson registered again
	missed(env, 3*time.Hour, "lesson-5")
	missed(env, 3*time.Hour+time.Minute, "lesson-6")
	env.ExecuteWorkflow(absence.AbsenceDay, input())

	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("workflow did not complete cleanly: %v", env.GetWorkflowError())
	}
	if len(r.notices) != 2 {
		t.Fatalf("notices written = %d, want 2 (first and follow-up): %+v", len(r.notices), r.notices)
	}
	first, follow := r.notices[0], r.notices[1]
	if first.Sequence != 1 || !equal(first.LessonIDs, "lesson-1", "lesson-2") {
		t.Errorf("first notice = %+v, want sequence 1 with lesson-1, lesson-2", first)
	}
	if follow.Sequence != 2 || !equal(follow.LessonIDs, "lesson-5", "lesson-6") {
		t.Errorf("follow-up = %+v, want sequence 2 with lesson-5, lesson-6", follow)
	}
	if first.ProcessID != absence.AbsenceDayID(student, day) || first.StudentID != student || first.Day != day {
		t.Errorf("notice identifies %q/%q/%q, want the pupil's absence day", first.ProcessID, first.StudentID, first.Day)
	}
	var state absence.AbsenceDayState
	if err := env.GetWorkflowResult(&state); err != nil {
		t.Fatal(err)
	}
	if len(state.Pending) != 0 || len(state.Notices) != 2 {
		t.Errorf("final state = %+v, want nothing pending and two notices", state)
	}
}

// No notice is written before the window has passed, and the query shows what is pending.
func TestAbsenceDayWaitsForTheWindow(t *testing.T) {
	r := &recorder{}
	env := newEnv(t, r.store)
	missed(env, 0, "lesson-1")
	env.RegisterDelayedCallback(func() {
		if len(r.notices) != 0 {
			t.Errorf("a notice was written %v into a %v window", 9*time.Minute, input().NoticeWindow)
		}
		v, err := env.QueryWorkflow(absence.QueryAbsenceDay)
		if err != nil {
			t.Fatal(err)
		}
		var state absence.AbsenceDayState
		if err := v.Get(&state); err != nil {
			t.Fatal(err)
		}
		if !equal(state.Pending, "lesson-1") {
			t.Errorf("pending = %v, want [lesson-1]", state.Pending)
		}
	}, 9*time.Minute)
	env.ExecuteWorkflow(absence.AbsenceDay, input())
	if len(r.notices) != 1 {
		t.Fatalf("notices = %d, want 1", len(r.notices))
	}
}

// Every duration is data: a day compressed to seconds behaves like a real one.
func TestAbsenceDayTimingsComeFromInput(t *testing.T) {
	r := &recorder{}
	env := newEnv(t, r.store)
	in := input()
	in.NoticeWindow, in.DayLength = 2*time.Second, 10*time.Second
	missed(env, 0, "lesson-1")
	missed(env, 5*time.Second, "lesson-2")
	env.ExecuteWorkflow(absence.AbsenceDay, in)
	if len(r.notices) != 2 {
		t.Fatalf("notices = %d, want 2 with a 2s window: %+v", len(r.notices), r.notices)
	}
}

// A transient failure to store the notice is retried until it succeeds; nothing is lost.
func TestAbsenceDayRetriesAFailedStore(t *testing.T) {
	attempts := 0
	env := newEnv(t, func(context.Context, absence.AbsenceNotice) error {
		attempts++
		if attempts < 3 {
			return errors.New("connection reset")
		}
		return nil
	})
	missed(env, 0, "lesson-1")
	env.ExecuteWorkflow(absence.AbsenceDay, input())
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow failed: %v", err)
	}
	if attempts != 3 {
		t.Errorf("store attempts = %d, want 3 (two failures, then success)", attempts)
	}
}

// A notice the database rejects as invalid fails the process at once instead of retrying forever.
func TestAbsenceDayFailsOnAPermanentStoreError(t *testing.T) {
	env := newEnv(t, func(context.Context, absence.AbsenceNotice) error {
		return temporal.NewNonRetryableApplicationError("rejected by the database", "sqlstate:22P02", nil)
	})
	missed(env, 0, "lesson-1")
	env.ExecuteWorkflow(absence.AbsenceDay, input())
	if env.GetWorkflowError() == nil {
		t.Fatal("workflow succeeded although the notice was rejected")
	}
}

func equal(got []string, want ...string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// Each custodial guardian is told of each notice on their own; a correction made before the
// notice goes means the lesson is never told; one made after gives a correction message.
func TestAbsenceDayTellsEachGuardianAndCorrects(t *testing.T) {
	r := &recorder{}
	told = &r.told
	defer func() { told = nil }()
	env := newEnv(t, r.store)
	missed(env, 0, "lesson-1")
	missed(env, time.Minute, "lesson-2")
	attended(env, 2*time.Minute, "lesson-2") // corrected within the window: never told
	attended(env, time.Hour, "lesson-1")     // corrected after the notice
	env.ExecuteWorkflow(absence.AbsenceDay, input())
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if len(r.notices) != 2 || !equal(r.notices[0].LessonIDs, "lesson-1") || r.notices[0].Correction ||
		!r.notices[1].Correction || !equal(r.notices[1].LessonIDs, "lesson-1") {
		t.Fatalf("notices = %+v, want a notice of lesson-1 and then its correction", r.notices)
	}
	want := []string{"absence.correction to guardian-1", "absence.correction to guardian-2",
		"absence.notice to guardian-1", "absence.notice to guardian-2"}
	slices.Sort(r.told) // the guardians are told side by side, in no set order
	if strings.Join(r.told, ",") != strings.Join(want, ",") {
		t.Fatalf("told %v, want %v", r.told, want)
	}
}

// A guardian's answer gives the mentor a task; a valid classification is recorded for the
// lessons the guardians were told of.
func TestAbsenceDayReplyGoesToTheMentor(t *testing.T) {
	r := &recorder{}
	classified = nil
	env := newEnv(t, r.store)
	missed(env, 0, "lesson-1")
	var task string
	var answered, early error
	env.RegisterDelayedCallback(func() { // before any notice: nothing to answer
		env.UpdateWorkflow(absence.UpdateAbsenceReply, "early", &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { early = err }, OnComplete: func(any, error) {}},
			absence.AbsenceReply{ReplyID: "r0", By: "guardian-1"})
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(absence.UpdateAbsenceReply, "reply", &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { answered = err },
			OnComplete: func(v any, err error) {
				answered = err
				if a, ok := v.(absence.AbsenceReplyAnswer); ok {
					task = a.TaskID
				}
			}}, absence.AbsenceReply{ReplyID: "r1", By: "guardian-1"})
	}, time.Hour)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateCompleteTask, "classify", &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { t.Errorf("classification rejected: %v", err) }, OnComplete: func(any, error) {}},
			workflows.TaskCompletion{TaskID: task, By: "mentor", Payload: map[string]any{"classification": "valid"}})
	}, 2*time.Hour)
	env.ExecuteWorkflow(absence.AbsenceDay, input())
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if workflowtest.ErrType(early) != workflows.ErrTaskConflict || answered != nil || task == "" {
		t.Fatalf("early reply %v, reply %v with task %q", early, answered, task)
	}
	if len(classified) != 1 || !classified[0].Valid || !equal(classified[0].LessonIDs, "lesson-1") {
		t.Fatalf("classified %+v, want lesson-1 valid", classified)
	}
}

// A reply sent again under the same id (the API retrying one whose answer was lost) is the same
// reply: the same task in the answer, one task opened, one classification.
func TestAbsenceDayTakesAReplySentAgainOnce(t *testing.T) {
	r := &recorder{}
	classified, opened = nil, nil
	env := newEnv(t, r.store)
	missed(env, 0, "lesson-1")
	var tasks []string
	reply := func(name string) {
		env.UpdateWorkflow(absence.UpdateAbsenceReply, name, &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { t.Errorf("%s rejected: %v", name, err) },
			OnComplete: func(v any, err error) {
				if a, ok := v.(absence.AbsenceReplyAnswer); ok && err == nil {
					tasks = append(tasks, a.TaskID)
				}
			}}, absence.AbsenceReply{ReplyID: "r1", By: "guardian-1"})
	}
	env.RegisterDelayedCallback(func() { reply("first"); reply("again at once") }, time.Hour)
	env.RegisterDelayedCallback(func() { reply("again later") }, 90*time.Minute)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateCompleteTask, "classify", &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { t.Errorf("classification rejected: %v", err) }, OnComplete: func(any, error) {}},
			workflows.TaskCompletion{TaskID: tasks[0], By: "mentor", Payload: map[string]any{"classification": "valid"}})
	}, 2*time.Hour)
	env.ExecuteWorkflow(absence.AbsenceDay, input())
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 3 || tasks[1] != tasks[0] || tasks[2] != tasks[0] {
		t.Fatalf("answers %v, want the same task three times", tasks)
	}
	var classify int
	for _, o := range opened {
		if o.Spec.Kind == "absence.classify" {
			classify++
		}
	}
	if classify != 1 || len(classified) != 1 {
		t.Fatalf("%d classification tasks opened and %d classifications, want one of each", classify, len(classified))
	}
}

// When no guardian has been reached by the cut-off, the mentor gets a task to reach them, and
// the principal gets it when the mentor does not act. A guardian reached in time means no task.
func TestAbsenceDayCutOffGivesTheMentorATaskWhenNoGuardianWasReached(t *testing.T) {
	defer func() { channels, unreachable, opened, escalated = nil, nil, nil, nil }()
	for _, c := range []struct {
		name        string
		unreachable []string
		wantTask    bool
	}{
		{"both unreachable", []string{"guardian-1", "guardian-2"}, true},
		{"one reached", []string{"guardian-2"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			channels = map[string][]string{"guardian-1": {"email"}, "guardian-2": {"sms"}}
			unreachable, opened, escalated = c.unreachable, nil, nil
			env := newEnv(t, (&recorder{}).store)
			missed(env, 0, "lesson-1")
			in := input()
			in.ReachBy, in.TaskDue = 2*time.Hour, time.Hour
			var atCutoff, beforeCutoff int
			env.RegisterDelayedCallback(func() { beforeCutoff = len(opened) }, 2*time.Hour-time.Minute)
			env.RegisterDelayedCallback(func() { atCutoff = len(opened) }, 2*time.Hour+time.Minute)
			env.RegisterDelayedCallback(func() { // the principal, once it is theirs, reached a guardian
				if len(opened) == 0 {
					return
				}
				env.UpdateWorkflow(workflows.UpdateCompleteTask, "reach", &testsuite.TestUpdateCallback{
					OnAccept: func() {}, OnReject: func(err error) { t.Errorf("completion rejected: %v", err) }, OnComplete: func(any, error) {}},
					workflows.TaskCompletion{TaskID: opened[0].ID, By: "principal", Payload: map[string]any{"outcome": "reached"}})
			}, 4*time.Hour)
			env.ExecuteWorkflow(absence.AbsenceDay, in)
			if err := env.GetWorkflowError(); err != nil {
				t.Fatal(err)
			}
			var state absence.AbsenceDayState
			if err := env.GetWorkflowResult(&state); err != nil {
				t.Fatal(err)
			}
			if !c.wantTask {
				if len(opened) != 0 || state.ReachTask != "" {
					t.Fatalf("a guardian was reached, yet tasks were opened: %+v", opened)
				}
				return
			}
			if beforeCutoff != 0 || atCutoff != 1 {
				t.Fatalf("tasks before the cut-off %d, just after %d; want 0 then 1", beforeCutoff, atCutoff)
			}
			task := opened[0]
			if task.Spec.Kind != "absence.reach-guardians" || task.Assignee.PersonID != "mentor" || state.ReachTask != task.ID {
				t.Fatalf("task %+v (state %q), want the mentor's task to reach the guardians", task, state.ReachTask)
			}
			if len(escalated) != 1 || escalated[0].Assignee.Role != "Rektor" || escalated[0].Assignee.OrgID != "school-a" {
				t.Fatalf("handed on %+v, want the principal of the school once the mentor did not act", escalated)
			}
		})
	}
}

// A day that closed and opens again for a late registration numbers its notices on from the
// earlier run's, so the notice is stored and sent as a follow-up, not taken for a retry.
func TestAbsenceDayReopenedGoesOnFromEarlierNotices(t *testing.T) {
	r := &recorder{}
	told = &r.told
	earlierNotices = 2
	defer func() { told, earlierNotices = nil, 0 }()
	env := newEnv(t, r.store)
	missed(env, 0, "lesson-9")
	env.ExecuteWorkflow(absence.AbsenceDay, input())
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if len(r.notices) != 1 || r.notices[0].Sequence != 3 {
		t.Fatalf("notices %+v, want one with sequence 3", r.notices)
	}
	slices.Sort(r.told)
	if want := []string{"absence.follow-up to guardian-1", "absence.follow-up to guardian-2"}; !slices.Equal(r.told, want) {
		t.Fatalf("told %v, want %v", r.told, want)
	}
}
