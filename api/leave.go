package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/workflows"
)

// Leave (ledighet, skollagen 7 kap. 18 §): a custodial guardian applies, the other guardians
// agree through their tasks, the mentor gives an opinion and the principal decides (see
// workflows/leave.go). The principal may delegate decisions on short leave to the mentors.

type leaveHandlers struct{ Deps }

// LeaveApplicationInput is a guardian's application: the first and last day of leave, and why.
type LeaveApplicationInput struct {
	From   string `json:"from"` // YYYY-MM-DD, the first day of leave
	To     string `json:"to"`   // YYYY-MM-DD, the last day of leave
	Reason string `json:"reason"`
}

// LeaveApplication is an application as the record keeps it.
type LeaveApplication struct {
	ID            string     `json:"id"`
	PupilID       string     `json:"pupilId"`
	AppliedBy     *string    `json:"appliedBy"` // null when the viewer may not know who applied
	SchoolID      string     `json:"schoolId"`
	From          string     `json:"from"`
	To            string     `json:"to"`
	SchoolDays    int        `json:"schoolDays"`
	Reason        *string    `json:"reason"` // null, as appliedBy
	Status        string     `json:"status"`
	MentorOpinion *string    `json:"mentorOpinion"`
	DecidedBy     *string    `json:"decidedBy"` // null, as appliedBy
	DecidedAt     *time.Time `json:"decidedAt"`
	CreatedAt     time.Time  `json:"createdAt"`
	ProcessID     string     `json:"processId"`
}

// maxLeaveDays bounds one application; a longer absence is not leave but a matter for the school.
const maxLeaveDays = 366

// apply records the application and starts its process: if the process cannot start, nothing
// stays recorded.
func (h leaveHandlers) apply(c *gin.Context) {
	const op = "leave.apply"
	var in LeaveApplicationInput
	bad, err := Bind(c, &in)
	if err != nil {
		Abort(c, err)
		return
	}
	bad.Date("from", in.From)
	bad.Date("to", in.To)
	if in.Reason == "" {
		bad.Add("reason", "is required")
	}
	bad.Text("reason", in.Reason, maxReason)
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	first, _ := time.ParseInLocation(time.DateOnly, in.From, register.SchoolDay)
	last, _ := time.ParseInLocation(time.DateOnly, in.To, register.SchoolDay)
	today := time.Now().In(register.SchoolDay).Format(time.DateOnly)
	switch {
	case last.Before(first):
		bad.Add("to", "is before from: leave ends on or after the day it starts")
	case in.From < today:
		bad.Add("from", "is in the past: apply before the leave starts")
	case last.Sub(first) >= maxLeaveDays*24*time.Hour:
		bad.Add("to", "is more than a year after from")
	case schoolDays(first, last) == 0:
		bad.Add("to", "the leave covers no school day")
	}
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}

	pupil, guardian := c.Param("personId"), ViewerOf(c).PersonID
	id := uuid.NewString()
	in.From, in.To = first.Format(time.DateOnly), last.Format(time.DateOnly)
	days := schoolDays(first, last)
	var school string
	err = pgx.BeginFunc(c, h.DB, func(tx pgx.Tx) error {
		err := tx.QueryRow(c, `SELECT e.enroled_at::text FROM enrolments e WHERE e.person_id = $1 AND `+register.Active("e")+`
			ORDER BY e.start_date DESC LIMIT 1`, pupil).Scan(&school)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.E(errs.Conflict, errs.Msg("The child is not enrolled at a school today, so there is no one to decide on leave."))
		}
		if err != nil {
			return err
		}
		// Leave that overlaps leave already applied for or granted is one matter: it would let two
		// short applications pass a decision that belongs to the principal.
		var overlaps bool
		if err := tx.QueryRow(c, `SELECT EXISTS (SELECT 1 FROM leave_applications WHERE person_id = $1
			AND status IN ('awaiting-guardians', 'awaiting-decision', 'granted') AND first_day <= $3 AND last_day >= $2)`,
			pupil, in.From, in.To).Scan(&overlaps); err != nil {
			return err
		}
		if overlaps {
			return errs.E(errs.Conflict, errs.Msg("The child already has leave applied for or granted on some of these days."))
		}
		_, err = tx.Exec(c, `INSERT INTO leave_applications (id, person_id, applied_by, school_id, first_day, last_day, school_days, reason)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, pupil, guardian, school, in.From, in.To, days, in.Reason)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" {
			return errs.E(errs.Conflict, errs.Msg("An application for the same days is already open."))
		}
		return err
	})
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	// The record is committed before the process starts, so the process always finds it. If the
	// start fails, and the process does not exist, the record goes again: nothing half-written.
	process := workflows.LeaveID(id)
	_, err = h.Temporal.ExecuteWorkflow(c, client.StartWorkflowOptions{ID: process, TaskQueue: h.TaskQueue},
		workflows.Leave, workflows.LeaveInput{ApplicationID: id, PupilID: pupil, AppliedBy: guardian, SchoolID: school,
			FirstDay: in.From, LastDay: in.To, SchoolDays: days, AnswerDue: h.Timings.LeaveAnswerDue,
			StepDue: h.Timings.LeaveStepDue, DeliveryDeadline: h.Timings.DeliveryDeadline})
	if err != nil {
		ctx := context.WithoutCancel(c)
		if _, derr := h.Temporal.DescribeWorkflowExecution(ctx, process, ""); derr == nil {
			err = nil // it started; only the answer was lost
		} else if _, derr := h.DB.Exec(ctx, `DELETE FROM leave_applications WHERE id = $1`, id); derr != nil {
			h.Log.Error("a leave application without its process", zap.String("process", process), zap.Error(derr))
		}
	}
	if err != nil {
		Abort(c, errs.E(op, errs.Unavailable, errs.Msg("The application could not be started; nothing was saved. Send it again."), err))
		return
	}
	h.respondOne(c, op, id, http.StatusCreated)
}

// list answers a pupil's leave applications, newest first. Who applied, and why, is not shown
// to the child's other guardian when the applicant has a protection marking: the reason may say
// where they are. Nor is who decided, when the decider has one.
func (h leaveHandlers) list(c *gin.Context) {
	v := ViewerOf(c)
	rows, err := h.DB.Query(c, leaveSelect+` WHERE la.person_id = $1 ORDER BY la.first_day DESC, la.created_at DESC`,
		c.Param("personId"), v.StaffNeedToKnow, v.PersonID)
	respondRows[LeaveApplication](c, "leave.list", rows, err)
}

// leaveSelect reads applications; $2 is whether the viewer has staff need to know (and so may
// see every applicant and decider), $3 the viewer, who always sees themselves.
const leaveSelect = `SELECT la.id::text, la.person_id::text, CASE WHEN applicant.seen THEN la.applied_by::text END, la.school_id::text,
	  la.first_day::text, la.last_day::text, la.school_days, CASE WHEN applicant.seen THEN la.reason END, la.status, la.mentor_opinion,
	  CASE WHEN decider.seen THEN la.decided_by::text END, la.decided_at, la.created_at, 'leave:' || la.id::text
	FROM leave_applications la JOIN persons ap ON ap.id = la.applied_by LEFT JOIN persons dp ON dp.id = la.decided_by,
	  LATERAL (SELECT ap.security_marking = 'Ingen' OR $2::boolean OR la.applied_by = $3::uuid AS seen) applicant,
	  LATERAL (SELECT dp.security_marking = 'Ingen' OR $2::boolean OR la.decided_by = $3::uuid AS seen) decider`

func (h leaveHandlers) respondOne(c *gin.Context, op, id string, status int) {
	rows, err := h.DB.Query(c, leaveSelect+` WHERE la.id = $1`, id, false, ViewerOf(c).PersonID)
	out, err := many[LeaveApplication](rows, err)
	if err != nil || len(out) != 1 {
		Abort(c, errs.E(op, errors.Join(err, errors.New("leave application not found after writing it"))))
		return
	}
	c.JSON(status, out[0])
}

// schoolDays counts the weekdays from first to last, both included: the days of school the
// leave takes. (Holidays in between are counted; the school's calendar is not in the register.)
func schoolDays(first, last time.Time) int {
	n := 0
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			n++
		}
	}
	return n
}

// LeaveDelegation is the principal's delegation of leave decisions to the mentors.
type LeaveDelegation struct {
	MentorMaxDays int `json:"mentorMaxDays" required:"true"` // 0 to 10 school days; 0: the principal decides all leave
}

// delegation answers the school's delegation.
func (h leaveHandlers) delegation(c *gin.Context) {
	var d LeaveDelegation
	err := h.DB.QueryRow(c, `SELECT coalesce((SELECT mentor_max_days FROM leave_delegations WHERE school_id = $1), 0)`,
		c.Param("schoolId")).Scan(&d.MentorMaxDays)
	if err != nil {
		Abort(c, errs.E("leave.delegation", err))
		return
	}
	c.JSON(http.StatusOK, d)
}

// setDelegation sets how many school days of leave the mentors may decide on. Applications
// already waiting for a decision keep the decider they have.
func (h leaveHandlers) setDelegation(c *gin.Context) {
	const op = "leave.setDelegation"
	var d LeaveDelegation
	bad, err := Bind(c, &d)
	if err != nil {
		Abort(c, err)
		return
	}
	if d.MentorMaxDays < 0 || d.MentorMaxDays > workflows.MaxDelegatedLeaveDays {
		bad.Add("mentorMaxDays", "must be from 0 to 10: leave of more than ten school days is always the principal's decision")
	}
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	if _, err := h.DB.Exec(c, `INSERT INTO leave_delegations (school_id, mentor_max_days, set_by) VALUES ($1, $2, $3)
		ON CONFLICT (school_id) DO UPDATE SET mentor_max_days = EXCLUDED.mentor_max_days, set_by = EXCLUDED.set_by, set_at = now()`,
		c.Param("schoolId"), d.MentorMaxDays, ViewerOf(c).PersonID); err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, d)
}
