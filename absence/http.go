package absence

import (
	"context"
	"net/http"
	"regexp"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/enums/v1"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// The area's HTTP handlers: bind, check what the request itself can tell, call the Store or the
// process, respond. Who may call each is decided before, by the area's policy.csv.

type handlers struct {
	env   area.Env
	store Store
}

// engineUnavailable is what a caller is told when Temporal does not answer.
const engineUnavailable = "The process engine is unavailable; try again."

// AbsenceReport is a teacher's report that the pupil in the path missed a lesson without a
// known reason.
type AbsenceReport struct {
	Day      string `json:"day"`
	LessonID string `json:"lessonId"`
}

// report starts the pupil's absence day, or adds the lesson to the one already running
// (signal-with-start on the business key), and answers 202 with where to follow it. The report
// must match the register (MissedLessonProblem).
func (h handlers) report(c *gin.Context) {
	const op = "absence.report"
	var in AbsenceReport
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	student := c.Param("personId")
	bad.Date("day", in.Day)
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	lesson, found, err := h.store.MissedLesson(c, in.LessonID, student)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if field, detail := MissedLessonProblem(lesson, found, in.Day); field != "" {
		bad.Add(field, detail)
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	id, err := ReportLessonMissed(c, h.env.Temporal, h.env.TaskQueue, DayInput(h.env.Config)(student, in.Day),
		LessonMissed{LessonID: in.LessonID})
	if err != nil {
		api.Abort(c, errs.E(op, errs.Unavailable, errs.Msg(engineUnavailable), err))
		return
	}
	c.JSON(http.StatusAccepted, gin.H{
		"processId": id,
		"statusUrl": "/api/v1/persons/" + student + "/absence-days/" + in.Day,
	})
}

// AbsenceDayView is a pupil's absence day: the notices on record, and the lessons still being
// collected for the next one; the lessons the notices told of, the guardians' replies with the
// mentor's classification, and whether a reply is taken now.
type AbsenceDayView struct {
	ProcessID        string             `json:"processId"`
	Open             bool               `json:"open"`
	PendingLessonIDs []string           `json:"pendingLessonIds"`
	Notices          []AbsenceNoticeOut `json:"notices"`
	Lessons          []NoticedLesson    `json:"lessons"`
	Replies          []ReplyOut         `json:"replies"`
	// Answerable: the day's process is open and a notice told of lessons that no reply covers.
	Answerable bool `json:"answerable"`
}

// day answers the pupil's absence day. The notices come from PostgreSQL, which owns the record;
// the pending lessons come from the running process, which owns its state.
func (h handlers) day(c *gin.Context) {
	const op = "absence.day"
	studentID, day := c.Param("personId"), c.Param("day")
	var bad api.Fields
	bad.Date("day", day)
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	id := AbsenceDayID(studentID, day)
	notices, err := h.store.Notices(c, id)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	view := AbsenceDayView{ProcessID: id, PendingLessonIDs: []string{}, Notices: notices}

	desc, err := h.env.Temporal.DescribeWorkflowExecution(c, id, "")
	switch {
	case errs.ProcessNotFound(err):
		if len(notices) == 0 {
			api.Abort(c, errs.E(op, errs.NotFound, errs.Msg("No absence is recorded for this pupil and day.")))
			return
		}
	case err != nil:
		api.Abort(c, errs.E(op, errs.Unavailable, errs.Msg(engineUnavailable), err))
		return
	case desc.WorkflowExecutionInfo.Status == enums.WORKFLOW_EXECUTION_STATUS_RUNNING:
		view.Open = true
		// A process whose worker is gone must not hold the request for ever.
		qctx, cancel := context.WithTimeout(c, 10*time.Second)
		defer cancel()
		val, err := h.env.Temporal.QueryWorkflow(qctx, id, "", QueryAbsenceDay)
		if err != nil {
			api.Abort(c, errs.E(op, errs.Unavailable, errs.Msg(engineUnavailable), err))
			return
		}
		var state AbsenceDayState
		if err := val.Get(&state); err != nil {
			api.Abort(c, errs.E(op, err))
			return
		}
		view.PendingLessonIDs = append(view.PendingLessonIDs, state.Pending...)
		view.Answerable = len(state.Unanswered) > 0
	}
	v := api.ViewerOf(c)
	if view.Lessons, err = h.store.NoticedLessons(c, id, studentID); err == nil {
		view.Replies, err = h.store.Replies(c, id, v.PersonID, v.StaffNeedToKnow)
	}
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, view)
}

// AbsenceReportInput is a custodial guardian's report that a child is, or will be, absent
// (sjukanmälan): whole days from From to To, or part of a day with FromTime and ToTime.
type AbsenceReportInput struct {
	From     string `json:"from"`               // YYYY-MM-DD
	To       string `json:"to"`                 // YYYY-MM-DD, the last day
	FromTime string `json:"fromTime,omitempty"` // HH:MM on From; whole day when empty
	ToTime   string `json:"toTime,omitempty"`   // HH:MM on To; whole day when empty
	Cause    string `json:"cause,omitempty"`    // CauseSick or CauseOther; "" for not said
}

var clock = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// reportAbsence records the report in one request and tells the child's other custodial
// guardians. The absence it covers is valid: teachers see it in the register already filled in.
func (h handlers) reportAbsence(c *gin.Context) {
	const op = "absence.reportByGuardian"
	var in AbsenceReportInput
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	bad.Date("from", in.From)
	bad.Date("to", in.To)
	if in.FromTime != "" && !clock.MatchString(in.FromTime) {
		bad.Add("fromTime", "must be a time of day as HH:MM")
	}
	if in.ToTime != "" && !clock.MatchString(in.ToTime) {
		bad.Add("toTime", "must be a time of day as HH:MM")
	}
	if in.Cause != "" && in.Cause != CauseSick && in.Cause != CauseOther {
		bad.Add("cause", "must be sick or other")
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	start, end := ReportedPeriod(in.From, in.FromTime, in.To, in.ToTime)
	if field, detail := PeriodProblem(start, end); field != "" {
		bad.Add(map[string]string{"start": "from", "end": "to"}[field], detail)
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	r := Report{PupilID: c.Param("personId"), ReportedBy: api.ViewerOf(c).PersonID, Start: start, End: end, Cause: in.Cause}
	r.ID = ReportID(r.PupilID, start, end)
	if err := FileReport(c, h.store, h.env, r); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	out := gin.H{"id": r.ID, "start": start, "end": end, "absenceType": register.ReportedAbsence}
	if r.Cause != "" {
		out["cause"] = r.Cause
	}
	c.JSON(http.StatusCreated, out)
}

// AbsenceReplyInput is a guardian's reason for the absence the day's notice told of.
type AbsenceReplyInput struct {
	Reason string `json:"reason"`
}

// reply stores the guardian's reason and hands the absence to the pupil's mentor to classify;
// the answer names the mentor's task. The reason is stored first and the process then takes the
// reply by the reason's id, so the process never holds a reply whose reason is not on record. If
// the process refuses the reply, the reason stored for it goes again. If its answer is lost (the
// engine unavailable), the reason stays: sending the reply again is the same reply (ReplyID),
// which the process takes once.
func (h handlers) reply(c *gin.Context) {
	const op = "absence.reply"
	var in AbsenceReplyInput
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	if in.Reason == "" {
		bad.Add("reason", "is required")
	}
	bad.Date("day", c.Param("day"))
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	pupil, guardian := c.Param("personId"), api.ViewerOf(c).PersonID
	process := AbsenceDayID(pupil, c.Param("day"))
	r := Reply{ID: ReplyID(process, guardian, in.Reason), ProcessID: process, PupilID: pupil, GuardianID: guardian, Reason: in.Reason}
	added, err := h.store.AddReply(c, r)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	var answer AbsenceReplyAnswer
	err = api.Update(c, h.env.Temporal, process, UpdateAbsenceReply, AbsenceReply{ReplyID: r.ID, By: guardian}, &answer)
	if k := errs.KindOf(err); err != nil && added && (k == errs.Conflict || k == errs.Invalid) {
		// Refused: the process does not hold the reply, so neither does the record.
		if derr := h.store.WithdrawReply(context.WithoutCancel(c), r.ID); derr != nil {
			api.Logger(c).Error("a refused reply's reason stays on record", zap.String("process", process), zap.Error(derr))
		}
	}
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, answer)
}

// investigations answers a school's absence investigations, newest first.
func (h handlers) investigations(c *gin.Context) {
	out, err := h.store.Investigations(c, c.Param("schoolId"))
	if err != nil {
		api.Abort(c, errs.E("absence.investigations", err))
		return
	}
	c.JSON(http.StatusOK, out)
}
