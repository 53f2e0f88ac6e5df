package leave

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/collect"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// Store holds the area's SQL: the applications (leave_applications) and the schools'
// delegations (leave_delegations). The reason a guardian gives stays here; the process gets ids.
type Store struct{ DB *pgxpool.Pool }

// Application is an application as the record keeps it, as one viewer may see it.
type Application struct {
	ID            string     `json:"id" db:"id"`
	PupilID       string     `json:"pupilId" db:"pupil_id"`
	AppliedBy     *string    `json:"appliedBy" db:"applied_by"` // null when the viewer may not know who applied
	SchoolID      string     `json:"schoolId" db:"school_id"`
	From          string     `json:"from" db:"first_day"`
	To            string     `json:"to" db:"last_day"`
	SchoolDays    int        `json:"schoolDays" db:"school_days"`
	Reason        *string    `json:"reason" db:"reason"` // null, as appliedBy
	Status        Status     `json:"status" db:"status"`
	MentorOpinion *string    `json:"mentorOpinion" db:"mentor_opinion"`
	DecidedBy     *string    `json:"decidedBy" db:"decided_by"` // null, as appliedBy
	DecidedAt     *time.Time `json:"decidedAt" db:"decided_at"`
	// DecisionReason is the decider's reasons, null when none were given, and, as reason, when
	// the viewer may not know who applied: reasons often speak of what the applicant wrote.
	DecisionReason *string   `json:"decisionReason" db:"decision_reason"`
	CreatedAt      time.Time `json:"createdAt" db:"created_at"`
	ProcessID      string    `json:"processId" db:"process_id"`
}

// NewApplication is what a guardian applies for.
type NewApplication struct {
	ID, PupilID, AppliedBy string
	First, Last            string // YYYY-MM-DD
	SchoolDays             int
	Reason                 string
}

// Apply records an application in one transaction and answers the school unit that decides it:
// the one the pupil is enrolled at today. Errors: errs.Conflict when the pupil is enrolled
// nowhere, or already has live leave on one of the days (two short applications must not pass
// a decision that is the principal's).
func (s Store) Apply(ctx context.Context, a NewApplication) (school string, err error) {
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT e.enroled_at::text FROM enrolments e WHERE e.person_id = $1 AND `+register.Active("e")+`
			ORDER BY e.start_date DESC LIMIT 1`, a.PupilID).Scan(&school)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.E(errs.Conflict, errs.Msg("The child is not enrolled at a school today, so there is no one to decide on leave."))
		}
		if err != nil {
			return err
		}
		var overlaps bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM leave_applications WHERE person_id = $1
			AND status = ANY($4) AND first_day <= $3 AND last_day >= $2)`, a.PupilID, a.First, a.Last, Live).Scan(&overlaps); err != nil {
			return err
		}
		if overlaps {
			return errs.E(errs.Conflict, errs.Msg("The child already has leave applied for or granted on some of these days."))
		}
		_, err = tx.Exec(ctx, `INSERT INTO leave_applications (id, person_id, applied_by, school_id, first_day, last_day, school_days, reason)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, a.ID, a.PupilID, a.AppliedBy, school, a.First, a.Last, a.SchoolDays, a.Reason)
		if errs.Unique(err) {
			return errs.E(errs.Conflict, errs.Msg("An application for the same days is already open."))
		}
		return err
	})
	return school, err
}

// Withdraw removes an application whose process never started.
func (s Store) Withdraw(ctx context.Context, id string) error {
	_, err := s.DB.Exec(ctx, `DELETE FROM leave_applications WHERE id = $1`, id)
	return err
}

// Applications answers a pupil's applications, newest first, as viewer sees them: who applied,
// and why, only when the applicant has no protection marking, or the viewer is the applicant
// or has staff need to know (the reason may say where the applicant is); the decider's reasons
// likewise, since they answer the applicant's; and who decided likewise, by the decider.
func (s Store) Applications(ctx context.Context, pupil, viewer string, staffNeedToKnow bool) ([]Application, error) {
	return collect.All[Application](ctx, s.DB, applicationSelect+` WHERE la.person_id = $1 ORDER BY la.first_day DESC, la.created_at DESC`,
		pupil, staffNeedToKnow, viewer)
}

// Application answers one application as viewer, its applicant, sees it.
func (s Store) Application(ctx context.Context, id, viewer string) (Application, error) {
	rows, err := s.DB.Query(ctx, applicationSelect+` WHERE la.id = $1`, id, false, viewer)
	if err != nil {
		return Application{}, err
	}
	return pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Application])
}

// applicationSelect reads applications: $2 is whether the viewer has staff need to know, $3 the
// viewer, who always sees themselves.
var applicationSelect = `SELECT la.id::text AS id, la.person_id::text AS pupil_id,
	  CASE WHEN applicant.seen THEN la.applied_by::text END AS applied_by, la.school_id::text AS school_id,
	  la.first_day::text AS first_day, la.last_day::text AS last_day, la.school_days,
	  CASE WHEN applicant.seen THEN la.reason END AS reason, la.status, la.mentor_opinion,
	  CASE WHEN decider.seen THEN la.decided_by::text END AS decided_by, la.decided_at,
	  CASE WHEN applicant.seen THEN la.decision_reason END AS decision_reason, la.created_at,
	  'leave:' || la.id::text AS process_id
	FROM leave_applications la JOIN persons ap ON ap.id = la.applied_by LEFT JOIN persons dp ON dp.id = la.decided_by,
	  LATERAL (SELECT ` + register.Unprotected("ap") + ` OR $2::boolean OR la.applied_by = $3::uuid AS seen) applicant,
	  LATERAL (SELECT ` + register.Unprotected("dp") + ` OR $2::boolean OR la.decided_by = $3::uuid AS seen) decider`

// ApplicantProtected reports whether the applicant of an application has a protection marking.
func (s Store) ApplicantProtected(ctx context.Context, application string) (bool, error) {
	var protected bool
	err := s.DB.QueryRow(ctx, `SELECT NOT `+register.Unprotected("p")+` FROM leave_applications la
		JOIN persons p ON p.id = la.applied_by WHERE la.id = $1`, application).Scan(&protected)
	return protected, err
}

// MentorMaxDays answers how many school days of leave the school's mentors decide on; 0, the
// default, is none.
func (s Store) MentorMaxDays(ctx context.Context, school string) (int, error) {
	var days int
	err := s.DB.QueryRow(ctx, `SELECT coalesce((SELECT mentor_max_days FROM leave_delegations WHERE school_id = $1), 0)`,
		school).Scan(&days)
	return days, err
}

// SetMentorMaxDays records the principal's delegation (delegation enligt skollagen 2 kap. 10 §).
func (s Store) SetMentorMaxDays(ctx context.Context, school string, days int, by string) error {
	_, err := s.DB.Exec(ctx, `INSERT INTO leave_delegations (school_id, mentor_max_days, set_by) VALUES ($1, $2, $3)
		ON CONFLICT (school_id) DO UPDATE SET mentor_max_days = EXCLUDED.mentor_max_days, set_by = EXCLUDED.set_by, set_at = now()`,
		school, days, by)
	return err
}

// AdjoiningDays answers the school days of the pupil's live leave that runs on from the
// application, either side, with at most a weekend between (AdjoiningGap), and so on along the chain.
func (s Store) AdjoiningDays(ctx context.Context, pupil, application string) (int, error) {
	var days int
	err := s.DB.QueryRow(ctx, `WITH RECURSIVE chain AS (
		  SELECT id, first_day, last_day FROM leave_applications WHERE id = $1
		  UNION
		  SELECT o.id, o.first_day, o.last_day FROM leave_applications o JOIN chain c
		    ON o.person_id = $2 AND o.status = ANY($3)
		   AND o.first_day <= c.last_day + $4::int AND o.last_day >= c.first_day - $4::int
		) SELECT coalesce(sum(school_days), 0)::int FROM leave_applications
		  WHERE id IN (SELECT id FROM chain) AND id <> $1`, application, pupil, Live, AdjoiningGap).Scan(&days)
	return days, err
}

// Record records a step of an application. Granted leave becomes valid absence (Beviljad
// ledighet) for the whole period: teachers see it filled in in the register, and lessons of the
// period already registered as invalid absence become valid. Idempotent: the absence record is
// keyed by the application, and a second run finds nothing left to move. An application not on
// record is an error: a process never acts without it.
func (s Store) Record(ctx context.Context, r StatusRecord) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE leave_applications SET status = $2, mentor_opinion = nullif($3, ''),
			  decided_by = nullif($4, '')::uuid, decided_at = CASE WHEN $4 = '' THEN NULL ELSE $5::timestamptz END,
			  decision_reason = nullif($6, '')
			WHERE id = $1`, r.ApplicationID, r.Status, r.Opinion, r.DecidedBy, r.At, r.Reason)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return errors.New("the leave application is not on record")
		}
		if r.Status != Granted {
			return nil
		}
		_, err = tx.Exec(ctx, `INSERT INTO absence_reports (id, person_id, reported_by, start_time, end_time, absence_type)
			SELECT id, person_id, applied_by, first_day::timestamp AT TIME ZONE 'Europe/Stockholm',
			  (last_day + 1)::timestamp AT TIME ZONE 'Europe/Stockholm', $2
			FROM leave_applications WHERE id = $1
			ON CONFLICT (id) DO NOTHING`, r.ApplicationID, register.GrantedLeave)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE attendance a SET valid_absence_minutes = a.valid_absence_minutes + a.invalid_absence_minutes,
			  invalid_absence_minutes = 0
			FROM absence_reports r, lessons l
			WHERE r.id = $1 AND a.person_id = r.person_id AND l.id = a.lesson_id
			  AND l.start_time < r.end_time AND l.end_time > r.start_time AND a.invalid_absence_minutes > 0`, r.ApplicationID)
		return err
	})
}
