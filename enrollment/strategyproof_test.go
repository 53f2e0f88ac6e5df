package enrollment_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/skolflow/skolflow/enrollment"
)

// lists are every ranking of some of the schools ids, the empty one included.
func lists(ids []string) [][]string {
	all := [][]string{nil}
	for i, id := range ids {
		rest := append(slices.Clone(ids[:i]), ids[i+1:]...)
		for _, tail := range lists(rest) {
			all = append(all, append([]string{id}, tail...))
		}
	}
	return all
}

// rankIn is where school is on a family's true list, 1 for the first; one past the list for a
// school not on it or for no school, which are equally unwanted.
func rankIn(truth []string, school string) int {
	if i := slices.Index(truth, school); i >= 0 && school != "" {
		return i + 1
	}
	return len(truth) + 1
}

// No family is ever better off for ranking schools otherwise than it truly prefers them. Every
// market of three children and three schools of one seat is tried: every priority order at each
// school, every true list of each child (some of the schools, in an order), and every other list
// the child could give instead, the others telling the truth.
//
// Names are only names, so markets that differ only by them are tried once: renaming the children
// makes any one of them c0, the child who misreports, and renaming the schools then makes its
// true list [A], [A B] or [A B C] (a child that wants none of them has nothing to gain); c1 and
// c2 may then swap names, so c1's list comes no later than c2's in the order they are drawn.
func TestNoFamilyGainsByMisreportingInAnySmallMarket(t *testing.T) {
	children := []string{"c0", "c1", "c2"}
	ranked := lists([]string{"A", "B", "C"}) // 16: what a child may give
	var orders [][]string                    // the 6 priority orders of a school
	for _, l := range lists(children) {
		if len(l) == 3 {
			orders = append(orders, l)
		}
	}
	// precedence[s][c] is child c's place in school s's priority order, 0 first.
	var precedence [3][3]int
	priority := func(child, school string) enrollment.Priority {
		return enrollment.Priority{Proximity: -precedence[school[0]-'A'][child[1]-'0']}
	}
	market := enrollment.Market{Schools: []enrollment.School{{"A", 1}, {"B", 1}, {"C", 1}}, Children: make([]enrollment.Child, 3)}
	placed := func(given ...[]string) string { // where c0 is placed
		for c := range 3 {
			market.Children[c] = enrollment.Child{ID: children[c], Choices: given[c]}
		}
		res, err := enrollment.Match(market, priority)
		if err != nil {
			t.Fatal(err)
		}
		return res.Placements[0].School
	}

	markets := 0
	for _, a := range orders {
		for _, b := range orders {
			for _, c := range orders {
				for s, order := range [][]string{a, b, c} {
					for place, child := range order {
						precedence[s][child[1]-'0'] = place
					}
				}
				for _, truth := range [][]string{{"A"}, {"A", "B"}, {"A", "B", "C"}} {
					for i, t1 := range ranked {
						for _, t2 := range ranked[i:] {
							markets++
							honest := rankIn(truth, placed(truth, t1, t2))
							for _, lie := range ranked {
								if slices.Equal(lie, truth) {
									continue
								}
								if got := rankIn(truth, placed(lie, t1, t2)); got < honest {
									t.Fatalf("priorities A %v, B %v, C %v; true lists %v %v %v: c0 gets choice %d by giving %v, %d by the truth",
										a, b, c, truth, t1, t2, got, lie, honest)
								}
							}
						}
					}
				}
			}
		}
	}
	if markets != 216*3*(16*17/2) {
		t.Errorf("%d markets tried", markets)
	}
}

// The same in larger random markets, of up to 40 children and 6 schools with several seats:
// a child drawn from each market tries 30 other lists, none better for it.
func TestNoFamilyGainsByMisreportingInRandomMarkets(t *testing.T) {
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 7))
		m, ps := drawMarket(r, 1+r.IntN(40), 1+r.IntN(6), 4)
		res, _ := enrollment.Match(m, ps.of)
		child := r.IntN(len(m.Children))
		truth := m.Children[child].Choices
		honest := rankIn(truth, res.Placements[child].School)
		for range 30 {
			lie := make([]string, 0, 5)
			for _, s := range r.Perm(len(m.Schools))[:r.IntN(min(5, len(m.Schools))+1)] {
				lie = append(lie, m.Schools[s].ID)
			}
			lying := enrollment.Market{Schools: m.Schools, Children: slices.Clone(m.Children)}
			lying.Children[child].Choices = lie
			res, _ := enrollment.Match(lying, ps.of)
			if got := rankIn(truth, res.Placements[child].School); got < honest {
				t.Fatalf("market %d: %s gets choice %d of %v by giving %v, %d by the truth", seed, m.Children[child].ID, got, truth, lie, honest)
			}
		}
	}
}
