package activities

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/workflows"
)

// LeaveParties answers who takes part in a pupil's leave application at a school: the custodial
// guardians, the mentors, how many school days the principal has delegated to mentors, and the
// school days of the pupil's other leave that adjoins the application.
func (a *Activities) LeaveParties(ctx context.Context, pupil, school, application string) (workflows.LeaveParties, error) {
	var p workflows.LeaveParties
	guardians, err := a.CustodialGuardians(ctx, pupil)
	if err != nil {
		return p, err
	}
	contacts, err := a.PupilContacts(ctx, pupil)
	if err != nil {
		return p, err
	}
	p.Guardians, p.Mentors = guardians, contacts.Mentors
	err = a.DB.QueryRow(ctx, `SELECT coalesce((SELECT mentor_max_days FROM leave_delegations WHERE school_id = $1), 0)`, school).
		Scan(&p.MentorMaxDays)
	if err != nil {
		return p, err
	}
	// Leave running on from this one, either side, with at most a weekend between, and so on
	// along the chain.
	err = a.DB.QueryRow(ctx, `WITH RECURSIVE chain AS (
		  SELECT id, first_day, last_day FROM leave_applications WHERE id = $1
		  UNION
		  SELECT o.id, o.first_day, o.last_day FROM leave_applications o JOIN chain c
		    ON o.person_id = $2 AND o.status IN ('awaiting-guardians', 'awaiting-decision', 'granted')
		   AND o.first_day <= c.last_day + 3 AND o.last_day >= c.first_day - 3
		) SELECT coalesce(sum(school_days), 0)::int FROM leave_applications
		  WHERE id IN (SELECT id FROM chain) AND id <> $1`, application, pupil).Scan(&p.AdjoiningDays)
	return p, permanent(err)
}

// RecordLeaveStatus records a step of a leave application. Granted leave becomes valid absence
// (Beviljad ledighet) for the whole period: teachers see it filled in in the register, and
// lessons of the period already registered as invalid absence become valid. Idempotent: the
// absence record is keyed by the application, and a second run finds nothing left to move.
func (a *Activities) RecordLeaveStatus(ctx context.Context, s workflows.LeaveStatus) error {
	return permanent(a.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE leave_applications SET status = $2, mentor_opinion = nullif($3, ''),
			  decided_by = nullif($4, '')::uuid, decided_at = CASE WHEN $4 = '' THEN NULL ELSE $5::timestamptz END
			WHERE id = $1`, s.ApplicationID, s.Status, s.Opinion, s.DecidedBy, s.At)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return errors.New("the leave application is not on record") // retried: a process never acts without it
		}
		if s.Status != workflows.LeaveGranted {
			return nil
		}
		_, err = tx.Exec(ctx, `INSERT INTO absence_reports (id, person_id, reported_by, start_time, end_time, absence_type)
			SELECT id, person_id, applied_by, first_day::timestamp AT TIME ZONE 'Europe/Stockholm',
			  (last_day + 1)::timestamp AT TIME ZONE 'Europe/Stockholm', 'Beviljad ledighet'
			FROM leave_applications WHERE id = $1
			ON CONFLICT (id) DO NOTHING`, s.ApplicationID)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE attendance a SET valid_absence_minutes = a.valid_absence_minutes + a.invalid_absence_minutes,
			  invalid_absence_minutes = 0
			FROM absence_reports r, lessons l
			WHERE r.id = $1 AND a.person_id = r.person_id AND l.id = a.lesson_id
			  AND l.start_time < r.end_time AND l.end_time > r.start_time AND a.invalid_absence_minutes > 0`, s.ApplicationID)
		return err
	}))
}
