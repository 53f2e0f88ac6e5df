package enrollment

import (
	"cmp"
	"slices"
)

// A round's placement, from what the record holds when the round has closed to where each child
// goes: the children with a complete application are placed by deferred acceptance (Match) over
// their priorities (siblings, relative proximity, the lottery); every child left, without a
// complete application or refused by every choice, is given the nearest school with a seat left,
// as the law asks of a place near home (skollagen 10 kap. 30 §), in lottery order. It is pure:
// the same round and seed give the same placement.

// Applicant is a child of the round.
type Applicant struct {
	Child string
	// Home is where the child lives (folkbokföringsadress); HasHome is false when the register
	// has no coordinates for it, and the child then has no claim by proximity and is not placed
	// near home by the round: the officers place it.
	Home    Point
	HasHome bool
	// Choices are the schools of the version every guardian agreed to, the most wished first;
	// none without a complete application.
	Choices []string
	// SiblingAt are the schools a sibling attends on the round's start date (syskonförtur): a
	// child who shares a custodial guardian and a home with this one, enrolled there or, at a
	// preschool, placed there.
	SiblingAt []string
}

// RoundData is what a round is placed from.
type RoundData struct {
	Year       int            // the school year placed (0 for förskoleklass and förskola)
	Seed       uint64         // the lottery's seed, drawn when the round closed
	Seats      map[string]int // each school's seats in the round, by school id
	Sites      []Site         // where the schools are; only schools with seats
	Applicants []Applicant
}

// The bases of a child's place.
const (
	BasisChoice   = "choice"    // a school the guardians chose
	BasisNearHome = "near-home" // the nearest school with a seat left
	BasisUnplaced = "unplaced"  // no school of the round had a seat left, or no home is known
)

// ChildPlacement is where a child is placed, on what basis, and why not higher.
type ChildPlacement struct {
	Child  string `json:"-"`
	School string `json:"schoolId"` // "" when unplaced
	Basis  string `json:"basis"`
	Choice int    `json:"choice"` // the school's rank among the choices, for BasisChoice; else 0
	// Priorities are the child's priority at each school it chose, in the order chosen.
	Priorities []Standing `json:"priorities"`
	// Refusals are the choices ranked above its place (all of them when not placed by choice),
	// each with the lowest priority admitted there.
	Refusals []Refused `json:"refusals"`
}

// Standing is a child's priority at one school, without the child: what a family may be told.
type Standing struct {
	School    string `json:"schoolId,omitempty"`
	Choice    int    `json:"choice,omitempty"`
	Sibling   bool   `json:"sibling"`
	Proximity int    `json:"proximity"` // relative proximity in metres; larger is stronger
	Lottery   uint64 `json:"lottery,string"`
}

// Refused is a choice a child was refused at: the school was full, down to CutOff, with
// children of higher priority (nil CutOff: the school had no seats).
type Refused struct {
	School string    `json:"schoolId"`
	Choice int       `json:"choice"`
	CutOff *Standing `json:"cutOff"`
}

// SchoolIntake is whom a school took in the round.
type SchoolIntake struct {
	School   string
	Seats    int
	ByChoice int
	NearHome int
	CutOff   *Standing // the lowest priority admitted by choice; nil when none was
}

// RoundStats are a round's figures for the officers.
type RoundStats struct {
	Applicants  int `json:"applicants"`
	Complete    int `json:"complete"`    // with a complete application
	FirstChoice int `json:"firstChoice"` // placed at their first choice
	ByChoice    int `json:"byChoice"`    // placed at one of their choices
	NearHome    int `json:"nearHome"`
	Unplaced    int `json:"unplaced"`
}

// RoundResult is a round's placement.
type RoundResult struct {
	Placements []ChildPlacement // in the order of RoundData.Applicants
	Intakes    []SchoolIntake   // by school id
	Stats      RoundStats
}

// noClaim is the proximity of a child whose home is not known: weaker than any real claim.
const noClaim = -NoAlternative

// PlaceRound places a round's children. The error is Match's, for data that is not a market
// (a choice of a school without seats in the round, a child listed twice).
func PlaceRound(d RoundData) (RoundResult, error) {
	schools := make([]string, 0, len(d.Seats))
	for s := range d.Seats {
		schools = append(schools, s)
	}
	slices.Sort(schools)
	m := Market{}
	for _, s := range schools {
		m.Schools = append(m.Schools, School{ID: s, Capacity: d.Seats[s]})
	}
	// Each child's priority at each of its choices, in the order chosen: computed once, for the
	// match and for the explanation (relative proximity is most of a round's work).
	priorities := make(map[string][]Priority, len(d.Applicants))
	for _, a := range d.Applicants {
		if len(a.Choices) == 0 {
			continue
		}
		m.Children = append(m.Children, Child{ID: a.Child, Choices: a.Choices})
		priorities[a.Child] = d.priorities(a)
	}
	choices := make(map[string][]string, len(m.Children))
	for _, c := range m.Children {
		choices[c.ID] = c.Choices
	}
	matched, err := Match(m, func(child, school string) Priority {
		return priorities[child][slices.Index(choices[child], school)]
	})
	if err != nil {
		return RoundResult{}, err
	}

	res := RoundResult{Stats: RoundStats{Applicants: len(d.Applicants), Complete: len(m.Children)}}
	left := make(map[string]int, len(schools))
	intakes := make(map[string]*SchoolIntake, len(schools))
	for _, in := range matched.Intakes {
		left[in.School] = in.Capacity - len(in.Admitted)
		intake := &SchoolIntake{School: in.School, Seats: in.Capacity, ByChoice: len(in.Admitted)}
		if len(in.Admitted) > 0 {
			intake.CutOff = standing(in.CutOff)
		}
		intakes[in.School] = intake
	}
	placed := make(map[string]Placement, len(matched.Placements))
	for _, p := range matched.Placements {
		placed[p.Child] = p
	}

	// Those left get the nearest seat left, the lowest lottery number first.
	var rest []Applicant
	for _, a := range d.Applicants {
		if placed[a.Child].School == "" {
			rest = append(rest, a)
		}
	}
	slices.SortFunc(rest, func(a, b Applicant) int {
		return cmp.Or(cmp.Compare(Lottery(d.Seed, a.Child), Lottery(d.Seed, b.Child)), cmp.Compare(a.Child, b.Child))
	})
	nearHome := make(map[string]string, len(rest))
	for _, a := range rest {
		if !a.HasHome {
			continue
		}
		best, bestDistance := "", 0.0
		for _, site := range d.Sites {
			if left[site.School] == 0 {
				continue
			}
			if dist := Distance(a.Home, site.At); best == "" || dist < bestDistance || (dist == bestDistance && site.School < best) {
				best, bestDistance = site.School, dist
			}
		}
		if best != "" {
			left[best]--
			intakes[best].NearHome++
			nearHome[a.Child] = best
		}
	}

	for _, a := range d.Applicants {
		cp := ChildPlacement{Child: a.Child, Basis: BasisUnplaced}
		for i, p := range priorities[a.Child] {
			st := standing(p)
			st.School, st.Choice = a.Choices[i], i+1
			cp.Priorities = append(cp.Priorities, *st)
		}
		p, matchedChild := placed[a.Child]
		switch {
		case matchedChild && p.School != "":
			cp.School, cp.Basis, cp.Choice = p.School, BasisChoice, p.Choice
			res.Stats.ByChoice++
			if p.Choice == 1 {
				res.Stats.FirstChoice++
			}
		case nearHome[a.Child] != "":
			cp.School, cp.Basis = nearHome[a.Child], BasisNearHome
			res.Stats.NearHome++
		default:
			res.Stats.Unplaced++
		}
		for _, r := range p.Refusals {
			cp.Refusals = append(cp.Refusals, Refused{School: r.School, Choice: r.Choice, CutOff: intakes[r.School].CutOff})
		}
		res.Placements = append(res.Placements, cp)
	}
	for _, s := range schools {
		res.Intakes = append(res.Intakes, *intakes[s])
	}
	return res, nil
}

// priorities are the child's priority at each of its choices, in the order chosen.
func (d RoundData) priorities(a Applicant) []Priority {
	out := make([]Priority, 0, len(a.Choices))
	for _, school := range a.Choices {
		p := Priority{Sibling: slices.Contains(a.SiblingAt, school), Proximity: noClaim, Lottery: Lottery(d.Seed, a.Child), Child: a.Child}
		if a.HasHome {
			if metres, ok := RelativeProximity(a.Home, d.Year, school, d.Sites); ok {
				p.Proximity = metres
			}
		}
		out = append(out, p)
	}
	return out
}

// standing is a priority without its child.
func standing(p Priority) *Standing {
	return &Standing{Sibling: p.Sibling, Proximity: p.Proximity, Lottery: p.Lottery}
}
