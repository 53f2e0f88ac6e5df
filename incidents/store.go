package incidents

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

// Store keeps incidents, the pupils they concern and their steps (migrations/0021_incidents.sql).
type Store struct {
	DB *pgxpool.Pool
}

// Concerned is a pupil an incident concerns, and how.
type Concerned struct {
	Person string `json:"person"`
	Role   string `json:"role"` // subjected or involved
}

// NewIncident is a report as a staff member makes it.
type NewIncident struct {
	ID, SchoolID, ReportedBy string
	OccurredAt               time.Time
	Place, Description       string
	Pupils                   []Concerned
}

// Report records a report and the pupils it concerns, in one transaction.
func (s Store) Report(ctx context.Context, n NewIncident) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO incidents (id, school_unit_id, reported_by, occurred_at, place, description)
			VALUES ($1, $2, $3, $4, $5, $6)`, n.ID, n.SchoolID, n.ReportedBy, n.OccurredAt, n.Place, n.Description); err != nil {
			return err
		}
		for _, p := range n.Pupils {
			if _, err := tx.Exec(ctx, `INSERT INTO incident_pupils (incident_id, pupil_id, role) VALUES ($1, $2, $3)`,
				n.ID, p.Person, p.Role); err != nil {
				return err
			}
		}
		return nil
	})
}

// Withdraw removes a report whose process never started.
func (s Store) Withdraw(ctx context.Context, id string) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM incident_pupils WHERE incident_id = $1`, id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM incidents WHERE id = $1`, id)
		return err
	})
}

// AtSchool answers which of the persons are children of the school unit today: pupils enrolled
// there, or children placed there (a preschool's: the law is the same for them).
func (s Store) AtSchool(ctx context.Context, school string, persons []string) (map[string]bool, error) {
	rows, err := s.DB.Query(ctx, `SELECT e.person_id::text FROM enrolments e
		WHERE e.person_id = ANY($1::uuid[]) AND e.enroled_at = $2 AND `+register.Active("e")+`
		UNION SELECT p.child_id::text FROM placements p WHERE p.child_id = ANY($1::uuid[]) AND p.placed_at = $2 AND `+register.Active("p"),
		persons, school)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	at := map[string]bool{}
	for _, id := range ids {
		at[id] = true
	}
	return at, err
}

// Parties answers who takes part in an incident: the custodial guardians of each pupil it
// concerns, with their child, and the school unit's organiser.
func (s Store) Parties(ctx context.Context, id string) (Parties, error) {
	var p Parties
	rows, err := s.DB.Query(ctx, `SELECT r.responsible_id::text, r.person_id::text FROM incident_pupils ip
		JOIN responsibles r ON r.person_id = ip.pupil_id AND `+register.HasCustody("r")+` AND `+register.Active("r")+`
		WHERE ip.incident_id = $1 ORDER BY r.person_id, r.responsible_id`, id)
	if err != nil {
		return p, err
	}
	var g GuardianOf
	if _, err := pgx.ForEachRow(rows, []any{&g.Guardian, &g.Pupil}, func() error {
		p.Told = append(p.Told, g)
		return nil
	}); err != nil {
		return p, err
	}
	var school string
	if err := s.DB.QueryRow(ctx, `SELECT school_unit_id::text FROM incidents WHERE id = $1`, id).Scan(&school); err != nil {
		return p, err
	}
	p.Organiser, err = register.OrganiserOf(ctx, s.DB, school)
	return p, err
}

// RecordStep records a step opened with its deadline, or done; recording it again changes
// nothing (the first record of each stands).
func (s Store) RecordStep(ctx context.Context, r StepRecord) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO incident_steps (incident_id, step, opened_at, due_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, r.IncidentID, r.Step, r.OpenedAt, r.DueAt); err != nil {
			return err
		}
		if r.DoneAt.IsZero() {
			_, err := tx.Exec(ctx, `UPDATE incidents SET step = $2 WHERE id = $1`, r.IncidentID, r.Step)
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE incident_steps SET done_at = $3, done_by = $4 WHERE incident_id = $1 AND step = $2 AND done_at IS NULL`,
			r.IncidentID, r.Step, r.DoneAt, r.DoneBy)
		if err == nil && r.Step == StepFollowUp {
			_, err = tx.Exec(ctx, `UPDATE incidents SET step = 'closed' WHERE id = $1`, r.IncidentID)
		}
		return err
	})
}

// Step is a step of an incident as the record shows it.
type Step struct {
	Step     string     `json:"step"`
	OpenedAt time.Time  `json:"openedAt"`
	DueAt    time.Time  `json:"dueAt"`
	DoneAt   *time.Time `json:"doneAt"`
	DoneBy   *string    `json:"doneBy"`
	// InTime: done by its deadline; null while open and not yet late.
	InTime *bool `json:"inTime"`
	// TookSeconds is how long the step took, or has taken so far.
	TookSeconds int64 `json:"tookSeconds"`
}

// Summary is an incident in a school's list: no pupil and nothing of what happened, only when it
// was reported and how each step has gone.
type Summary struct {
	ID         string    `json:"id"`
	SchoolUnit string    `json:"schoolUnit"`
	ReportedAt time.Time `json:"reportedAt"`
	Step       string    `json:"step"` // the step open now, or closed
	Steps      []Step    `json:"steps"`
}

const stepColumns = `s.step, s.opened_at, s.due_at, s.done_at, s.done_by::text AS done_by,
	CASE WHEN s.done_at IS NOT NULL THEN s.done_at <= s.due_at WHEN now() > s.due_at THEN false END AS in_time,
	extract(epoch FROM coalesce(s.done_at, now()) - s.opened_at)::bigint AS took_seconds`

// School answers the incidents of the organisation and every school unit below it (an
// organiser's officers ask for all of theirs), newest first, at most limit of them, reported
// before before (zero: now), with their steps. The units are read first and given as an array:
// knowing how many there are, PostgreSQL reads the newest incidents by their time for the whole
// city (a tenth of a millisecond), and by their school unit for one school.
func (s Store) School(ctx context.Context, org string, limit int, before time.Time) ([]Summary, error) {
	if before.IsZero() {
		before = time.Now().Add(time.Minute)
	}
	rows, err := s.DB.Query(ctx, `WITH RECURSIVE units AS (
		  SELECT id FROM organisations WHERE id = $1
		  UNION ALL SELECT o.id FROM organisations o JOIN units u ON o.parent_organisation_id = u.id)
		SELECT id::text FROM units`, org)
	if err != nil {
		return nil, err
	}
	units, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	return collect.All[Summary](ctx, s.DB, `SELECT i.id::text, i.school_unit_id::text AS school_unit, i.reported_at, i.step,
		  coalesce((SELECT json_agg(json_build_object('step', x.step, 'openedAt', x.opened_at, 'dueAt', x.due_at, 'doneAt', x.done_at,
		    'doneBy', x.done_by, 'inTime', x.in_time, 'tookSeconds', x.took_seconds) ORDER BY x.opened_at)
		    FROM (SELECT `+stepColumns+` FROM incident_steps s WHERE s.incident_id = i.id) x), '[]') AS steps
		FROM incidents i WHERE i.school_unit_id = ANY($1::uuid[]) AND i.reported_at < $3
		ORDER BY i.reported_at DESC, i.id LIMIT $2`, units, limit, before)
}

// Details are a report in full, for those with a need to know it.
type Details struct {
	ID          string      `json:"id"`
	SchoolUnit  string      `json:"schoolUnit"`
	ReportedBy  string      `json:"reportedBy"`
	ReportedAt  time.Time   `json:"reportedAt"`
	OccurredAt  time.Time   `json:"occurredAt"`
	Place       string      `json:"place"`
	Description string      `json:"description"`
	Step        string      `json:"step"`
	Pupils      []Concerned `json:"pupils"`
	Steps       []Step      `json:"steps"`
}

// Details answers an incident in full.
func (s Store) Details(ctx context.Context, id string) (Details, error) {
	var i Details
	err := pgx.BeginTxFunc(ctx, s.DB, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT id::text, school_unit_id::text, reported_by::text, reported_at, occurred_at, place, description, step
			FROM incidents WHERE id = $1`, id).Scan(&i.ID, &i.SchoolUnit, &i.ReportedBy, &i.ReportedAt, &i.OccurredAt, &i.Place, &i.Description, &i.Step)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.E(errs.NotFound, errs.Msg("There is no such incident."))
		}
		if err != nil {
			return err
		}
		if i.Pupils, err = collect.All[Concerned](ctx, tx, `SELECT pupil_id::text AS person, role FROM incident_pupils
			WHERE incident_id = $1 ORDER BY role DESC, pupil_id`, id); err != nil {
			return err
		}
		i.Steps, err = collect.All[Step](ctx, tx, `SELECT `+stepColumns+` FROM incident_steps s WHERE s.incident_id = $1 ORDER BY s.opened_at`, id)
		return err
	})
	return i, err
}
