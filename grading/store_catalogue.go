package grading

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/collect"
	"github.com/skolflow/skolflow/register"
)

// The grade catalogue (betygskatalog) of a group: the final grades, as set, of the pupils of
// the group in the activities that teach it. Signed off, it is kept with a SHA-256 over its
// canonical form and never changes; a correction after it is a new grade beside it.

// CatalogueGrade is one grade of a catalogue, as its canonical form holds it.
type CatalogueGrade struct {
	GradeID        string    `json:"gradeId" db:"grade_id"`
	Student        string    `json:"student" db:"student"`
	GivenName      string    `json:"givenName" db:"given_name"`
	FamilyName     string    `json:"familyName" db:"family_name"`
	ActivityID     string    `json:"activityId" db:"activity_id"`
	Activity       string    `json:"activity" db:"activity"`
	SyllabusID     string    `json:"syllabusId" db:"syllabus_id"`
	GradeValue     string    `json:"gradeValue" db:"grade_value"`
	GradingTeacher string    `json:"gradingTeacher" db:"grading_teacher"`
	CoSigner       *string   `json:"coSigner" db:"co_signer"`
	DecidedBy      string    `json:"decidedBy" db:"decided_by"`
	SignedAt       time.Time `json:"signedAt" db:"signed_at"`
}

// canonical is the catalogue's canonical form: a line a grade, its fields in a fixed order
// separated by |, times in UTC to the microsecond (what PostgreSQL keeps), lines sorted by the
// grade's id. Names are not in it: the catalogue proves the grades, and a name may change.
func canonical(grades []CatalogueGrade) string {
	lines := make([]string, len(grades))
	for i, g := range grades {
		co := ""
		if g.CoSigner != nil {
			co = *g.CoSigner
		}
		lines[i] = strings.Join([]string{g.GradeID, g.Student, g.ActivityID, g.SyllabusID, g.GradeValue, g.GradingTeacher, co,
			g.DecidedBy, g.SignedAt.UTC().Format("2006-01-02T15:04:05.000000Z")}, "|")
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// Hash is the SHA-256 of the catalogue's canonical form, in hex.
func Hash(grades []CatalogueGrade) string {
	sum := sha256.Sum256([]byte(canonical(grades)))
	return hex.EncodeToString(sum[:])
}

const catalogueColumns = `g.id::text AS grade_id, g.student_id::text AS student, p.given_name, p.family_name,
	g.activity_id::text AS activity_id, a.display_name AS activity, g.syllabus_id::text AS syllabus_id, g.grade_value,
	g.grading_teacher::text AS grading_teacher, g.co_signer::text AS co_signer, coalesce(g.decided_by, '') AS decided_by, g.signed_at`

// DueCatalogue answers the grades a group's catalogue holds now: the original final grades of
// the period in the activities that teach the group, of its pupils during the term.
func (s Store) DueCatalogue(ctx context.Context, q pgx.Tx, period, group string) ([]CatalogueGrade, error) {
	return collect.All[CatalogueGrade](ctx, q, `SELECT `+catalogueColumns+`
		FROM grading_periods gp JOIN terms t ON t.id = gp.term_id
		JOIN grades g ON g.period_id = gp.id AND g.replaces IS NULL AND g.signed_at IS NOT NULL
		JOIN activity_groups ag ON ag.activity_id = g.activity_id AND ag.group_id = $2
		JOIN group_memberships m ON m.group_id = $2 AND m.person_id = g.student_id
		  AND m.start_date <= t.end_date AND (m.end_date IS NULL OR m.end_date >= t.start_date)
		JOIN persons p ON p.id = g.student_id JOIN activities a ON a.id = g.activity_id
		WHERE gp.id = $1 ORDER BY p.family_name, p.given_name, a.display_name`, period, group)
}

// SignCatalogue records a group's catalogue as signed by by at at, with the hash of its grades,
// in one transaction. A catalogue signed already stays as it is.
func (s Store) SignCatalogue(ctx context.Context, c SignedCatalogue) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		grades, err := s.DueCatalogue(ctx, tx, c.PeriodID, c.GroupID)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO grade_catalogues (period_id, group_id, content_sha256, signed_by, signed_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, c.PeriodID, c.GroupID, Hash(grades), c.By, c.At)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		ids := make([]string, len(grades))
		for i, g := range grades {
			ids[i] = g.GradeID
		}
		_, err = tx.Exec(ctx, `INSERT INTO grade_catalogue_grades (period_id, group_id, grade_id) SELECT $1, $2, unnest($3::uuid[])`,
			c.PeriodID, c.GroupID, ids)
		return err
	})
}

// Catalogue is a group's catalogue: its grades, and, once signed, who signed it, when, and the
// hash that was stored.
type Catalogue struct {
	PeriodID string           `json:"periodId"`
	GroupID  string           `json:"groupId"`
	Signed   bool             `json:"signed"`
	SignedBy *string          `json:"signedBy"`
	SignedAt *time.Time       `json:"signedAt"`
	SHA256   *string          `json:"contentSha256"`
	Grades   []CatalogueGrade `json:"grades"`
}

// Catalogue answers a group's catalogue: as signed, or, before, the grades it would hold now.
func (s Store) Catalogue(ctx context.Context, period, group string) (Catalogue, error) {
	c := Catalogue{PeriodID: period, GroupID: group}
	err := pgx.BeginTxFunc(ctx, s.DB, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT signed_by::text, signed_at, content_sha256 FROM grade_catalogues WHERE period_id = $1 AND group_id = $2`,
			period, group).Scan(&c.SignedBy, &c.SignedAt, &c.SHA256)
		switch {
		case err == pgx.ErrNoRows:
			c.Grades, err = s.DueCatalogue(ctx, tx, period, group)
			return err
		case err != nil:
			return err
		}
		c.Signed = true
		c.Grades, err = collect.All[CatalogueGrade](ctx, tx, `SELECT `+catalogueColumns+`
			FROM grade_catalogue_grades cg JOIN grades g ON g.id = cg.grade_id
			JOIN persons p ON p.id = g.student_id JOIN activities a ON a.id = g.activity_id
			WHERE cg.period_id = $1 AND cg.group_id = $2 ORDER BY p.family_name, p.given_name, a.display_name`, period, group)
		return err
	})
	return c, err
}

// Verification is a signed catalogue's hash computed again from its grades as they are now.
type Verification struct {
	Signed   bool   `json:"signed"`
	Stored   string `json:"contentSha256"`
	Computed string `json:"computedSha256"`
	Valid    bool   `json:"valid"`
}

// Verify computes a signed catalogue's hash again; Signed is false for a catalogue not signed.
func (s Store) Verify(ctx context.Context, period, group string) (Verification, error) {
	c, err := s.Catalogue(ctx, period, group)
	if err != nil || !c.Signed {
		return Verification{}, err
	}
	v := Verification{Signed: true, Stored: *c.SHA256, Computed: Hash(c.Grades)}
	v.Valid = v.Stored == v.Computed
	return v, nil
}

// Missing is what keeps a period from its sign-off: each graded activity whose grades are not
// all final, with how many of its pupils have none yet.
type Missing struct {
	ActivityID  string `json:"activityId" db:"activity_id"`
	DisplayName string `json:"displayName" db:"display_name"`
	Pupils      int    `json:"pupils" db:"pupils"`   // pupils today
	Graded      int    `json:"graded" db:"graded"`   // pupils with a grade submitted
	Final       int    `json:"final" db:"final"`     // of which final
	Teacher     string `json:"teacher" db:"teacher"` // the grading teacher's name, as staff see it
	// Groups are the groups the activity teaches, in the order of the plan (the first is its
	// tasks' SubjectGroup): a catalogue each.
	Groups []string `json:"groups" db:"groups"`
}

// Progress answers every graded activity of the period with how far its grades have come.
func (s Store) Progress(ctx context.Context, period string) ([]Missing, error) {
	return collect.All[Missing](ctx, s.DB, `
		SELECT a.id::text AS activity_id, a.display_name,
		  (SELECT count(DISTINCT m.person_id) FROM activity_groups ag JOIN group_memberships m ON m.group_id = ag.group_id
		    WHERE ag.activity_id = a.id AND `+register.Active("m")+`)::int AS pupils,
		  (SELECT count(*) FROM grades g WHERE g.period_id = gp.id AND g.activity_id = a.id AND g.replaces IS NULL)::int AS graded,
		  (SELECT count(*) FROM grades g WHERE g.period_id = gp.id AND g.activity_id = a.id AND g.replaces IS NULL AND g.signed_at IS NOT NULL)::int AS final,
		  coalesce((SELECT p.given_name || ' ' || p.family_name FROM activity_teachers at JOIN duties d ON d.id = at.duty_id
		    JOIN persons p ON p.id = d.person_id WHERE at.activity_id = a.id ORDER BY d.start_date, d.person_id LIMIT 1), '') AS teacher,
		  coalesce((SELECT array_agg(ag.group_id::text ORDER BY ag.group_id) FROM activity_groups ag WHERE ag.activity_id = a.id), '{}') AS groups
		FROM `+periodActivities+`
		WHERE gp.id = $1 ORDER BY a.display_name, a.id`, period)
}

// Publish marks the period's grades published at at (once) and answers whom to tell: each
// graded pupil and each of their custodial guardians today, ordered.
func (s Store) Publish(ctx context.Context, p Publication) ([]Recipient, error) {
	if _, err := s.DB.Exec(ctx, `UPDATE grading_periods SET published_at = $2 WHERE id = $1 AND published_at IS NULL`, p.PeriodID, p.At); err != nil {
		return nil, err
	}
	return collect.All[Recipient](ctx, s.DB, `
		WITH pupils AS (SELECT DISTINCT student_id FROM grades WHERE period_id = $1)
		SELECT student_id::text AS person, student_id::text AS pupil FROM pupils
		UNION
		SELECT r.responsible_id::text, r.person_id::text FROM pupils JOIN responsibles r ON r.person_id = pupils.student_id
		WHERE `+register.HasCustody("r")+` AND `+register.Active("r")+`
		ORDER BY 2, 1`, p.PeriodID)
}
