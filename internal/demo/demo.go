// Package demo loads the demo data `skolflow dev` starts with, so a newcomer sees a process at
// work at once. Loading is idempotent: processes are found by their business keys and a lesson
// reported twice counts once, so every restart of `make run` leaves the same state.
package demo

import (
	"context"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/workflows"
)

// UserDomain is the domain of the demo users' principal names: larare-a1@skolflow.test.
const UserDomain = "skolflow.test"

// StudentID is the demo pupil of the absence process: elev-1 of class 7A in register.json.
var StudentID = PersonID("elev-1")

// The demo lessons have fixed IDs, so the commands printed at start keep working.
const (
	lessonID     = "0c9a6b1e-53f2-4d8e-a1b7-7e2f4c6d8a01"
	nextLessonID = "0c9a6b1e-53f2-4d8e-a1b7-7e2f4c6d8a02"
)

// Options carries the settings the demo processes are started with.
type Options struct {
	TaskQueue    string
	NoticeWindow time.Duration
	DayLength    time.Duration
	Deadline     time.Duration // of each notice's email and SMS
	TaskDue      time.Duration // of the mentor's tasks of the day
	ReachCutoff  time.Duration // time of day by which a guardian must have been reached
	Today        time.Time
}

// Data says what was loaded, for the welcome text.
type Data struct {
	StudentID    string
	Day          string
	NextLessonID string
	// LeaveFrom and LeaveTo are next week's Monday and Friday: dates to apply for leave.
	LeaveFrom, LeaveTo string
}

// Load reports the demo pupil absent from today's first lesson.
func Load(ctx context.Context, c client.Client, o Options) (Data, error) {
	day := o.Today.Format(time.DateOnly)
	_, err := workflows.ReportLessonMissed(ctx, c, o.TaskQueue, workflows.AbsenceDayInput{
		StudentID: StudentID, Day: day, NoticeWindow: o.NoticeWindow, DayLength: o.DayLength, DeliveryDeadline: o.Deadline,
		TaskDue: o.TaskDue, ReachBy: register.UntilClock(o.Today, o.ReachCutoff),
	}, workflows.LessonMissed{LessonID: lessonID})
	monday := o.Today.AddDate(0, 0, 7)
	for monday.Weekday() != time.Monday {
		monday = monday.AddDate(0, 0, 1)
	}
	return Data{StudentID: StudentID, Day: day, NextLessonID: nextLessonID,
		LeaveFrom: monday.Format(time.DateOnly), LeaveTo: monday.AddDate(0, 0, 4).Format(time.DateOnly)}, err
}
