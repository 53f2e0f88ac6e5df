// Package workflows holds Skolflow's processes: deterministic, free of I/O, with every timer's
// duration taken from input. Each process is one exported workflow function, its message names,
// its ID helper and its input and state types.
package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// The absence day: when a pupil is absent without a reason the school knows of, the custodial
// guardians must be told the same day (skollagen 7 kap. 17 §, "samma dag"). One process runs per
// pupil and school day. It collects the lessons missed over a short window so that guardians get
// one notice, not one per lesson, and writes a follow-up notice for lessons missed later that day.
//
// This is the seed of the absence process: the notices it writes are delivered to each guardian's
// chosen channel by the notification machinery built on top of it.

const (
	// SignalLessonMissed carries a LessonMissed into the pupil's absence day.
	SignalLessonMissed = "absence.lesson-missed"
	// QueryAbsenceDay answers the process's AbsenceDayState.
	QueryAbsenceDay = "absence.state"
)

// AbsenceDayID is the business key of a pupil's absence day: a second absence the same day finds
// the running process instead of starting another. studentID is an opaque register ID, never a
// personnummer; day is YYYY-MM-DD.
func AbsenceDayID(studentID, day string) string {
	return "absence:" + studentID + ":" + day
}

// AbsenceDayInput starts an absence day. Both durations are data, so tests and demos can compress
// a school day into seconds.
type AbsenceDayInput struct {
	StudentID    string
	Day          string        // YYYY-MM-DD
	NoticeWindow time.Duration // collect further missed lessons this long before writing a notice
	DayLength    time.Duration // the day stays open for follow-ups this long after it starts
}

// LessonMissed reports that the pupil was absent, without a known reason, from one lesson.
type LessonMissed struct {
	LessonID string
}

// AbsenceNotice is one notice to the guardians: the first of the day, or a follow-up.
type AbsenceNotice struct {
	ProcessID string
	Sequence  int // 1 for the day's first notice, then 2, 3, ... for follow-ups
	StudentID string
	Day       string
	LessonIDs []string
}

// AbsenceDayState is what the process knows; QueryAbsenceDay returns it and so does the workflow.
type AbsenceDayState struct {
	Pending []string        // lessons missed that no notice lists yet
	Notices []AbsenceNotice // notices written so far, in order
}

// StoreAbsenceNoticeActivity names the activity that records a notice (see activities/).
const StoreAbsenceNoticeActivity = "StoreAbsenceNotice"

// AbsenceDay runs one pupil's absence day until DayLength has passed with nothing pending.
func AbsenceDay(ctx workflow.Context, in AbsenceDayInput) (AbsenceDayState, error) {
	d := &absenceDay{in: in, seen: map[string]bool{}}
	if err := workflow.SetQueryHandler(ctx, QueryAbsenceDay, func() (AbsenceDayState, error) { return d.state, nil }); err != nil {
		return d.state, err
	}
	return d.run(ctx)
}

type absenceDay struct {
	in    AbsenceDayInput
	state AbsenceDayState
	seen  map[string]bool // every lesson ever reported, so a repeated registration never notifies twice
}

func (d *absenceDay) run(ctx workflow.Context) (AbsenceDayState, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute},
	})
	missed := workflow.GetSignalChannel(ctx, SignalLessonMissed)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var m LessonMissed
			missed.Receive(ctx, &m)
			d.add(m)
		}
	})

	closesAt := workflow.Now(ctx).Add(d.in.DayLength)
	for {
		open := closesAt.Sub(workflow.Now(ctx))
		if open <= 0 {
			open = 0
		}
		somethingPending, err := workflow.AwaitWithTimeout(ctx, open, func() bool { return len(d.state.Pending) > 0 })
		if err != nil {
			return d.state, err
		}
		if !somethingPending {
			break
		}
		// Collect lessons missed shortly after, so the guardians get one message.
		if err := workflow.Sleep(ctx, d.in.NoticeWindow); err != nil {
			return d.state, err
		}
		if err := d.writeNotice(ctx); err != nil {
			return d.state, err
		}
	}
	// Signals that arrived with the closing timer must not be lost.
	for {
		var m LessonMissed
		if !missed.ReceiveAsync(&m) {
			break
		}
		d.add(m)
	}
	if len(d.state.Pending) > 0 {
		if err := d.writeNotice(ctx); err != nil {
			return d.state, err
		}
	}
	return d.state, nil
}

func (d *absenceDay) add(m LessonMissed) {
	if m.LessonID == "" || d.seen[m.LessonID] {
		return
	}
	d.seen[m.LessonID] = true
	d.state.Pending = append(d.state.Pending, m.LessonID)
}

func (d *absenceDay) writeNotice(ctx workflow.Context) error {
	notice := AbsenceNotice{
		ProcessID: workflow.GetInfo(ctx).WorkflowExecution.ID,
		Sequence:  len(d.state.Notices) + 1,
		StudentID: d.in.StudentID,
		Day:       d.in.Day,
		LessonIDs: append([]string(nil), d.state.Pending...),
	}
	if err := workflow.ExecuteActivity(ctx, StoreAbsenceNoticeActivity, notice).Get(ctx, nil); err != nil {
		return err
	}
	// Lessons missed while the notice was being written wait for the next one.
	d.state.Pending = d.state.Pending[len(notice.LessonIDs):]
	d.state.Notices = append(d.state.Notices, notice)
	return nil
}
