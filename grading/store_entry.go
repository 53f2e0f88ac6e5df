package grading

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/collect"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// The teacher's grade form: an activity's pupils with what is drafted, submitted or final for
// each, saved as a draft and submitted once.

// ActivityInfo is an activity as the grade form names it, with the scale it is graded on.
type ActivityInfo struct {
	ID          string `json:"id" db:"id"`
	DisplayName string `json:"displayName" db:"display_name"`
	SchoolID    string `json:"schoolId" db:"organisation_id"`
	SyllabusID  string `json:"syllabusId" db:"syllabus_id"`
	SubjectCode string `json:"subjectCode" db:"subject_code"`
	SubjectName string `json:"subjectName" db:"subject_name"`
	CourseCode  string `json:"courseCode,omitempty" db:"course_code"`
	CourseName  string `json:"courseName,omitempty" db:"course_name"`
	SchoolType  string `json:"schoolType" db:"school_type"`
	GradeScale  string `json:"-" db:"grade_scale"`
	Graded      bool   `json:"graded" db:"graded"`
	// Scale is the grades the activity may be given, best first.
	Scale []string `json:"scale" db:"-"`
}

// Activity answers an activity with its syllabus; errs.NotFound for none.
func (s Store) Activity(ctx context.Context, id string) (ActivityInfo, error) {
	a, err := collect.One[ActivityInfo](ctx, s.DB, `SELECT a.id::text AS id, a.display_name, a.organisation_id::text AS organisation_id,
		coalesce(sy.id::text, '') AS syllabus_id, coalesce(sy.subject_code, '') AS subject_code, coalesce(sy.subject_name, '') AS subject_name,
		coalesce(sy.course_code, '') AS course_code, coalesce(sy.course_name, '') AS course_name,
		coalesce(sy.school_type, '') AS school_type, coalesce(sy.grade_scale, '') AS grade_scale, a.graded
		FROM activities a LEFT JOIN syllabuses sy ON sy.id = a.syllabus_id WHERE a.id = $1`, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, errs.E(errs.NotFound, errs.Msg("There is no such activity."))
	}
	if scale, ok := ScaleFor(a.SchoolType, a.GradeScale); ok && a.Graded {
		a.Scale = scale.Values
	}
	return a, err
}

// RosterRow is one pupil of an activity on the grade form.
type RosterRow struct {
	Student    string  `json:"student" db:"student"`
	GivenName  string  `json:"givenName" db:"given_name"`
	FamilyName string  `json:"familyName" db:"family_name"`
	Draft      *string `json:"draft" db:"draft"`       // the teacher's draft, null for none
	Grade      *string `json:"grade" db:"grade"`       // the submitted (or final) grade, null for none
	Final      bool    `json:"final" db:"final"`       // the grade is final
	Proposal   *string `json:"proposal" db:"proposal"` // a co-signer's other grade, null for none
	GradeID    *string `json:"gradeId" db:"grade_id"`  // the current grade's id
	// GradingTeacher set the current grade; null for none.
	GradingTeacher *string `json:"gradingTeacher" db:"grading_teacher"`
	Correction     *string `json:"correctionType" db:"corr"` // of the current grade, if corrected
}

// Roster answers the activity's pupils in the period: those in one of its groups today (a
// pupil who left the group has no grade to get; one who joined has), and anyone already graded.
// protected: with the pupils who have a protection marking, for a viewer with the need to know.
func (s Store) Roster(ctx context.Context, period, activity string, protected bool) ([]RosterRow, error) {
	return collect.All[RosterRow](ctx, s.DB, `
		WITH pupils AS (
		  SELECT m.person_id FROM activity_groups ag JOIN group_memberships m ON m.group_id = ag.group_id
		  WHERE ag.activity_id = $2 AND `+register.Active("m")+`
		  UNION SELECT student_id FROM grades WHERE period_id = $1 AND activity_id = $2)
		SELECT p.id::text AS student, p.given_name, p.family_name, d.grade_value AS draft,
		  g.grade_value AS grade, coalesce(g.signed_at IS NOT NULL, false) AS final, pr.grade_value AS proposal,
		  g.id::text AS grade_id, g.correction_type AS corr, g.grading_teacher::text AS grading_teacher
		FROM pupils JOIN persons p ON p.id = pupils.person_id AND ($3 OR `+register.Unprotected("p")+`)
		LEFT JOIN grade_drafts d ON d.period_id = $1 AND d.activity_id = $2 AND d.student_id = p.id
		LEFT JOIN grade_proposals pr ON pr.period_id = $1 AND pr.activity_id = $2 AND pr.student_id = p.id
		LEFT JOIN LATERAL (SELECT * FROM grades g WHERE g.period_id = $1 AND g.activity_id = $2 AND g.student_id = p.id
		  AND NOT EXISTS (SELECT 1 FROM grades r WHERE r.replaces = g.id)) g ON true
		ORDER BY p.family_name, p.given_name, p.id`, period, activity, protected)
}

// GradeEntry is one pupil's grade as the form sends it.
type GradeEntry struct {
	Student    string `json:"student"`
	GradeValue string `json:"gradeValue"`
}

// SaveDrafts keeps the teacher's grades as a draft, in one transaction; an empty value takes a
// pupil's draft away.
func (s Store) SaveDrafts(ctx context.Context, period, activity, by string, grades []GradeEntry) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		for _, g := range grades {
			var err error
			if g.GradeValue == "" {
				_, err = tx.Exec(ctx, `DELETE FROM grade_drafts WHERE period_id = $1 AND activity_id = $2 AND student_id = $3`, period, activity, g.Student)
			} else {
				_, err = tx.Exec(ctx, `INSERT INTO grade_drafts (period_id, activity_id, student_id, grade_value, saved_by) VALUES ($1, $2, $3, $4, $5)
					ON CONFLICT (period_id, activity_id, student_id) DO UPDATE SET grade_value = EXCLUDED.grade_value, saved_by = EXCLUDED.saved_by, saved_at = now()`,
					period, activity, g.Student, g.GradeValue, by)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// Submission is a teacher's grades for every pupil of an activity, submitted once.
type Submission struct {
	PeriodID, ActivityID, SyllabusID, SchoolID string
	Teacher                                    string // the grading teacher
	By                                         string // who entered them
	Semester                                   string
	Year                                       int
	Grades                                     []GradeEntry
	At                                         time.Time
}

// Submit records the grades, not yet final, and drops the drafts, in one transaction; then the
// process is told (and may refuse: Withdraw). Errors: errs.Conflict when the activity's grades
// were submitted already.
func (s Store) Submit(ctx context.Context, sub Submission) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		batch := &pgx.Batch{}
		for _, g := range sub.Grades {
			batch.Queue(`INSERT INTO grades (id, period_id, student_id, activity_id, syllabus_id, organisation_id, grade_value,
				grading_teacher, registered_by, set_at, semester, year) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
				uuid.NewString(), sub.PeriodID, g.Student, sub.ActivityID, sub.SyllabusID, sub.SchoolID, g.GradeValue,
				sub.Teacher, sub.By, sub.At, sub.Semester, sub.Year)
		}
		batch.Queue(`DELETE FROM grade_drafts WHERE period_id = $1 AND activity_id = $2`, sub.PeriodID, sub.ActivityID)
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			if errs.Unique(err) {
				return errs.E(errs.Conflict, errs.Msg("The grades of this activity were submitted already."))
			}
			return err
		}
		return nil
	})
}

// Withdraw takes back a submission the process refused: grades not yet final go, so the form
// can be submitted again.
func (s Store) Withdraw(ctx context.Context, period, activity string) error {
	_, err := s.DB.Exec(ctx, `DELETE FROM grades WHERE period_id = $1 AND activity_id = $2 AND signed_at IS NULL`, period, activity)
	return err
}

// Propose keeps a co-signer's grades where they differ from the teacher's (an empty value: no
// proposal for the pupil), in one transaction.
func (s Store) Propose(ctx context.Context, period, activity, by string, grades []GradeEntry) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM grade_proposals WHERE period_id = $1 AND activity_id = $2`, period, activity); err != nil {
			return err
		}
		for _, g := range grades {
			if g.GradeValue == "" {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO grade_proposals (period_id, activity_id, student_id, grade_value, proposed_by)
				VALUES ($1, $2, $3, $4, $5)`, period, activity, g.Student, g.GradeValue, by); err != nil {
				return err
			}
		}
		return nil
	})
}
