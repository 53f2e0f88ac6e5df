package grading

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/collect"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// The SQL of risks of a failing grade (grade_risks) and of corrections after publication (a new
// row of grades that replaces a final one). A final grade is never updated: the database
// refuses it (migrations/0019_grading.sql), and a grade is replaced at most once.

// Risk is a flagged risk of a failing grade as the record keeps it.
type Risk struct {
	ID        string    `json:"id" db:"id"`
	Period    string    `json:"period" db:"period_id"`
	Activity  string    `json:"activity" db:"activity_id"`
	Student   string    `json:"student" db:"student_id"`
	SchoolID  string    `json:"schoolId" db:"school_id"`
	FlaggedBy string    `json:"flaggedBy" db:"flagged_by"`
	FlaggedAt time.Time `json:"flaggedAt" db:"flagged_at"`
	ProcessID string    `json:"processId" db:"process_id"`
}

// NewRisk is a teacher's flag.
type NewRisk struct {
	ID, Activity, Period, Student, FlaggedBy string
}

// FlagRisk records a teacher's flag in one transaction and answers it, with created false when
// the same pupil was already flagged in the same activity and period: then nothing is written and
// the earlier flag is answered. Errors: errs.NotFound for an activity not on record;
// errs.Invalid naming period (not a period of the activity's school unit) and student (not a
// member of the activity's groups today); errs.Conflict for an activity that is not graded, or
// a period already published.
func (s Store) FlagRisk(ctx context.Context, r NewRisk) (risk Risk, created bool, err error) {
	const op = "grading.flagRisk"
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		var graded, member bool
		var sameSchool, published *bool
		err := tx.QueryRow(ctx, `SELECT a.graded, p.school_unit_id = a.organisation_id, p.published_at <= now(),
			  EXISTS (SELECT 1 FROM activity_groups ag JOIN group_memberships gm ON gm.group_id = ag.group_id
			    WHERE ag.activity_id = a.id AND gm.person_id = $3 AND `+register.Active("gm")+`)
			FROM activities a LEFT JOIN grading_periods p ON p.id = $2 WHERE a.id = $1`,
			r.Activity, r.Period, r.Student).Scan(&graded, &sameSchool, &published, &member)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.E(op, errs.NotFound, errs.Msg("There is no such resource."))
		}
		if err != nil {
			return err
		}
		var bad []errs.FieldError
		if sameSchool == nil || !*sameSchool {
			bad = append(bad, errs.FieldError{Field: "period", Detail: "is not a grading period of the activity's school unit"})
		}
		if !member {
			bad = append(bad, errs.FieldError{Field: "student", Detail: "is not a pupil of the activity's groups today"})
		}
		switch {
		case len(bad) > 0:
			return errs.E(op, errs.Invalid, errs.Msg("The request has invalid fields."), bad)
		case !graded:
			return errs.E(op, errs.Conflict, errs.Msg("The activity is not graded, so no pupil risks a failing grade in it."))
		case published != nil && *published:
			return errs.E(op, errs.Conflict, errs.Msg("The period's grades are published: a risk of a failing grade is flagged during the period."))
		}
		tag, err := tx.Exec(ctx, `INSERT INTO grade_risks (id, period_id, student_id, activity_id, flagged_by)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (period_id, student_id, activity_id) DO NOTHING`,
			r.ID, r.Period, r.Student, r.Activity, r.FlaggedBy)
		if err != nil {
			return err
		}
		created = tag.RowsAffected() == 1
		risk, err = collect.One[Risk](ctx, tx, riskSelect+` WHERE r.period_id = $1 AND r.student_id = $2 AND r.activity_id = $3`,
			r.Period, r.Student, r.Activity)
		return err
	})
	return risk, created, err
}

var riskSelect = `SELECT r.id::text AS id, r.period_id::text AS period_id, r.activity_id::text AS activity_id, r.student_id::text AS student_id,
	  a.organisation_id::text AS school_id, r.flagged_by::text AS flagged_by, r.flagged_at, 'grade-risk:' || r.id::text AS process_id
	FROM grade_risks r JOIN activities a ON a.id = r.activity_id`

// WithdrawRisk removes a flag whose process never started.
func (s Store) WithdrawRisk(ctx context.Context, id string) error {
	_, err := s.DB.Exec(ctx, `DELETE FROM grade_risks WHERE id = $1`, id)
	return err
}

// RiskParties answers the custodial guardians of the pupil, the organiser above the school unit
// ("" if none), and the subject or course of the activity as a guardian reads it.
func (s Store) RiskParties(ctx context.Context, q RiskQuery) (RiskParties, error) {
	var p RiskParties
	var err error
	if p.Guardians, err = register.CustodialGuardians(ctx, s.DB, q.PupilID); err != nil {
		return p, err
	}
	err = s.DB.QueryRow(ctx, `WITH RECURSIVE up AS (
		  SELECT id, parent_organisation_id, organisation_type FROM organisations WHERE id = $1
		  UNION ALL
		  SELECT o.id, o.parent_organisation_id, o.organisation_type FROM organisations o JOIN up ON o.id = up.parent_organisation_id
		) SELECT coalesce((SELECT id::text FROM up WHERE organisation_type = 'Huvudman' LIMIT 1), ''),
		  coalesce((SELECT coalesce(sy.course_name, sy.subject_name) FROM activities a JOIN syllabuses sy ON sy.id = a.syllabus_id
		    WHERE a.id = $2), '')`, q.SchoolID, q.ActivityID).Scan(&p.Organiser, &p.Subject)
	return p, err
}

// GradeToCorrect is a grade as a correction of it must know it, for one viewer.
type GradeToCorrect struct {
	ID             string `db:"id"`
	PupilID        string `db:"student_id"`
	SchoolID       string `db:"organisation_id"`
	GradingTeacher string `db:"grading_teacher"`
	Value          string `db:"grade_value"`
	SchoolType     string `db:"school_type"` // the syllabus's
	GradeScale     string `db:"grade_scale"` // the syllabus's own scale, "" for its school type's
	Final          bool   `db:"final"`       // signed
	Published      bool   `db:"published"`   // its period's grades are published
	Replaced       bool   `db:"replaced"`    // a correction has replaced it: it is not the current grade
	Principal      bool   `db:"principal"`   // the viewer is the principal (Rektor) of its school unit today
}

// GradeToCorrect answers the grade for viewer; errs.NotFound when there is none.
func (s Store) GradeToCorrect(ctx context.Context, grade, viewer string) (GradeToCorrect, error) {
	return collect.One[GradeToCorrect](ctx, s.DB, `SELECT g.id::text AS id, g.student_id::text AS student_id,
		  g.organisation_id::text AS organisation_id, g.grading_teacher::text AS grading_teacher, g.grade_value,
		  sy.school_type, coalesce(sy.grade_scale, '') AS grade_scale, g.signed_at IS NOT NULL AS final,
		  coalesce(p.published_at <= now(), false) AS published,
		  EXISTS (SELECT 1 FROM grades n WHERE n.replaces = g.id) AS replaced,
		  EXISTS (SELECT 1 FROM duties d WHERE d.person_id = $2 AND d.duty_role = 'Rektor' AND d.duty_at = g.organisation_id
		    AND `+register.Active("d")+`) AS principal
		FROM grades g JOIN syllabuses sy ON sy.id = g.syllabus_id JOIN grading_periods p ON p.id = g.period_id
		WHERE g.id = $1`, grade, viewer)
}

// RecordCorrection records the new grade that replaces r.GradeID: final at once (signed), by
// the correction's type, its decider registering it. The grading teacher stays the original's;
// an Ändring is decided by them, a Rättelse by the principal. Idempotent by the new grade's id.
// Errors: the grade not on record; errs.Conflict when another grade already replaced it.
func (s Store) RecordCorrection(ctx context.Context, r CorrectionRecord) error {
	decidedBy := "principal"
	if r.Type == Andring {
		decidedBy = "teacher"
	}
	var exists, replaced bool
	err := s.DB.QueryRow(ctx, `WITH ins AS (
		  INSERT INTO grades (id, period_id, student_id, activity_id, syllabus_id, organisation_id, grade_value,
		    grading_teacher, registered_by, decided_by, set_at, signed_at, semester, year, correction_type, replaces)
		  SELECT $1, g.period_id, g.student_id, g.activity_id, g.syllabus_id, g.organisation_id, $3,
		    g.grading_teacher, $5, $6, $7, $7, g.semester, g.year, $4, g.id
		  FROM grades g WHERE g.id = $2
		  ON CONFLICT (id) DO NOTHING RETURNING id
		) SELECT EXISTS (SELECT 1 FROM grades WHERE id = $2), EXISTS (SELECT 1 FROM ins) OR EXISTS (SELECT 1 FROM grades WHERE id = $1)`,
		r.NewGradeID, r.GradeID, r.GradeValue, r.Type, r.DecidedBy, decidedBy, r.At).Scan(&exists, &replaced)
	switch {
	case errs.Unique(err):
		return errs.E("grading.recordCorrection", errs.Conflict, errs.Msg("The grade has already been corrected."), err)
	case err != nil:
		return err
	case !exists || !replaced:
		return errs.E("grading.recordCorrection", errs.NotFound, errs.Msg("The grade to correct is not on record."))
	}
	return nil
}
