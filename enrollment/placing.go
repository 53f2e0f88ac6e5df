package enrollment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// Place places a closed round with the lottery's seed and records the result whole, in one
// transaction: the placements, the intakes, the seed and the round's status, placed. Running it
// again with the same seed writes the same. It answers the round's figures.
func (s Store) Place(ctx context.Context, roundID string, seed uint64) (RoundStats, error) {
	var stats RoundStats
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		data, err := loadRound(ctx, tx, roundID, seed)
		if err != nil {
			return err
		}
		res, err := PlaceRound(data)
		if err != nil {
			return err
		}
		stats = res.Stats
		return saveRound(ctx, tx, roundID, seed, res)
	})
	return stats, err
}

// loadRound reads what a round is placed from: the seats of the organiser's schools in its type
// and year, where they are, and every child with an application in it, with its home, its agreed
// choices and where its siblings go. The round is held while it is read and written.
func loadRound(ctx context.Context, tx pgx.Tx, roundID string, seed uint64) (RoundData, error) {
	d := RoundData{Seed: seed, Seats: map[string]int{}}
	var schoolType string
	err := tx.QueryRow(ctx, `SELECT school_type, school_year FROM enrollment_rounds WHERE id = $1 FOR UPDATE`, roundID).Scan(&schoolType, &d.Year)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, errs.E(errs.NotFound, errs.Msg("There is no such round."))
	}
	if err != nil {
		return d, err
	}
	// The round's seats are the capacity the officers set for its type and year, at the
	// organiser's school units.
	rows, err := tx.Query(ctx, `WITH RECURSIVE under AS (
		  SELECT organiser_id AS id FROM enrollment_rounds WHERE id = $1
		  UNION ALL SELECT o.id FROM organisations o JOIN under ON o.parent_organisation_id = under.id)
		SELECT k.school_id::text, k.capacity, a.latitude, a.longitude
		FROM school_capacities k JOIN under ON under.id = k.school_id
		LEFT JOIN organisation_addresses a ON a.organisation_id = k.school_id
		WHERE k.school_type = $2 AND k.school_year = $3
		ORDER BY k.school_id`, roundID, schoolType, d.Year)
	if err != nil {
		return d, err
	}
	var school string
	var seats int
	var lat, lon *float64
	_, err = pgx.ForEachRow(rows, []any{&school, &seats, &lat, &lon}, func() error {
		d.Seats[school] = seats
		if lat != nil && lon != nil {
			d.Sites = append(d.Sites, Site{School: school, At: Point{Lat: *lat, Lon: *lon}, Years: []int{d.Year}})
		}
		return nil
	})
	if err != nil {
		return d, err
	}

	rows, err = tx.Query(ctx, `SELECT a.child_id::text, h.latitude, h.longitude,
		  CASE WHEN a.agreed_version IS NOT NULL THEN
		    (SELECT v.choices::text[] FROM application_versions v WHERE v.application_id = a.id AND v.version = a.agreed_version) END,
		  ARRAY(SELECT DISTINCT at.school::text
		        FROM responsibles r1
		        JOIN responsibles r2 ON r2.responsible_id = r1.responsible_id AND r2.person_id <> r1.person_id
		          AND `+register.HasCustody("r2")+` AND `+register.Active("r2")+`
		        JOIN person_addresses h2 ON h2.person_id = r2.person_id AND h2.address_type = 'Folkbokföring'
		          AND h2.street_address = h.street_address AND h2.postal_code = h.postal_code
		        JOIN LATERAL (
		          SELECT e.enroled_at AS school, e.start_date, e.end_date FROM enrolments e WHERE e.person_id = r2.person_id
		          UNION ALL SELECT p.placed_at, p.start_date, p.end_date FROM placements p WHERE p.child_id = r2.person_id
		        ) at ON at.start_date <= r.start_date AND (at.end_date IS NULL OR at.end_date >= r.start_date)
		        WHERE r1.person_id = a.child_id AND `+register.HasCustody("r1")+` AND `+register.Active("r1")+`)
		FROM applications a JOIN enrollment_rounds r ON r.id = a.round_id
		LEFT JOIN person_addresses h ON h.person_id = a.child_id AND h.address_type = 'Folkbokföring'
		WHERE a.round_id = $1 ORDER BY a.child_id`, roundID)
	if err != nil {
		return d, err
	}
	var child string
	var choices, siblings []string
	_, err = pgx.ForEachRow(rows, []any{&child, &lat, &lon, &choices, &siblings}, func() error {
		a := Applicant{Child: child, Choices: choices, SiblingAt: siblings}
		if lat != nil && lon != nil {
			a.Home, a.HasHome = Point{Lat: *lat, Lon: *lon}, true
		}
		// A choice of a school that has since lost its seats in the round is no choice, and a
		// school is chosen once.
		a.Choices = deleteUnseated(a.Choices, d.Seats)
		d.Applicants = append(d.Applicants, a)
		return nil
	})
	return d, err
}

// deleteUnseated keeps the choices of schools with seats in the round, each once.
func deleteUnseated(choices []string, seats map[string]int) []string {
	var out []string
	for _, c := range choices {
		if _, ok := seats[c]; ok && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// saveRound records a round's result in place of any before.
func saveRound(ctx context.Context, tx pgx.Tx, roundID string, seed uint64, res RoundResult) error {
	if _, err := tx.Exec(ctx, `DELETE FROM round_placements WHERE round_id = $1`, roundID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM round_intakes WHERE round_id = $1`, roundID); err != nil {
		return err
	}
	rows := make([][]any, 0, len(res.Placements))
	for _, p := range res.Placements {
		priorities, err := json.Marshal(nonNil(p.Priorities))
		if err != nil {
			return err
		}
		refusals, err := json.Marshal(nonNil(p.Refusals))
		if err != nil {
			return err
		}
		var school *string
		var choice *int
		if p.School != "" {
			school = &p.School
		}
		if p.Basis == BasisChoice {
			choice = &p.Choice
		}
		rows = append(rows, []any{roundID, p.Child, school, p.Basis, choice, string(priorities), string(refusals)})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"round_placements"},
		[]string{"round_id", "child_id", "school_id", "basis", "choice", "priorities", "refusals"}, pgx.CopyFromRows(rows)); err != nil {
		return err
	}
	for _, in := range res.Intakes {
		var cutOff []byte
		if in.CutOff != nil {
			var err error
			if cutOff, err = json.Marshal(in.CutOff); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO round_intakes (round_id, school_id, seats, by_choice, near_home, cut_off)
			VALUES ($1, $2, $3, $4, $5, $6)`, roundID, in.School, in.Seats, in.ByChoice, in.NearHome, cutOff); err != nil {
			return err
		}
	}
	// The seed is stored as the bits it is: bigint is signed.
	_, err := tx.Exec(ctx, `UPDATE enrollment_rounds SET status = 'placed', seed = $2, placed_at = now() WHERE id = $1`, roundID, int64(seed))
	return err
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Audit places a placed round again with its recorded seed, writing nothing, and answers the
// children whose place differs from the one recorded: none, as long as the applications, the
// seats and the register the round was placed from are as they were. Errors: errs.Conflict
// when the round is not placed yet.
func (s Store) Audit(ctx context.Context, roundID string) (differ []string, err error) {
	tx, err := s.DB.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback(ctx) }() // it only reads
	var seed *int64
	if err := tx.QueryRow(ctx, `SELECT seed FROM enrollment_rounds WHERE id = $1`, roundID).Scan(&seed); errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.E(errs.NotFound, errs.Msg("There is no such round."))
	} else if err != nil {
		return nil, err
	}
	if seed == nil {
		return nil, errs.E(errs.Conflict, errs.Msg("The round is not placed yet: its seed is drawn when it closes."))
	}
	data, err := loadRound(ctx, tx, roundID, uint64(*seed))
	if err != nil {
		return nil, err
	}
	res, err := PlaceRound(data)
	if err != nil {
		return nil, err
	}
	recorded := map[string]string{}
	rows, err := tx.Query(ctx, `SELECT child_id::text, coalesce(school_id::text, '') || '/' || basis || '/' || coalesce(choice, 0)
		FROM round_placements WHERE round_id = $1`, roundID)
	if err != nil {
		return nil, err
	}
	var child, place string
	if _, err := pgx.ForEachRow(rows, []any{&child, &place}, func() error {
		recorded[child] = place
		return nil
	}); err != nil {
		return nil, err
	}
	for _, p := range res.Placements {
		if recorded[p.Child] != fmt.Sprintf("%s/%s/%d", p.School, p.Basis, p.Choice) {
			differ = append(differ, p.Child)
		}
		delete(recorded, p.Child)
	}
	for c := range recorded {
		differ = append(differ, c)
	}
	return differ, nil
}

// LoadRound answers what the round would be placed from with seed, writing nothing: for a
// benchmark of the bare algorithm on the same data, and for an audit by hand.
func (s Store) LoadRound(ctx context.Context, roundID string, seed uint64) (RoundData, error) {
	tx, err := s.DB.Begin(ctx)
	if err != nil {
		return RoundData{}, err
	}
	defer func() { _ = tx.Rollback(ctx) }() // it only reads
	return loadRound(ctx, tx, roundID, seed)
}
