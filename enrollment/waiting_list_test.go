package enrollment_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/skolflow/skolflow/enrollment"
)

// The small map of TestARoundOnASmallMap after its round: Ann holds A, Bo B (refused at A), Cid
// C near home, Dag nothing. Eve, at C near home too, ranked A first and has a sister there.
func smallMapAfterTheRound() enrollment.RoundData {
	a, b, c := enrollment.Point{Lat: 59.30, Lon: 18}, enrollment.Point{Lat: 59.31, Lon: 18}, enrollment.Point{Lat: 59.32, Lon: 18}
	return enrollment.RoundData{Year: 7, Seed: 42, Seats: map[string]int{"A": 1, "B": 1, "C": 2},
		Sites: []enrollment.Site{{School: "A", At: a, Years: []int{7}}, {School: "B", At: b, Years: []int{7}}, {School: "C", At: c, Years: []int{7}}},
		Applicants: []enrollment.Applicant{
			{Child: "ann", Home: a, HasHome: true, Choices: []string{"A"}},
			{Child: "bo", Home: enrollment.Point{Lat: 59.305, Lon: 18}, HasHome: true, Choices: []string{"A", "B"}},
			{Child: "cid", Home: enrollment.Point{Lat: 59.311, Lon: 18}, HasHome: true},
			{Child: "dag"},
			{Child: "eve", Home: c, HasHome: true, Choices: []string{"A"}, SiblingAt: []string{"A"}},
		}}
}

// Ann's family declines A: she leaves the round, and A's seat goes to the child of highest
// priority who wished for it, Eve with her sister there, not Bo. Bo stays at B. Once Eve has
// accepted A, her seat at C is free, but no one ranked C: the next pass offers nothing. A
// school declined is not offered again.
func TestTheWaitingListOffersADeclinedSeat(t *testing.T) {
	d := smallMapAfterTheRound()
	holds := map[string]enrollment.Hold{"ann": {Left: true}, "bo": {School: "B"}, "cid": {School: "C"}, "eve": {School: "C"}}
	moves, err := enrollment.WorkWaitingList(d, holds)
	if err != nil {
		t.Fatal(err)
	}
	if want := []enrollment.Move{{Child: "eve", School: "A", Choice: 1}}; !slices.Equal(moves, want) {
		t.Fatalf("the first pass: %+v, want %+v", moves, want)
	}
	holds["eve"] = enrollment.Hold{School: "A"}
	if moves, err := enrollment.WorkWaitingList(d, holds); err != nil || len(moves) != 0 {
		t.Fatalf("the second pass: %+v (%v), want none", moves, err)
	}

	// Had Eve declined A, the seat goes to Bo, who then frees B for no one.
	holds["eve"] = enrollment.Hold{School: "C", Declined: []string{"A"}}
	moves, err = enrollment.WorkWaitingList(d, holds)
	if want := []enrollment.Move{{Child: "bo", School: "A", Choice: 1}}; err != nil || !slices.Equal(moves, want) {
		t.Fatalf("with Eve's decline: %+v (%v), want %+v", moves, err, want)
	}

	// Had Eve got A on appeal, beyond its seat, the seat Ann declined is still Bo's.
	holds["eve"] = enrollment.Hold{School: "A", Beyond: true}
	moves, err = enrollment.WorkWaitingList(d, holds)
	if want := []enrollment.Move{{Child: "bo", School: "A", Choice: 1}}; err != nil || !slices.Equal(moves, want) {
		t.Fatalf("with Eve at A on appeal: %+v (%v), want %+v", moves, err, want)
	}
}

// Over many random rounds, worked pass by pass with random declines until a pass offers nothing:
// no school is offered more seats than are free, a child is offered only a school it ranked
// above what it holds and did not decline, a child who left is offered nothing, and no child
// is passed over at a school for one of lower priority or while a seat stays free there.
func TestTheWaitingListOverManyRounds(t *testing.T) {
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 7))
		d := randomRound(r)
		res, err := enrollment.PlaceRound(d)
		if err != nil {
			t.Fatal(err)
		}
		holds := map[string]enrollment.Hold{}
		for _, p := range res.Placements {
			switch {
			case p.School != "" && r.IntN(4) == 0:
				holds[p.Child] = enrollment.Hold{Left: true}
			case p.School != "":
				holds[p.Child] = enrollment.Hold{School: p.School}
			}
		}
		for pass := 1; ; pass++ {
			moves, err := enrollment.WorkWaitingList(d, holds)
			if err != nil {
				t.Fatal(err)
			}
			if len(moves) == 0 {
				break
			}
			if pass > 100 {
				t.Fatalf("seed %d: the waiting list does not end", seed)
			}
			if msg := checkPass(d, holds, moves); msg != "" {
				t.Fatalf("seed %d, pass %d: %s", seed, pass, msg)
			}
			for _, m := range moves {
				h := holds[m.Child]
				if r.IntN(3) == 0 {
					h.Declined = append(h.Declined, m.School)
				} else {
					h.School = m.School
				}
				holds[m.Child] = h
			}
		}
	}
}

// checkPass answers what is wrong with a pass's moves, "" when nothing is.
func checkPass(d enrollment.RoundData, holds map[string]enrollment.Hold, moves []enrollment.Move) string {
	free := map[string]int{}
	for s, n := range d.Seats {
		free[s] = n
	}
	for _, h := range holds {
		if h.School != "" {
			free[h.School]--
		}
	}
	offered := map[string]enrollment.Move{}
	for _, m := range moves {
		offered[m.Child] = m
		free[m.School]--
	}
	for s, n := range free {
		if n < 0 && slices.ContainsFunc(moves, func(m enrollment.Move) bool { return m.School == s }) {
			return fmt.Sprintf("%s is offered beyond its free seats", s)
		}
	}
	prio := func(a enrollment.Applicant, school string) enrollment.Priority {
		return enrollment.Priority{Sibling: slices.Contains(a.SiblingAt, school), Proximity: proximity(d, a, school),
			Lottery: enrollment.Lottery(d.Seed, a.Child), Child: a.Child}
	}
	byChild := map[string]enrollment.Applicant{}
	for _, a := range d.Applicants {
		byChild[a.Child] = a
	}
	for _, a := range d.Applicants {
		h := holds[a.Child]
		held := slices.Index(a.Choices, h.School)
		if held < 0 {
			held = len(a.Choices)
		}
		if m, ok := offered[a.Child]; ok {
			if h.Left || m.Choice < 1 || m.Choice > held || a.Choices[m.Choice-1] != m.School || slices.Contains(h.Declined, m.School) {
				return fmt.Sprintf("%s (holding %+v) is offered %+v", a.Child, h, m)
			}
		}
		if h.Left {
			continue
		}
		// Every school it wishes for more than what it holds and is offered: full of children
		// held there or offered it with higher priority.
		upTo := held
		if m, ok := offered[a.Child]; ok {
			upTo = m.Choice - 1
		}
		for _, s := range a.Choices[:upTo] {
			if slices.Contains(h.Declined, s) {
				continue
			}
			if free[s] > 0 {
				return fmt.Sprintf("%s wished for %s, which keeps a free seat", a.Child, s)
			}
			for _, m := range moves {
				if m.School == s && prio(a, s).Before(prio(byChild[m.Child], s)) {
					return fmt.Sprintf("%s was passed over at %s for %s", a.Child, s, m.Child)
				}
			}
		}
	}
	return ""
}

func proximity(d enrollment.RoundData, a enrollment.Applicant, school string) int {
	if !a.HasHome {
		return -enrollment.NoAlternative
	}
	if m, ok := enrollment.RelativeProximity(a.Home, d.Year, school, d.Sites); ok {
		return m
	}
	return -enrollment.NoAlternative
}

// randomRound is a round of up to 40 children and 6 schools on a small map.
func randomRound(r *rand.Rand) enrollment.RoundData {
	d := enrollment.RoundData{Year: 7, Seed: r.Uint64(), Seats: map[string]int{}}
	point := func() enrollment.Point { return enrollment.Point{Lat: 59.3 + r.Float64()/50, Lon: 18 + r.Float64()/25} }
	schools := 2 + r.IntN(5)
	var ids []string
	for i := range schools {
		id := fmt.Sprintf("s%d", i)
		ids = append(ids, id)
		d.Seats[id] = r.IntN(6)
		d.Sites = append(d.Sites, enrollment.Site{School: id, At: point(), Years: []int{7}})
	}
	for i := range 1 + r.IntN(40) {
		a := enrollment.Applicant{Child: fmt.Sprintf("c%02d", i), Home: point(), HasHome: r.IntN(10) > 0}
		perm := r.Perm(schools)
		for _, j := range perm[:r.IntN(min(schools, 5)+1)] {
			a.Choices = append(a.Choices, ids[j])
		}
		if r.IntN(5) == 0 {
			a.SiblingAt = []string{ids[r.IntN(schools)]}
		}
		d.Applicants = append(d.Applicants, a)
	}
	return d
}
