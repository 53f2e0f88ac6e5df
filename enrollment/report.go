package enrollment

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/errs"
)

// RoundReport is a round as its officers follow it: its steps, its figures and each school's
// intake. It names no child.
type RoundReport struct {
	Round
	ProcessID   string     `json:"processId" db:"process_id"`
	Seed        *string    `json:"seed" db:"seed"` // the lottery's seed, once drawn, for a re-run to audit the result
	PlacedAt    *time.Time `json:"placedAt" db:"placed_at"`
	ApprovedBy  *string    `json:"approvedBy" db:"approved_by"`
	ApprovedAt  *time.Time `json:"approvedAt" db:"approved_at"`
	PublishedAt *time.Time `json:"publishedAt" db:"published_at"`
	Stats       RoundStats `json:"stats" db:"stats"`
	// FirstChoiceShare is the share of the children with a complete application placed at
	// their first choice, 0 to 1.
	FirstChoiceShare float64      `json:"firstChoiceShare" db:"first_choice_share"`
	Intakes          []IntakeView `json:"intakes" db:"intakes"`
	// WaitingList is what the waiting list has done: the seats it offered, and those accepted.
	WaitingList WaitingListStats `json:"waitingList" db:"waiting_list"`
}

// WaitingListStats are the waiting list's figures.
type WaitingListStats struct {
	Offered  int `json:"offered"`
	Accepted int `json:"accepted"`
}

// IntakeView is a school's intake in the round.
type IntakeView struct {
	School   string    `json:"schoolId"`
	Name     string    `json:"name"`
	Seats    int       `json:"seats"`
	ByChoice int       `json:"byChoice"`
	NearHome int       `json:"nearHome"`
	CutOff   *Standing `json:"cutOff"`
}

// Report answers a round of the organiser as its officers follow it. Errors: errs.NotFound when
// the organiser has no such round.
func (s Store) Report(ctx context.Context, organiser, roundID string) (RoundReport, error) {
	rows, _ := s.DB.Query(ctx, `WITH p AS (SELECT * FROM round_placements WHERE round_id = $2),
		  stats AS (SELECT json_build_object(
		    'applicants', (SELECT count(*) FROM applications WHERE round_id = $2),
		    'complete', (SELECT count(*) FROM applications WHERE round_id = $2 AND agreed_version IS NOT NULL),
		    'firstChoice', (SELECT count(*) FROM p WHERE choice = 1),
		    'byChoice', (SELECT count(*) FROM p WHERE basis = 'choice'),
		    'nearHome', (SELECT count(*) FROM p WHERE basis = 'near-home'),
		    'unplaced', (SELECT count(*) FROM p WHERE basis = 'unplaced')) AS j)
		SELECT r.id::text AS id, r.organiser_id::text AS organiser_id, r.name, r.school_type, r.school_year,
		  r.start_date::text AS start_date, r.closes_at, r.publishes_at, r.status,
		  'placement:' || r.organiser_id || ':' || r.id AS process_id, (r.seed::numeric + CASE WHEN r.seed < 0 THEN 18446744073709551616 ELSE 0 END)::text AS seed, r.placed_at,
		  r.approved_by::text AS approved_by, r.approved_at, r.published_at, (SELECT j FROM stats) AS stats,
		  coalesce((SELECT count(*) FILTER (WHERE choice = 1)::float8 / nullif((SELECT count(*) FROM applications
		    WHERE round_id = $2 AND agreed_version IS NOT NULL), 0) FROM p), 0) AS first_choice_share,
		  coalesce((SELECT json_agg(json_build_object('schoolId', i.school_id, 'name', o.display_name, 'seats', i.seats,
		    'byChoice', i.by_choice, 'nearHome', i.near_home, 'cutOff', i.cut_off) ORDER BY o.display_name)
		    FROM round_intakes i JOIN organisations o ON o.id = i.school_id WHERE i.round_id = r.id), '[]') AS intakes,
		  (SELECT json_build_object('offered', count(*), 'accepted', count(*) FILTER (WHERE f.status IN ('accepted', 'released')))
		    FROM offers f WHERE f.round_id = r.id AND f.pass > 0) AS waiting_list
		FROM enrollment_rounds r WHERE r.organiser_id = $1 AND r.id = $2`, organiser, roundID)
	report, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[RoundReport])
	if errors.Is(err, pgx.ErrNoRows) {
		return RoundReport{}, errs.E(errs.NotFound, errs.Msg("The organiser has no such round."))
	}
	return report, err
}
