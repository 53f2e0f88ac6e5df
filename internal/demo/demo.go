// Package demo loads the demo data `skolflow dev` starts with, so a newcomer sees a process at
// work at once. Loading is idempotent: processes are found by their business keys and a lesson
// reported twice counts once, so every restart of `make run` leaves the same state.
package demo

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/register"
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

// Load puts today's first two lessons of class 7A in the register and reports the demo pupil
// absent from the first; the welcome text reports the second.
func Load(ctx context.Context, c client.Client, db *pgxpool.Pool, o Options) (Data, error) {
	day := o.Today.In(register.SchoolDay).Format(time.DateOnly)
	if err := loadLessons(ctx, db, o.Today); err != nil {
		return Data{}, err
	}
	_, err := absence.ReportLessonMissed(ctx, c, o.TaskQueue, absence.AbsenceDayInput{
		StudentID: StudentID, Day: day, NoticeWindow: o.NoticeWindow, DayLength: o.DayLength, DeliveryDeadline: o.Deadline,
		TaskDue: o.TaskDue, ReachBy: register.UntilClock(o.Today, o.ReachCutoff),
	}, absence.LessonMissed{LessonID: lessonID})
	monday := o.Today.AddDate(0, 0, 7)
	for monday.Weekday() != time.Monday {
		monday = monday.AddDate(0, 0, 1)
	}
	return Data{StudentID: StudentID, Day: day, NextLessonID: nextLessonID,
		LeaveFrom: monday.Format(time.DateOnly), LeaveTo: monday.AddDate(0, 0, 4).Format(time.DateOnly)}, err
}

// loadLessons writes the demo lessons as the lessons of class 7A with its teacher on now's day,
// both begun by now (a teacher reports a pupil absent only from a lesson that has begun), 40 minutes
// each, and never before midnight in the schools' time zone. Lessons of an earlier day's run
// move to today, without the register taken of them then.
func loadLessons(ctx context.Context, db *pgxpool.Pool, now time.Time) error {
	y, m, d := now.In(register.SchoolDay).Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, register.SchoolDay)
	begun := func(ago time.Duration) time.Time {
		if t := now.Add(-ago); t.After(midnight) {
			return t.Truncate(time.Minute)
		}
		return midnight
	}
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM lessons WHERE id = ANY($1) AND (start_time AT TIME ZONE 'Europe/Stockholm')::date <> $2::date`,
			[]string{lessonID, nextLessonID}, midnight.Format(time.DateOnly)); err != nil {
			return err
		}
		for id, start := range map[string]time.Time{lessonID: begun(100 * time.Minute), nextLessonID: begun(50 * time.Minute)} {
			if _, err := tx.Exec(ctx, `INSERT INTO lessons (id, group_id, school_id, teacher_id, start_time, end_time)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
				id, GroupID("7a"), OrgID("a"), PersonID("larare-a1"), start, start.Add(40*time.Minute)); err != nil {
				return err
			}
		}
		return nil
	})
}
