package activities

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/workflows"
)

// LeaveParties answers who takes part in a pupil's leave application at a school: the custodial
// guardians, the mentors, and how many school days the principal has delegated to mentors.
func (a *Activities) LeaveParties(ctx context.Context, pupil, school string) (workflows.LeaveParties, error) {
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
	return p, permanent(err)
}

// RecordLeaveStatus records a step of a leave application. Granted leave becomes valid absence
// (Beviljad ledighet) for the whole period: teachers see it filled in in the register, and
// lessons of the period already registered as invalid absence become valid. Idempotent: the
// absence record is keyed by the application, and a second run finds nothing left to move.
func (a *Activities) RecordLeaveStatus(ctx context.Context, s workflows.LeaveStatus) error {
	return permanent(a.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE leave_applications SET status = $2, mentor_opinion = nullif($3, ''),
			  decided_by = nullif($4, '')::uuid, decided_at = CASE WHEN $4 = '' THEN NULL ELSE $5::timestamptz END
			WHERE id = $1`, s.ApplicationID, s.Status, s.Opinion, s.DecidedBy, s.At)
		if err != nil || s.Status != workflows.LeaveGranted {
			return err
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
