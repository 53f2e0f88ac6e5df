package absence

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/workflows"
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
	// SignalLessonAttended carries a LessonAttended: a teacher's correction of an absence.
	SignalLessonAttended = "absence.lesson-attended"
	// QueryAbsenceDay answers the process's AbsenceDayState.
	QueryAbsenceDay = "absence.state"
)

// AbsenceDayID is the business key of a pupil's absence day: a second absence the same day finds
// the running process instead of starting another. studentID is an opaque register ID, never a
// personnummer; day is YYYY-MM-DD.
func AbsenceDayID(studentID, day string) string {
	return "absence:" + studentID + ":" + day
}

// AbsenceDayInput starts an absence day. Every duration is data, so tests and demos can compress
// a school day into seconds.
type AbsenceDayInput struct {
	StudentID        string
	Day              string        // YYYY-MM-DD
	NoticeWindow     time.Duration // collect further missed lessons this long before writing a notice
	DayLength        time.Duration // the day stays open for follow-ups this long after it starts
	DeliveryDeadline time.Duration // how long a notice's email or SMS is retried
	TaskDue          time.Duration // how long the mentor has for a task of the day before the principal gets it
	// ReachBy is the day's cut-off, from the process's start: if no guardian has been reached
	// by then, the mentor gets a task to reach them. A day whose first notice goes after the
	// cut-off is checked NoticeWindow after that notice.
	ReachBy time.Duration
}

// LessonMissed reports that the pupil was absent, without a known reason, from one lesson.
type LessonMissed struct {
	LessonID string
}

// LessonAttended corrects an absence: the pupil was there after all.
type LessonAttended struct {
	LessonID string
}

// AbsenceNotice is one message to the guardians: the day's first notice, a follow-up, or a
// correction of lessons a notice listed.
type AbsenceNotice struct {
	ProcessID  string
	Sequence   int // 1, 2, ... in the order the process wrote them
	StudentID  string
	Day        string
	LessonIDs  []string
	Correction bool // the lessons were attended after all
}

// AbsenceDayState is what the process knows; QueryAbsenceDay returns it and so does the workflow.
type AbsenceDayState struct {
	Pending   []string                 // lessons missed that no notice lists yet
	Corrected []string                 // lessons a notice listed that were attended after all, not yet told
	Notices   []AbsenceNotice          // notices written so far, in order
	Reports   []workflows.NotifyReport // what reached each guardian
	// ReachTask is the mentor's task to reach the guardians, opened when no guardian had been
	// reached by the cut-off; empty otherwise.
	ReachTask string
	// Unanswered are the lessons a notice told of that no guardian's reply covers yet: while
	// there are any, a reply is taken. Only QueryAbsenceDay fills it in.
	Unanswered []string `json:",omitempty"`
}

var (
	// StoreAbsenceNoticeActivity records a notice (Store.StoreNotice).
	StoreAbsenceNoticeActivity = workflows.DeclareActivity[AbsenceNotice, workflows.None]("StoreAbsenceNotice")
	// CustodialGuardiansActivity answers the pupil's custodial guardians today.
	CustodialGuardiansActivity = workflows.DeclareActivity[string, []string]("CustodialGuardians")
	// NoticesSoFarActivity answers how many notices a day's process ID has on record.
	NoticesSoFarActivity = workflows.DeclareActivity[string, int]("NoticesSoFar")
)

// AbsenceDay runs one pupil's absence day until DayLength has passed with nothing pending.
func AbsenceDay(ctx workflow.Context, in AbsenceDayInput) (AbsenceDayState, error) {
	d := &absenceDay{in: in, lessons: map[string]string{}, replies: map[string]*sentReply{}, answered: map[string]bool{}}
	query := func() (AbsenceDayState, error) {
		s := d.state
		s.Unanswered = d.unanswered()
		return s, nil
	}
	if err := workflow.SetQueryHandler(ctx, QueryAbsenceDay, query); err != nil {
		return d.state, err
	}
	tasks, err := workflows.NewTasks(ctx)
	if err != nil {
		return d.state, err
	}
	d.tasks = tasks
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateAbsenceReply, d.reply,
		workflow.UpdateHandlerOptions{Validator: d.validateReply}); err != nil {
		return d.state, err
	}
	return d.run(ctx)
}

// Lesson states in absenceDay.lessons.
const (
	lessonPending  = "pending"  // missed, in no notice yet
	lessonNotified = "notified" // missed, in a notice
	lessonAttended = "attended" // corrected: attended
)

type absenceDay struct {
	in          AbsenceDayInput
	state       AbsenceDayState
	lessons     map[string]string     // lesson -> its state, so a repeated registration never notifies twice
	sending     workflows.Beside      // notices still being delivered
	tasks       *workflows.Tasks      // the mentor's tasks of the day
	classifying workflows.Beside      // guardians' replies still being classified
	replies     map[string]*sentReply // by ReplyID: a reply sent again is the same reply
	answered    map[string]bool       // lessons a reply taken covers
	started     time.Time             // when the process started: ReachBy counts from here
	// earlier is how many notices earlier runs of this day wrote: a day that closed opens again
	// for an absence registered after it, and its notices go on from there.
	earlier  int
	checking bool // the reach check is waiting for the cut-off or its task
	// reachedGuardian: a notice of absence (not a correction) reached a guardian on a channel
	// they chose; replied: a guardian answered the day's notice.
	reachedGuardian, replied bool
}

func (d *absenceDay) run(ctx workflow.Context) (AbsenceDayState, error) {
	missed := workflow.GetSignalChannel(ctx, SignalLessonMissed)
	attended := workflow.GetSignalChannel(ctx, SignalLessonAttended)
	drain := func() {
		for {
			var m LessonMissed
			if !missed.ReceiveAsync(&m) {
				break
			}
			d.missed(m.LessonID)
		}
		for {
			var a LessonAttended
			if !attended.ReceiveAsync(&a) {
				break
			}
			d.attended(a.LessonID)
		}
	}
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			sel := workflow.NewSelector(ctx)
			sel.AddReceive(missed, func(c workflow.ReceiveChannel, _ bool) {
				var m LessonMissed
				c.Receive(ctx, &m)
				d.missed(m.LessonID)
			})
			sel.AddReceive(attended, func(c workflow.ReceiveChannel, _ bool) {
				var a LessonAttended
				c.Receive(ctx, &a)
				d.attended(a.LessonID)
			})
			sel.Select(ctx)
		}
	})

	news := func() bool { return len(d.state.Pending) > 0 || len(d.state.Corrected) > 0 }
	d.started = workflow.Now(ctx)
	var err error
	if d.earlier, err = NoticesSoFarActivity.Local(ctx, workflow.GetInfo(ctx).WorkflowExecution.ID); err != nil {
		return d.state, err
	}
	closesAt := d.started.Add(d.in.DayLength)
	for {
		open := closesAt.Sub(workflow.Now(ctx))
		if open <= 0 {
			open = 0
		}
		something, err := workflows.AwaitWithTimeout(ctx, open, news)
		if err != nil {
			return d.state, err
		}
		if !something {
			break
		}
		// Collect lessons missed shortly after, so the guardians get one message; a correction
		// within the window means the absence is never told at all.
		if err := workflow.Sleep(ctx, d.in.NoticeWindow); err != nil {
			return d.state, err
		}
		if err := d.tell(ctx); err != nil {
			return d.state, err
		}
	}
	// Signals that arrived with the closing timer must not be lost.
	drain()
	if news() {
		if err := d.tell(ctx); err != nil {
			return d.state, err
		}
	}
	// The day's messages, replies and their classification finish before the process ends.
	err = workflows.Finish(ctx, d.sending.Idle, d.classifying.Idle, func() bool { return !d.checking }, d.tasks.Settled)
	return d.state, err
}

func (d *absenceDay) missed(lesson string) {
	switch d.lessons[lesson] {
	case lessonPending, lessonNotified:
		return // registered again: counted once
	}
	if lesson == "" {
		return
	}
	d.lessons[lesson] = lessonPending
	d.state.Pending = append(d.state.Pending, lesson)
	d.state.Corrected = remove(d.state.Corrected, lesson)
}

func (d *absenceDay) attended(lesson string) {
	switch d.lessons[lesson] {
	case lessonPending:
		d.state.Pending = remove(d.state.Pending, lesson) // corrected before anyone was told
	case lessonNotified:
		d.state.Corrected = append(d.state.Corrected, lesson)
	default:
		return
	}
	d.lessons[lesson] = lessonAttended
}

// tell writes what is news, a notice of missed lessons and a correction of told ones, and
// sends each to every custodial guardian through the channels that guardian chose.
func (d *absenceDay) tell(ctx workflow.Context) error {
	if len(d.state.Pending) > 0 {
		lessons := append([]string(nil), d.state.Pending...)
		err := d.notice(ctx, lessons, false, func() {
			for _, l := range lessons {
				d.lessons[l] = lessonNotified
			}
			// Lessons missed while the notice was being written wait for the next one.
			d.state.Pending = d.state.Pending[len(lessons):]
		})
		if err != nil {
			return err
		}
	}
	if len(d.state.Corrected) > 0 {
		lessons := append([]string(nil), d.state.Corrected...)
		err := d.notice(ctx, lessons, true, func() { d.state.Corrected = d.state.Corrected[len(lessons):] })
		if err != nil {
			return err
		}
	}
	return nil
}

// notice records a notice of lessons and tells the guardians; stored runs as soon as the notice
// is on record, so the state never shows a lesson both pending and in a notice.
func (d *absenceDay) notice(ctx workflow.Context, lessons []string, correction bool, stored func()) error {
	notice := AbsenceNotice{
		ProcessID:  workflow.GetInfo(ctx).WorkflowExecution.ID,
		Sequence:   d.earlier + len(d.state.Notices) + 1,
		StudentID:  d.in.StudentID,
		Day:        d.in.Day,
		LessonIDs:  lessons,
		Correction: correction,
	}
	if _, err := StoreAbsenceNoticeActivity.Local(ctx, notice); err != nil {
		return err
	}
	d.state.Notices = append(d.state.Notices, notice)
	stored()
	if len(d.state.Notices) == 1 { // this run's first notice
		d.checking = true
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer func() { d.checking = false }()
			d.checkReach(ctx)
		})
	}
	guardians, err := CustodialGuardiansActivity.Local(ctx, d.in.StudentID)
	if err != nil {
		return err
	}
	purpose := NoticePurpose(correction, notice.Sequence)
	// Each guardian is told on their own: nothing about one reaches another. Deliveries run beside
	// the day, which goes on collecting; it waits for them before it ends.
	for _, g := range guardians {
		req := workflows.NotifyRequest{
			ProcessID: notice.ProcessID, Recipient: g, Purpose: purpose, Occasion: fmt.Sprint(notice.Sequence),
			Params: map[string]string{"pupil": d.in.StudentID, "day": d.in.Day, "lessons": strings.Join(lessons, ",")},
		}
		d.sending.Go(ctx, func(ctx workflow.Context) {
			report, err := workflows.NotifyEach(ctx, req, d.in.DeliveryDeadline, func(string) {
				d.reachedGuardian = d.reachedGuardian || !correction
			})
			if err == nil {
				d.state.Reports = append(d.state.Reports, report)
				// A guardian who chose no channel but the app has it in the inbox.
				d.reachedGuardian = d.reachedGuardian || (!correction && report.Reached())
			}
		})
	}
	return nil
}

func remove(list []string, s string) []string {
	out := list[:0:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}
