package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/internal/errs"
)

type absenceHandlers struct{ Deps }

// AbsenceReport is a teacher's report that the pupil in the path missed a lesson without a
// known reason.
type AbsenceReport struct {
	Day      string `json:"day"`
	LessonID string `json:"lessonId"`
}

// report starts the pupil's absence day, or adds the lesson to the one already running
// (signal-with-start on the business key), and answers 202 with where to follow it.
func (h absenceHandlers) report(c *gin.Context) {
	const op = "absence.report"
	var in AbsenceReport
	bad, err := Bind(c, &in)
	if err != nil {
		Abort(c, err)
		return
	}
	student := c.Param("personId")
	bad.Date("day", in.Day)
	bad.UUID("lessonId", in.LessonID)
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	if err := h.checkMissedLesson(c, student, in, &bad); err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	id, err := absence.ReportLessonMissed(c, h.Temporal, h.TaskQueue, h.Timings.AbsenceDay(student, in.Day),
		absence.LessonMissed{LessonID: in.LessonID})
	if err != nil {
		Abort(c, errs.E(op, errs.Unavailable, errs.Msg("The process engine is unavailable; try again."), err))
		return
	}
	c.JSON(http.StatusAccepted, gin.H{
		"processId": id,
		"statusUrl": "/api/v1/persons/" + student + "/absence-days/" + in.Day,
	})
}

// checkMissedLesson adds a problem unless the report matches the register: the lesson exists
// and is of a group the pupil is in on its day, the day is the lesson's (in the schools' time
// zone), the lesson has started, and the register does not record the pupil as attended
// (present or late). A lesson that does not exist and one of another group get the same answer.
func (h absenceHandlers) checkMissedLesson(c *gin.Context, student string, in AbsenceReport, bad *Fields) error {
	var day string
	var member, started bool
	var status *string
	err := h.DB.QueryRow(c, `SELECT (l.start_time AT TIME ZONE 'Europe/Stockholm')::date::text,
		  EXISTS (SELECT 1 FROM group_memberships m WHERE m.group_id = l.group_id AND m.person_id = $2
		          AND m.start_date <= (l.start_time AT TIME ZONE 'Europe/Stockholm')::date
		          AND (m.end_date IS NULL OR m.end_date >= (l.start_time AT TIME ZONE 'Europe/Stockholm')::date)),
		  l.start_time <= now(),
		  (SELECT a.status FROM attendance a WHERE a.lesson_id = l.id AND a.person_id = $2)
		FROM lessons l WHERE l.id = $1`, in.LessonID, student).Scan(&day, &member, &started, &status)
	switch {
	case errors.Is(err, pgx.ErrNoRows), err == nil && !member:
		bad.Add("lessonId", "is not a lesson of the pupil's groups")
	case err != nil:
		return err
	case day != in.Day:
		bad.Add("day", "is not the lesson's day ("+day+")")
	case !started:
		bad.Add("lessonId", "has not started: a pupil is reported absent from a lesson once it has begun")
	case status != nil && *status != "absent":
		bad.Add("lessonId", "is registered with the pupil "+*status+"; correct the register instead")
	}
	return nil
}

// AbsenceDayView is a pupil's absence day: the notices on record, and the lessons still being
// collected for the next one.
type AbsenceDayView struct {
	ProcessID        string             `json:"processId"`
	Open             bool               `json:"open"`
	PendingLessonIDs []string           `json:"pendingLessonIds"`
	Notices          []AbsenceNoticeOut `json:"notices"`
}

// AbsenceNoticeOut is one stored notice.
type AbsenceNoticeOut struct {
	Sequence  int       `json:"sequence"`
	LessonIDs []string  `json:"lessonIds"`
	CreatedAt time.Time `json:"createdAt"`
}

// day answers the pupil's absence day. The notices come from PostgreSQL, which owns the record;
// the pending lessons come from the running process, which owns its state.
func (h absenceHandlers) day(c *gin.Context) {
	const op = "absence.day"
	studentID, day := c.Param("personId"), c.Param("day")
	var bad Fields
	bad.Date("day", day)
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	id := absence.AbsenceDayID(studentID, day)
	rows, err := h.DB.Query(c, `
		SELECT sequence, lesson_ids::text[], created_at FROM absence_notices
		WHERE process_id = $1 ORDER BY sequence`, id)
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	notices, err := pgx.CollectRows(rows, pgx.RowToStructByPos[AbsenceNoticeOut])
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	view := AbsenceDayView{ProcessID: id, PendingLessonIDs: []string{}, Notices: notices}

	desc, err := h.Temporal.DescribeWorkflowExecution(c, id, "")
	var notFound *serviceerror.NotFound
	switch {
	case errors.As(err, &notFound):
		if len(notices) == 0 {
			Abort(c, errs.E(op, errs.NotFound, errs.Msg("No absence is recorded for this pupil and day.")))
			return
		}
	case err != nil:
		Abort(c, errs.E(op, errs.Unavailable, errs.Msg("The process engine is unavailable; try again."), err))
		return
	case desc.WorkflowExecutionInfo.Status == enums.WORKFLOW_EXECUTION_STATUS_RUNNING:
		view.Open = true
		// A process whose worker is gone must not hold the request for ever.
		qctx, cancel := context.WithTimeout(c, 10*time.Second)
		defer cancel()
		val, err := h.Temporal.QueryWorkflow(qctx, id, "", absence.QueryAbsenceDay)
		if err != nil {
			Abort(c, errs.E(op, errs.Unavailable, errs.Msg("The process engine is unavailable; try again."), err))
			return
		}
		var state absence.AbsenceDayState
		if err := val.Get(&state); err != nil {
			Abort(c, errs.E(op, err))
			return
		}
		view.PendingLessonIDs = append(view.PendingLessonIDs, state.Pending...)
	}
	c.JSON(http.StatusOK, view)
}
