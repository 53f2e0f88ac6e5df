package api

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// AbsenceReportInput is a custodial guardian's report that a child is, or will be, absent
// (sjukanmälan): whole days from From to To, or part of a day with FromTime and ToTime.
type AbsenceReportInput struct {
	From     string `json:"from"`               // YYYY-MM-DD
	To       string `json:"to"`                 // YYYY-MM-DD, the last day
	FromTime string `json:"fromTime,omitempty"` // HH:MM on From; whole day when empty
	ToTime   string `json:"toTime,omitempty"`   // HH:MM on To; whole day when empty
}

var clock = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// reportNamespace derives a report's id from what it says, so sending it twice is one report.
var reportNamespace = uuid.MustParse("c4e8a2f1-7b3d-4a59-8e21-6f0d9b3c5a77")

// reportAbsence records the report in one request and tells the child's other custodial
// guardians. The absence it covers is valid: teachers see it in the register already filled in.
func (h absenceHandlers) reportAbsence(c *gin.Context) {
	const op = "absence.reportByGuardian"
	var in AbsenceReportInput
	bad, err := Bind(c, &in)
	if err != nil {
		Abort(c, err)
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
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	start := at(in.From, in.FromTime, "00:00")
	end := at(in.To, in.ToTime, "24:00")
	today := time.Now().In(register.SchoolDay).Format(time.DateOnly)
	switch {
	case !end.After(start):
		bad.Add("to", "is not after from")
	case in.From < today:
		bad.Add("from", "is in the past: report today's or coming days' absence")
	case end.Sub(start) > 31*24*time.Hour:
		bad.Add("to", "is more than 31 days after from; longer absence is leave, applied for separately")
	}
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	pupil, guardian := c.Param("personId"), ViewerOf(c).PersonID
	id := uuid.NewSHA1(reportNamespace, []byte(pupil+"|"+start.Format(time.RFC3339)+"|"+end.Format(time.RFC3339))).String()
	if _, err := h.DB.Exec(c, `INSERT INTO absence_reports (id, person_id, reported_by, start_time, end_time)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`, id, pupil, guardian, start, end); err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	_, err = h.Temporal.ExecuteWorkflow(c, client.StartWorkflowOptions{ID: absence.AbsenceReportID(id), TaskQueue: h.TaskQueue},
		absence.AbsenceReported, absence.AbsenceReportInput{ReportID: id, PupilID: pupil, ReportedBy: guardian,
			From: start, To: end, DeliveryDeadline: h.Timings.DeliveryDeadline})
	if err != nil && !errors.As(err, new(*serviceerror.WorkflowExecutionAlreadyStarted)) {
		Abort(c, errs.E(op, errs.Unavailable, errs.Msg("The report is saved, but the other guardians could not be told; send it again."), err))
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": id, "start": start, "end": end, "absenceType": register.ReportedAbsence})
}

// at is the moment of date at the clock time (or def) in the schools' time zone.
func at(date, clockTime, def string) time.Time {
	if clockTime == "" {
		clockTime = def
	}
	d, _ := time.ParseInLocation(time.DateOnly, date, register.SchoolDay)
	if clockTime == "24:00" {
		return d.AddDate(0, 0, 1)
	}
	t, _ := time.Parse("15:04", clockTime)
	return time.Date(d.Year(), d.Month(), d.Day(), t.Hour(), t.Minute(), 0, 0, register.SchoolDay)
}

// AbsenceReplyInput is a guardian's reason for the absence the day's notice told of.
type AbsenceReplyInput struct {
	Reason string `json:"reason"`
}

// replyNamespace derives a reply's id from the process, the guardian and the reason, so that
// sending the same reply again is the same reply.
var replyNamespace = uuid.MustParse("9b1d4e27-3c85-4f0a-b6e2-71a8d05c4f93")

// reply stores the guardian's reason and hands the absence to the pupil's mentor to classify;
// the answer names the mentor's task. The reason is stored first and the process then takes the
// reply by the reason's id, so the process never holds a reply whose reason is not on record. If
// the process refuses the reply, the reason stored for it goes again. If its answer is lost (the
// engine unavailable), the reason stays: sending the reply again is the same reply, which the
// process takes once.
func (h absenceHandlers) reply(c *gin.Context) {
	const op = "absence.reply"
	var in AbsenceReplyInput
	bad, err := Bind(c, &in)
	if err != nil {
		Abort(c, err)
		return
	}
	if in.Reason == "" {
		bad.Add("reason", "is required")
	}
	bad.Text("reason", in.Reason, maxReason)
	bad.Date("day", c.Param("day"))
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	pupil, guardian := c.Param("personId"), ViewerOf(c).PersonID
	process := absence.AbsenceDayID(pupil, c.Param("day"))
	id := uuid.NewSHA1(replyNamespace, []byte(process+"\x00"+guardian+"\x00"+in.Reason)).String()
	tag, err := h.DB.Exec(c, `INSERT INTO absence_replies (id, process_id, person_id, guardian_id, reason) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO NOTHING`, id, process, pupil, guardian, in.Reason)
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	var answer absence.AbsenceReplyAnswer
	err = (taskHandlers{h.Deps}).update(c, process, absence.UpdateAbsenceReply,
		absence.AbsenceReply{ReplyID: id, By: guardian}, &answer)
	if k := errs.KindOf(err); err != nil && tag.RowsAffected() == 1 && (k == errs.Conflict || k == errs.Invalid) {
		// Refused: the process does not hold the reply, so neither does the record.
		if _, derr := h.DB.Exec(context.WithoutCancel(c), `DELETE FROM absence_replies WHERE id = $1`, id); derr != nil {
			logger(c).Error("a refused reply's reason stays on record", zap.String("process", process), zap.Error(derr))
		}
	}
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, answer)
}
