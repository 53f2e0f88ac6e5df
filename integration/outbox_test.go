package integration

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/register"
)

// absentFromALesson imports a class of the pupils, each with one guardian ("<pupil>-1") who
// chose email, and a lesson of theirs that has begun today, and has the teacher register every
// pupil absent: the register is saved, and the absences go to the outbox. It answers the class
// and the lesson.
func absentFromALesson(t *testing.T, s *stack, pupils ...string) (class, string) {
	t.Helper()
	families := map[string][]string{}
	for _, p := range pupils {
		families[p] = []string{p + "-1"}
	}
	c := newClass(t, s, families)
	start := startedBefore(time.Now().Truncate(time.Minute), time.Minute)
	lesson := uuid.NewString()
	if r := s.as("admin-a").do("POST", "/api/v1/schools/"+demo.OrgID("a")+"/lessons", attendance.LessonImport{Lessons: []attendance.Lesson{
		{ID: lesson, Group: c.group, Teacher: s.id("larare-a1"), Start: start, End: start.Add(40 * time.Minute)}}}, nil); r.StatusCode != 200 {
		t.Fatalf("the timetable: %d", r.StatusCode)
	}
	var in attendance.RegistrationInput
	for _, p := range pupils {
		in.Registrations = append(in.Registrations, attendance.Registration{Person: c.ids[p], Status: "absent"})
	}
	if r := s.as("larare-a1").do("PUT", "/api/v1/lessons/"+lesson+"/attendance", in, nil); r.StatusCode != 200 {
		t.Fatalf("taking the register: %d", r.StatusCode)
	}
	return c, lesson
}

// The register is taken while Temporal's frontend cannot be reached: the teacher is answered at
// once, and the dispatcher keeps the absences in the outbox and tries again. When the frontend
// is back, every absence reaches its pupil's day, once, and each guardian is told once.
func TestAnAbsenceIsNotLostWhileTemporalIsDown(t *testing.T) {
	s := newStack(t, func(c *stackConfig) { c.holdOutbox = true })
	// The dispatcher reaches the dev server through a proxy that can be closed and opened again.
	frontend, proxied, _ := temporalBehindProxy(t, s.ns)

	pupils := []string{"ada", "ben", "cy"}
	c, lesson := absentFromALesson(t, s, pupils...)
	if n := s.count(`SELECT count(*) FROM absence_outbox`); n != len(pupils) {
		t.Fatalf("%d rows in the outbox, want one per absent pupil (%d)", n, len(pupils))
	}
	core, logs := observer.New(zapcore.WarnLevel)
	s.dispatch(zap.New(core), proxied)
	eventually(t, 30*time.Second, "the dispatcher to fail to send", func() bool {
		return logs.FilterMessage("absence outbox: sending failed; retrying").Len() > 0
	})
	today := time.Now().In(register.SchoolDay).Format(time.DateOnly)
	for _, p := range pupils {
		if _, err := s.temporal.DescribeWorkflowExecution(context.Background(), absence.AbsenceDayID(c.ids[p], today), ""); !errors.As(err, new(*serviceerror.NotFound)) {
			t.Fatalf("%s's absence day while Temporal is down: %v, want none", p, err)
		}
	}
	if n := s.count(`SELECT count(*) FROM absence_outbox`); n != len(pupils) {
		t.Fatalf("%d rows in the outbox while Temporal is down, want all %d kept", n, len(pupils))
	}

	frontend.up()
	eventually(t, 30*time.Second, "the outbox to empty", func() bool { return s.count(`SELECT count(*) FROM absence_outbox`) == 0 })
	// Each day waits for its messages before it closes: once closed, what it told is all it told.
	for _, p := range pupils {
		var state absence.AbsenceDayState
		closed(t, s, absence.AbsenceDayID(c.ids[p], today), s.timings.AbsenceDayLength+30*time.Second, &state)
		if len(state.Notices) != 1 || !slices.Equal(state.Notices[0].LessonIDs, []string{lesson}) {
			t.Errorf("%s's day told %+v, want one notice listing the lesson once", p, state.Notices)
		}
		if n := len(mailTo(s, c.user(p+"-1"))); n != 1 {
			t.Errorf("%s's guardian was told %d times, want once", p, n)
		}
	}
}

// Two API instances start at once on one database, each with its dispatcher: every absence is
// sent to Temporal once, by whichever dispatcher leads, and each guardian is told once.
func TestTwoDispatchersSendEachRowOnce(t *testing.T) {
	s := newStack(t, func(c *stackConfig) { c.holdOutbox = true })
	pupils := []string{"ada", "ben", "cy", "dag", "eli", "fia", "gun", "hal"}
	c, lesson := absentFromALesson(t, s, pupils...)
	if n := s.count(`SELECT count(*) FROM absence_outbox`); n != len(pupils) {
		t.Fatalf("%d rows in the outbox, want one per absent pupil (%d)", n, len(pupils))
	}
	sent := &sendCount{Client: s.temporal, n: map[string]int{}}
	stop := s.dispatch(zap.NewNop(), sent, sent)
	eventually(t, 30*time.Second, "the outbox to empty", func() bool { return s.count(`SELECT count(*) FROM absence_outbox`) == 0 })
	stop() // no send is under way when the counts are read
	today := time.Now().In(register.SchoolDay).Format(time.DateOnly)
	for _, p := range pupils {
		if n := sent.of(absence.AbsenceDayID(c.ids[p], today), lesson); n != 1 {
			t.Errorf("%s's absence was sent %d times, want once", p, n)
		}
	}
	eventually(t, 15*time.Second, "every guardian's notice", func() bool {
		return !slices.ContainsFunc(pupils, func(p string) bool { return len(mailTo(s, c.user(p+"-1"))) == 0 })
	})
	for _, p := range pupils {
		if n := len(mailTo(s, c.user(p+"-1"))); n != 1 {
			t.Errorf("%s's guardian was told %d times, want once", p, n)
		}
	}
}

// sendCount is a Temporal client that counts the absences handed to it that reached a day.
type sendCount struct {
	client.Client
	mu sync.Mutex
	n  map[string]int // by day and lesson
}

func (c *sendCount) SignalWithStartWorkflow(ctx context.Context, workflowID, signalName string, signalArg any,
	options client.StartWorkflowOptions, workflow any, workflowArgs ...any) (client.WorkflowRun, error) {
	run, err := c.Client.SignalWithStartWorkflow(ctx, workflowID, signalName, signalArg, options, workflow, workflowArgs...)
	if m, ok := signalArg.(absence.LessonMissed); ok && err == nil {
		c.mu.Lock()
		c.n[workflowID+" "+m.LessonID]++
		c.mu.Unlock()
	}
	return run, err
}

func (c *sendCount) of(day, lesson string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[day+" "+lesson]
}
