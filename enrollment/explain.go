package enrollment

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/register"
)

// Why a child got its place, as its guardians and the officers may see it: the child's choices,
// its priority at each, and for each choice ranked above its place the lowest priority admitted
// there, with the ground of the refusal and how to appeal it. Nothing of another child is told:
// a cut-off is a priority, never whose.

// PlacementView is a child's place in a round and why.
type PlacementView struct {
	School     string        `json:"schoolId"` // "" when unplaced
	Name       string        `json:"name"`
	Basis      string        `json:"basis"`
	Choice     int           `json:"choice"`
	Priorities []Standing    `json:"priorities"`
	Refusals   []RefusalView `json:"refusals"`
}

// RefusalView is a choice the child was refused, why, and how to appeal.
type RefusalView struct {
	Refused
	Name string    `json:"name"`
	Own  *Standing `json:"own"`
	// Ground is what decided against the child: sibling (a child with a sibling there came
	// first), proximity (a child with a stronger claim by relative proximity) or lottery (equal
	// claims, drawn by lot), or full when the school had no seats.
	Ground string `json:"ground"`
	// AppealTo is the body that tries an appeal on that ground, and AppealBy the last day to
	// lodge it: three weeks from the day the placement was published (förvaltningslagen 44 §).
	AppealTo string `json:"appealTo"`
	AppealBy string `json:"appealBy,omitempty"` // YYYY-MM-DD; "" before publication
}

// The bodies an appeal goes to, by its ground (see domain.md, "Enrollment and placement").
const (
	AppealCourt = "Förvaltningsrätten"              // a refusal by proximity
	AppealBoard = "Skolväsendets överklagandenämnd" // a refusal on any other ground
	AppealWeeks = 3
)

// Explain answers why the child got its place in the round, nil while the round is not placed,
// or not yet published when family is true (the guardians learn the placement when it is
// published, not while the officers review it).
func (s Store) Explain(ctx context.Context, child, round string, family bool) (*PlacementView, error) {
	var v PlacementView
	var status string
	var published *time.Time
	var school *string
	var choice *int
	var priorities, refusals []byte
	err := s.DB.QueryRow(ctx, `SELECT r.status, r.published_at, p.school_id::text, coalesce(o.display_name, ''), p.basis, p.choice,
		  p.priorities, p.refusals
		FROM round_placements p JOIN enrollment_rounds r ON r.id = p.round_id LEFT JOIN organisations o ON o.id = p.school_id
		WHERE p.round_id = $1 AND p.child_id = $2`, round, child).
		Scan(&status, &published, &school, &v.Name, &v.Basis, &choice, &priorities, &refusals)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && family && status != "published") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if school != nil {
		v.School = *school
	}
	if choice != nil {
		v.Choice = *choice
	}
	var refused []Refused
	if err := errors.Join(json.Unmarshal(priorities, &v.Priorities), json.Unmarshal(refusals, &refused)); err != nil {
		return nil, err
	}
	names, err := s.schoolNames(ctx, round, child)
	if err != nil {
		return nil, err
	}
	v.Refusals = []RefusalView{}
	for _, r := range refused {
		rv := RefusalView{Refused: r, Name: names[r.School], Ground: "full", AppealTo: AppealBoard}
		for _, p := range v.Priorities {
			if p.School == r.School {
				rv.Own = &p
			}
		}
		if r.CutOff != nil && rv.Own != nil {
			switch {
			case r.CutOff.Sibling && !rv.Own.Sibling:
				rv.Ground = "sibling"
			case r.CutOff.Proximity > rv.Own.Proximity:
				rv.Ground, rv.AppealTo = "proximity", AppealCourt
			default:
				rv.Ground = "lottery"
			}
		}
		if published != nil {
			rv.AppealBy = published.In(register.SchoolDay).AddDate(0, 0, 7*AppealWeeks).Format(time.DateOnly)
		}
		v.Refusals = append(v.Refusals, rv)
	}
	return &v, nil
}

// schoolNames names the schools of the child's placement, its choices and refusals.
func (s Store) schoolNames(ctx context.Context, round, child string) (map[string]string, error) {
	rows, err := s.DB.Query(ctx, `SELECT o.id::text, o.display_name FROM organisations o
		WHERE o.id IN (SELECT (x->>'schoolId')::uuid FROM round_placements p, jsonb_array_elements(p.refusals) x
		               WHERE p.round_id = $1 AND p.child_id = $2)`, round, child)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	var id, name string
	_, err = pgx.ForEachRow(rows, []any{&id, &name}, func() error {
		names[id] = name
		return nil
	})
	return names, err
}
