package grading

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

// Store is the grading area's records in PostgreSQL (migrations/0019_grading.sql): the periods,
// the teachers' drafts, the grades, the co-signers' proposals and the signed catalogues.
type Store struct{ DB *pgxpool.Pool }

// Period is a grading period as the record keeps it.
type Period struct {
	ID              string     `json:"id" db:"id"`
	ProcessID       string     `json:"processId" db:"process_id"` // the process's business key
	SchoolID        string     `json:"schoolId" db:"school_unit_id"`
	TermID          string     `json:"termId" db:"term_id"`
	Term            string     `json:"term" db:"term"` // the term's display name, HT2026
	EntryOpens      time.Time  `json:"entryOpens" db:"entry_opens"`
	TeacherDeadline time.Time  `json:"teacherDeadline" db:"teacher_deadline"`
	SignOff         time.Time  `json:"signOff" db:"sign_off"`
	Publication     time.Time  `json:"publication" db:"publication"`
	PublishedAt     *time.Time `json:"publishedAt" db:"published_at"`
	RunID           string     `json:"-" db:"run_id"`
	TermStart       time.Time  `json:"-" db:"term_start"` // the semester and year of the term's grades
}

// OpenPeriod records a new period. Errors: errs.Conflict when the school unit has one for the
// term already; errs.Invalid naming "term" for a term that is not the school's.
func (s Store) OpenPeriod(ctx context.Context, p Period, by string) error {
	var termOK bool
	// A school year belongs to the organiser (huvudman), which may be levels above the school unit.
	err := s.DB.QueryRow(ctx, `WITH RECURSIVE above (id, parent) AS (
		  SELECT id, parent_organisation_id FROM organisations WHERE id = $2
		  UNION SELECT o.id, o.parent_organisation_id FROM organisations o JOIN above a ON o.id = a.parent)
		SELECT EXISTS (SELECT 1 FROM terms t JOIN school_years y ON y.id = t.school_year_id
		  WHERE t.id = $1 AND y.organisation_id IN (SELECT id FROM above))`,
		p.TermID, p.SchoolID).Scan(&termOK)
	if err != nil {
		return err
	}
	if !termOK {
		return errs.E(errs.Invalid, errs.Msg("The term is not one of the school's."), []errs.FieldError{{Field: "term", Detail: "is not a term of the school's school year"}})
	}
	_, err = s.DB.Exec(ctx, `INSERT INTO grading_periods (id, process_id, school_unit_id, term_id, entry_opens, teacher_deadline, sign_off, publication, opened_by)
		VALUES ($1, $9, $2, $3, $4, $5, $6, $7, $8)`, p.ID, p.SchoolID, p.TermID, p.EntryOpens, p.TeacherDeadline, p.SignOff, p.Publication, by, p.ProcessID)
	if errs.Unique(err) {
		return errs.E(errs.Conflict, errs.Msg("The school unit has a grading period for this term already."))
	}
	return err
}

// periodColumns are a Period's columns, the term's name joined in.
const periodColumns = `p.id::text AS id, p.process_id, p.school_unit_id::text AS school_unit_id, p.term_id::text AS term_id, t.display_name AS term,
	p.entry_opens, p.teacher_deadline, p.sign_off, p.publication, p.published_at, coalesce(p.run_id, '') AS run_id,
	t.start_date::timestamptz AS term_start`

// DropPeriod takes back a period whose process never started.
func (s Store) DropPeriod(ctx context.Context, id string) error {
	_, err := s.DB.Exec(ctx, `DELETE FROM grading_periods WHERE id = $1 AND run_id IS NULL`, id)
	return err
}

// Period answers a period; errs.NotFound for none.
func (s Store) Period(ctx context.Context, id string) (Period, error) {
	p, err := collect.One[Period](ctx, s.DB, `SELECT `+periodColumns+` FROM grading_periods p JOIN terms t ON t.id = p.term_id WHERE p.id = $1`, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, errs.E(errs.NotFound, errs.Msg("There is no such grading period."))
	}
	return p, err
}

// Periods answers a school unit's periods, the latest term first.
func (s Store) Periods(ctx context.Context, school string) ([]Period, error) {
	return collect.All[Period](ctx, s.DB, `SELECT `+periodColumns+` FROM grading_periods p JOIN terms t ON t.id = p.term_id
		WHERE p.school_unit_id = $1 ORDER BY t.start_date DESC`, school)
}

// Started records the first run of a period's process. Idempotent.
func (s Store) Started(ctx context.Context, period, run string) error {
	_, err := s.DB.Exec(ctx, `UPDATE grading_periods SET run_id = $2 WHERE id = $1 AND run_id IS DISTINCT FROM $2`, period, run)
	return err
}

// Plan answers the period's graded activities, those of its school unit that run during its
// term, each with its teacher, whether the teacher is certified in the subject, and a teacher
// of the school certified in it to co-sign; and the groups they teach.
func (s Store) Plan(ctx context.Context, period string) (Plan, error) {
	type row struct {
		ActivityID string   `db:"activity_id"`
		Groups     []string `db:"groups"`
		Teacher    string   `db:"teacher"`
		Certified  bool     `db:"certified"`
		CoSigner   string   `db:"co_signer"`
	}
	rows, err := collect.All[row](ctx, s.DB, `
		SELECT a.id::text AS activity_id,
		  coalesce((SELECT array_agg(ag.group_id::text ORDER BY ag.group_id) FROM activity_groups ag WHERE ag.activity_id = a.id), '{}') AS groups,
		  coalesce(tch.person_id::text, '') AS teacher,
		  EXISTS (SELECT 1 FROM teacher_certifications c WHERE c.person_id = tch.person_id AND c.subject_code = sy.subject_code) AS certified,
		  coalesce((SELECT d.person_id::text FROM duties d JOIN teacher_certifications c ON c.person_id = d.person_id
		    WHERE d.duty_at = a.organisation_id AND d.duty_role = 'Lärare' AND `+register.Active("d")+`
		      AND c.subject_code = sy.subject_code AND d.person_id IS DISTINCT FROM tch.person_id
		    ORDER BY d.person_id LIMIT 1), '') AS co_signer
		FROM `+periodActivities+`
		JOIN syllabuses sy ON sy.id = a.syllabus_id
		LEFT JOIN LATERAL (SELECT d.person_id FROM activity_teachers at JOIN duties d ON d.id = at.duty_id
		  WHERE at.activity_id = a.id AND `+register.Active("d")+` ORDER BY d.start_date, d.person_id LIMIT 1) tch ON true
		WHERE gp.id = $1 ORDER BY a.id`, period)
	if err != nil {
		return Plan{}, err
	}
	plan := Plan{Activities: []ActivityPlan{}, Groups: []string{}}
	seen := map[string]bool{}
	for _, r := range rows {
		plan.Activities = append(plan.Activities, ActivityPlan{ActivityID: r.ActivityID, Groups: r.Groups, Teacher: r.Teacher,
			Certified: r.Certified, CoSigner: r.CoSigner})
		for _, g := range r.Groups {
			if !seen[g] {
				seen[g] = true
				plan.Groups = append(plan.Groups, g)
			}
		}
	}
	return plan, nil
}

// periodActivities joins a period (gp) to its term (t) and its graded activities (a): those of
// its school unit that run during the term.
const periodActivities = `grading_periods gp JOIN terms t ON t.id = gp.term_id
	JOIN activities a ON a.organisation_id = gp.school_unit_id AND a.graded
	  AND a.start_date <= t.end_date AND (a.end_date IS NULL OR a.end_date >= t.start_date)`

// HasCatalogue tells whether group has a catalogue in the period: one of the period's graded
// activities teaches it.
func (s Store) HasCatalogue(ctx context.Context, period, group string) (bool, error) {
	var ok bool
	err := s.DB.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+periodActivities+`
		JOIN activity_groups ag ON ag.activity_id = a.id AND ag.group_id = $2 WHERE gp.id = $1)`, period, group).Scan(&ok)
	return ok, err
}

// Certified tells whether person is certified in the subject of activity's syllabus.
func (s Store) Certified(ctx context.Context, person, activity string) (bool, error) {
	var ok bool
	err := s.DB.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM activities a JOIN syllabuses sy ON sy.id = a.syllabus_id
		JOIN teacher_certifications c ON c.subject_code = sy.subject_code WHERE a.id = $2 AND c.person_id = $1)`, person, activity).Scan(&ok)
	return ok, err
}

// CertifiedAtAll tells whether person holds a teacher's certification in any subject.
func (s Store) CertifiedAtAll(ctx context.Context, person string) (bool, error) {
	var ok bool
	err := s.DB.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM teacher_certifications WHERE person_id = $1)`, person).Scan(&ok)
	return ok, err
}

// Finalize makes an activity's submitted grades final (see the Finalize type). Grades final
// already stay as they are, so a retry changes nothing.
func (s Store) Finalize(ctx context.Context, f Finalize) error {
	_, err := s.DB.Exec(ctx, `
		UPDATE grades g SET
		  grade_value = CASE WHEN $4 AND pr.grade_value IS NOT NULL THEN pr.grade_value ELSE g.grade_value END,
		  decided_by = CASE WHEN pr.grade_value IS NOT NULL AND pr.grade_value <> g.grade_value THEN $5 ELSE 'teacher' END,
		  co_signer = NULLIF($3, '')::uuid, signed_at = $6
		FROM grades g0 LEFT JOIN grade_proposals pr ON pr.period_id = g0.period_id AND pr.activity_id = g0.activity_id AND pr.student_id = g0.student_id
		WHERE g.id = g0.id AND g.period_id = $1 AND g.activity_id = $2 AND g.signed_at IS NULL`,
		f.PeriodID, f.ActivityID, f.CoSigner, f.UseProposals, f.DecidedBy, f.At)
	return err
}
