package absence

import (
	"context"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// ReportLessonMissed is the client side of the absence day: it adds the lesson to the pupil's
// running absence day, or starts the day with it (signal-with-start on the business key). It
// returns the process ID.
func ReportLessonMissed(ctx context.Context, c client.Client, taskQueue string, in AbsenceDayInput, m LessonMissed) (string, error) {
	id := AbsenceDayID(in.StudentID, in.Day)
	_, err := c.SignalWithStartWorkflow(ctx, id, SignalLessonMissed, m,
		client.StartWorkflowOptions{
			ID:        id,
			TaskQueue: taskQueue,
			// A day whose process has closed opens again for an absence reported after it.
			WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		},
		AbsenceDay, in)
	return id, err
}

// Days are the pupils' absence days as the register's absence outbox reaches them
// (internal/outbox): each pupil's day started now with Input.
type Days struct {
	Temporal  client.Client
	TaskQueue string
	Input     func(student, day string) AbsenceDayInput
}

// Missed starts the pupil's absence day with the lesson missed, or adds it to the day running
// (ReportLessonMissed).
func (d Days) Missed(ctx context.Context, pupil, day, lesson string) error {
	_, err := ReportLessonMissed(ctx, d.Temporal, d.TaskQueue, d.Input(pupil, day), LessonMissed{LessonID: lesson})
	return err
}

// Attended tells the pupil's running absence day that the lesson was attended after all. A day
// that never started, or has closed, has no one to tell of a correction: that is no error.
func (d Days) Attended(ctx context.Context, pupil, day, lesson string) error {
	err := d.Temporal.SignalWorkflow(ctx, AbsenceDayID(pupil, day), "", SignalLessonAttended, LessonAttended{LessonID: lesson})
	if errs.ProcessNotFound(err) {
		return nil
	}
	return err
}

// DayInput answers the input of a pupil's absence day started now, with the durations cfg
// sets (SKOLFLOW_ABSENCE_NOTICE_WINDOW, _DAY_LENGTH, _TASK_DUE, _REACH_CUTOFF and
// SKOLFLOW_DELIVERY_DEADLINE): what a teacher's report and the absence outbox start or join a
// day with.
func DayInput(cfg config.Config) func(student, day string) AbsenceDayInput {
	return func(student, day string) AbsenceDayInput {
		return AbsenceDayInput{StudentID: student, Day: day, NoticeWindow: NoticeWindow.In(cfg),
			DayLength: DayLength.In(cfg), DeliveryDeadline: cfg.DeliveryDeadline, TaskDue: TaskDue.In(cfg),
			ReachBy: register.UntilClock(time.Now(), ReachCutoff.In(cfg))}
	}
}
