package enrollment

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// Store holds the area's SQL: the schools' seats (school_capacities), the rounds
// (enrollment_rounds) and the applications with their versions and consents. The choices stay
// here; the processes get ids and version numbers.
type Store struct{ DB *pgxpool.Pool }

// Round is a placement round as the record keeps it.
type Round struct {
	ID          string    `json:"id" db:"id"`
	Organiser   string    `json:"organiserId" db:"organiser_id"`
	Name        string    `json:"name" db:"name"`
	SchoolType  string    `json:"schoolType" db:"school_type"`
	SchoolYear  int       `json:"schoolYear" db:"school_year"`
	StartDate   string    `json:"startDate" db:"start_date"`
	ClosesAt    time.Time `json:"closesAt" db:"closes_at"`
	PublishesAt time.Time `json:"publishesAt" db:"publishes_at"`
	Status      string    `json:"status" db:"status"`
}

const roundSelect = `SELECT id::text AS id, organiser_id::text AS organiser_id, name, school_type, school_year,
	start_date::text AS start_date, closes_at, publishes_at, status FROM enrollment_rounds`

// CreateRound records a new round of the organiser. Errors: errs.Conflict when the organiser
// already has a round of that name.
func (s Store) CreateRound(ctx context.Context, r Round, by string) (Round, error) {
	_, err := s.DB.Exec(ctx, `INSERT INTO enrollment_rounds (id, organiser_id, name, school_type, school_year, start_date,
		closes_at, publishes_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		r.ID, r.Organiser, r.Name, r.SchoolType, r.SchoolYear, r.StartDate, r.ClosesAt, r.PublishesAt, by)
	if errs.Unique(err) {
		return Round{}, errs.E(errs.Conflict, errs.Msg("The organiser already has a round of that name."))
	}
	if err != nil {
		return Round{}, err
	}
	return s.Round(ctx, r.ID)
}

// DeleteRound takes back a round whose process could not be started: it has no applications yet.
func (s Store) DeleteRound(ctx context.Context, id string) error {
	_, err := s.DB.Exec(ctx, `DELETE FROM enrollment_rounds WHERE id = $1`, id)
	return err
}

// Round answers a round by id. Errors: errs.NotFound.
func (s Store) Round(ctx context.Context, id string) (Round, error) {
	rows, _ := s.DB.Query(ctx, roundSelect+` WHERE id = $1`, id)
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Round])
	if errors.Is(err, pgx.ErrNoRows) {
		return Round{}, errs.E(errs.NotFound, errs.Msg("There is no such round."))
	}
	return r, err
}

// Rounds answers the organiser's rounds, the last to close first.
func (s Store) Rounds(ctx context.Context, organiser string) ([]Round, error) {
	rows, _ := s.DB.Query(ctx, roundSelect+` WHERE organiser_id = $1 ORDER BY closes_at DESC, name`, organiser)
	return pgx.CollectRows(rows, pgx.RowToStructByName[Round])
}

// OpenRound is a round open to applications, with the schools a guardian may choose in it.
type OpenRound struct {
	Round
	// Schools are the organiser's school units with seats in the round's school type and year,
	// by name.
	Schools []ChoiceView `json:"schools" db:"schools"`
}

// OpenRounds answers the rounds open to applications, the first to close first.
func (s Store) OpenRounds(ctx context.Context) ([]OpenRound, error) {
	rows, _ := s.DB.Query(ctx, `WITH RECURSIVE open AS (
		  SELECT id, organiser_id, name, school_type, school_year, start_date, closes_at, publishes_at, status
		  FROM enrollment_rounds WHERE status = 'open' AND closes_at > now()),
		under AS (SELECT id AS round_id, organiser_id AS org FROM open
		  UNION ALL SELECT under.round_id, o.id FROM organisations o JOIN under ON o.parent_organisation_id = under.org)
		SELECT r.id::text AS id, r.organiser_id::text AS organiser_id, r.name, r.school_type, r.school_year,
		  r.start_date::text AS start_date, r.closes_at, r.publishes_at, r.status,
		  coalesce((SELECT json_agg(json_build_object('schoolId', k.school_id, 'name', o.display_name) ORDER BY o.display_name, k.school_id)
		    FROM under u JOIN school_capacities k ON k.school_id = u.org AND k.school_type = r.school_type AND k.school_year = r.school_year
		    JOIN organisations o ON o.id = k.school_id WHERE u.round_id = r.id), '[]') AS schools
		FROM open r ORDER BY r.closes_at, r.name`)
	return pgx.CollectRows(rows, pgx.RowToStructByName[OpenRound])
}

// Capacity is a school unit's seats in a school type and year.
type Capacity struct {
	SchoolType string `json:"schoolType"`
	SchoolYear int    `json:"schoolYear"`
	Capacity   int    `json:"capacity"`
}

// SetCapacity records a school unit's seats in a school type and year. Errors: errs.Invalid
// naming capacity when it is below the children already placed there (enrolled in the year, or
// placed at the preschool, today).
func (s Store) SetCapacity(ctx context.Context, school string, c Capacity, by string) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		var placed int
		if err := tx.QueryRow(ctx, `SELECT CASE WHEN $2 = 'FS' THEN
			  (SELECT count(DISTINCT p.child_id) FROM placements p WHERE p.placed_at = $1 AND p.school_type = 'FS' AND `+register.Active("p")+`)
			ELSE
			  (SELECT count(DISTINCT e.person_id) FROM enrolments e WHERE e.enroled_at = $1 AND e.school_type = $2
			     AND e.school_year = $3 AND `+register.Active("e")+`)
			END`, school, c.SchoolType, c.SchoolYear).Scan(&placed); err != nil {
			return err
		}
		if c.Capacity < placed {
			return errs.E(errs.Invalid, errs.Msg("The capacity is below the children already placed."),
				[]errs.FieldError{{Field: "capacity", Detail: fmt.Sprintf("is below the %d children already placed there", placed)}})
		}
		_, err := tx.Exec(ctx, `INSERT INTO school_capacities (school_id, school_type, school_year, capacity, set_by)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (school_id, school_type, school_year)
			DO UPDATE SET capacity = excluded.capacity, set_by = excluded.set_by, set_at = now()`,
			school, c.SchoolType, c.SchoolYear, c.Capacity, by)
		return err
	})
}

// Capacities answers a school unit's seats, by school type and year.
func (s Store) Capacities(ctx context.Context, school string) ([]Capacity, error) {
	rows, _ := s.DB.Query(ctx, `SELECT school_type, school_year, capacity FROM school_capacities
		WHERE school_id = $1 ORDER BY school_type, school_year`, school)
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Capacity])
}

// NewVersion is a version of a child's application as a guardian writes it.
type NewVersion struct {
	ApplicationID string // the application's id; for the first version, the id it is given
	Round         Round
	ChildID       string
	By            string
	Choices       []string // school unit ids, the most wished first
	// WishedStart (YYYY-MM-DD) and GuaranteeDate are a preschool application's.
	WishedStart   string
	GuaranteeDate time.Time
}

// checkChoices names each choice that is not a school of the round: a school unit of the round's
// organiser with seats in the round's school type and year.
func checkChoices(ctx context.Context, tx pgx.Tx, v NewVersion) ([]errs.FieldError, error) {
	rows, err := tx.Query(ctx, `SELECT c.ord::int - 1 FROM unnest($1::uuid[]) WITH ORDINALITY AS c(school, ord)
		WHERE NOT EXISTS (SELECT 1 FROM school_capacities k
		  WHERE k.school_id = c.school AND k.school_type = $2 AND k.school_year = $3)
		ORDER BY c.ord`, v.Choices, v.Round.SchoolType, v.Round.SchoolYear)
	if err != nil {
		return nil, err
	}
	wrong, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, err
	}
	var problems []errs.FieldError
	for _, i := range wrong {
		problems = append(problems, errs.FieldError{Field: fmt.Sprintf("choices/%d", i),
			Detail: fmt.Sprintf("is not a school that takes %s", yearName(v.Round.SchoolType, v.Round.SchoolYear))})
	}
	// Each school must be the organiser's: its seats are placed in the organiser's round.
	rows, err = tx.Query(ctx, `SELECT DISTINCT school::text FROM unnest($1::uuid[]) AS c(school)`, v.Choices)
	if err != nil {
		return nil, err
	}
	schools, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	for _, school := range schools {
		organiser, err := register.OrganiserOf(ctx, tx, school)
		if err != nil {
			return nil, err
		}
		if organiser != v.Round.Organiser {
			for i, c := range v.Choices {
				if c == school {
					problems = append(problems, errs.FieldError{Field: fmt.Sprintf("choices/%d", i), Detail: "is a school of another organiser than the round's"})
				}
			}
		}
	}
	return problems, nil
}

// yearName is a school type and year as a guardian reads it.
func yearName(schoolType string, year int) string {
	switch schoolType {
	case "FS":
		return "preschool children"
	case "FKLASS":
		return "förskoleklass"
	}
	return fmt.Sprintf("year %d", year)
}

// Apply records a child's application in a round, its first version, in one transaction.
// Errors: errs.Invalid naming round when the round does not concern the child (Concerns), and
// each choice not of the round; errs.Conflict when the round has closed, or the child already
// has an application in it (which is changed instead).
func (s Store) Apply(ctx context.Context, v NewVersion) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if err := lockOpenRound(ctx, tx, v.Round.ID); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT e.school_type, e.school_year FROM enrolments e WHERE e.person_id = $1 AND `+register.Active("e"), v.ChildID)
		schooling, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Schooling])
		if err != nil {
			return err
		}
		var problems []errs.FieldError
		if !Concerns(v.Round, schooling) {
			problems = append(problems, errs.FieldError{Field: "round",
				Detail: fmt.Sprintf("is a round for %s, which the child is not to start", yearName(v.Round.SchoolType, v.Round.SchoolYear))})
		}
		wrong, err := checkChoices(ctx, tx, v)
		if err != nil {
			return err
		}
		if problems = append(problems, wrong...); len(problems) > 0 {
			return invalidChoices(problems)
		}
		_, err = tx.Exec(ctx, `INSERT INTO applications (id, round_id, child_id, wished_start) VALUES ($1, $2, $3, nullif($4, '')::date)`,
			v.ApplicationID, v.Round.ID, v.ChildID, v.WishedStart)
		if errs.Unique(err) {
			return errs.E(errs.Conflict, errs.Msg("The child already has an application in this round; change it instead."))
		}
		if err != nil {
			return err
		}
		if v.WishedStart != "" {
			if _, err := tx.Exec(ctx, `INSERT INTO preschool_guarantees (child_id, round_id, applied_on, guarantee_date)
				VALUES ($1, $2, $3, $4)`, v.ChildID, v.Round.ID, time.Now().In(register.SchoolDay).Format(time.DateOnly),
				v.GuaranteeDate.Format(time.DateOnly)); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `INSERT INTO application_versions (application_id, version, choices, applied_by) VALUES ($1, 1, $2, $3)`,
			v.ApplicationID, v.Choices, v.By)
		return err
	})
}

func invalidChoices(problems []errs.FieldError) error {
	if len(problems) == 0 {
		return nil
	}
	return errs.E(errs.Invalid, errs.Msg("The application has invalid fields."), problems)
}

// lockOpenRound holds the round while a version is written, so that none is written after it
// closes. Errors: errs.NotFound, errs.Conflict when it has closed.
func lockOpenRound(ctx context.Context, tx pgx.Tx, round string) error {
	var open bool
	err := tx.QueryRow(ctx, `SELECT status = 'open' AND closes_at > now() FROM enrollment_rounds WHERE id = $1 FOR SHARE`, round).Scan(&open)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return errs.E(errs.NotFound, errs.Msg("There is no such round."))
	case err != nil:
		return err
	case !open:
		return errs.E(errs.Conflict, errs.Msg("The round has closed: its applications can no longer be changed."))
	}
	return nil
}

// Change records the next version of a child's application in a round, in one transaction, and
// answers its number. Errors: errs.NotFound when the child has no application in the round;
// errs.Invalid naming each choice not of the round; errs.Conflict when the round has closed.
func (s Store) Change(ctx context.Context, v NewVersion) (application string, version int, err error) {
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if err := lockOpenRound(ctx, tx, v.Round.ID); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `SELECT id::text, version + 1 FROM applications WHERE round_id = $1 AND child_id = $2 FOR UPDATE`,
			v.Round.ID, v.ChildID).Scan(&application, &version)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.E(errs.NotFound, errs.Msg("The child has no application in this round."))
		}
		if err != nil {
			return err
		}
		problems, err := checkChoices(ctx, tx, v)
		if err != nil || len(problems) > 0 {
			return errors.Join(err, invalidChoices(problems))
		}
		if _, err := tx.Exec(ctx, `INSERT INTO application_versions (application_id, version, choices, applied_by) VALUES ($1, $2, $3, $4)`,
			application, version, v.Choices, v.By); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE applications SET version = $2 WHERE id = $1`, application, version)
		return err
	})
	return application, version, err
}

// Unchange takes back a version its process refused (the round closed meanwhile), so that the
// record holds only versions the process asked about.
func (s Store) Unchange(ctx context.Context, application string, version int) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM application_versions WHERE application_id = $1 AND version = $2`, application, version); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE applications SET version = $2 - 1 WHERE id = $1 AND version = $2`, application, version)
		return err
	})
}

// Withdraw takes back an application whose process could not be started, with its guarantee.
func (s Store) Withdraw(ctx context.Context, application string) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM preschool_guarantees g USING applications a
			WHERE a.id = $1 AND g.child_id = a.child_id AND g.round_id = a.round_id`, application); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM applications WHERE id = $1`, application)
		return err
	})
}

// RecordConsent records a guardian's answer to a version. Idempotent.
func (s Store) RecordConsent(ctx context.Context, c Consent) error {
	_, err := s.DB.Exec(ctx, `INSERT INTO application_consents (application_id, version, guardian_id, answer, answered_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, c.ApplicationID, c.Version, c.Guardian, c.Answer, c.At)
	return err
}

// RecordStatus records the application's status and the version that counts. Idempotent.
func (s Store) RecordStatus(ctx context.Context, st ApplicationStatus) error {
	var agreed *int
	if st.Agreed > 0 {
		agreed = &st.Agreed
	}
	_, err := s.DB.Exec(ctx, `UPDATE applications SET status = $2, agreed_version = $3 WHERE id = $1`, st.ApplicationID, st.Status, agreed)
	return err
}

// RecordRoundStatus records a round's step: closed, approved (by whom and when) or published.
// Idempotent.
func (s Store) RecordRoundStatus(ctx context.Context, st RoundStatus) error {
	var by *string
	if st.By != "" {
		by = &st.By
	}
	_, err := s.DB.Exec(ctx, `UPDATE enrollment_rounds SET status = $2,
		  approved_by = CASE WHEN $2 = 'approved' THEN $3::uuid ELSE approved_by END,
		  approved_at = CASE WHEN $2 = 'approved' THEN $4 ELSE approved_at END,
		  published_at = CASE WHEN $2 = 'published' THEN $4 ELSE published_at END
		WHERE id = $1`, st.RoundID, st.Status, by, st.At)
	return err
}
