package enrollment_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/skolflow/skolflow/enrollment"
)

func TestSiblingsComeFirstThenProximityThenTheLottery(t *testing.T) {
	type P = enrollment.Priority
	for _, c := range []struct {
		why         string
		first, then P
	}{
		{"a sibling at the school beats the strongest proximity and the best lottery number",
			P{Sibling: true, Proximity: -5000, Lottery: math.MaxUint64, Child: "z"}, P{Proximity: 5000, Lottery: 0, Child: "a"}},
		{"without siblings, the larger relative proximity beats the better lottery number",
			P{Proximity: 301, Lottery: 900, Child: "z"}, P{Proximity: 300, Lottery: 1, Child: "a"}},
		{"a claim nearer than the alternative beats one farther",
			P{Proximity: 0, Lottery: 900}, P{Proximity: -1, Lottery: 1}},
		{"two siblings: proximity decides between them",
			P{Sibling: true, Proximity: 10, Lottery: 900}, P{Sibling: true, Proximity: 9, Lottery: 1}},
		{"proximity equal to the metre: the lower lottery number wins",
			P{Proximity: 300, Lottery: 41, Child: "z"}, P{Proximity: 300, Lottery: 42, Child: "a"}},
		{"everything equal: the child ID decides, so that no two children tie",
			P{Proximity: 300, Lottery: 42, Child: "anna"}, P{Proximity: 300, Lottery: 42, Child: "bo"}},
	} {
		if !c.first.Before(c.then) || c.then.Before(c.first) {
			t.Errorf("%s: %+v should come before %+v", c.why, c.first, c.then)
		}
	}
}

// Before is a strict total order over distinct children: irreflexive, one of any two first, and
// transitive. Drawn from few values, so that every field is often what decides.
func TestPriorityIsAStrictTotalOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	draw := func() enrollment.Priority {
		return enrollment.Priority{
			Sibling:   r.IntN(2) == 0,
			Proximity: r.IntN(3) * 100,
			Lottery:   r.Uint64N(3),
			Child:     fmt.Sprint("child-", r.IntN(3)),
		}
	}
	for range 20000 {
		p, q, s := draw(), draw(), draw()
		if p.Before(p) {
			t.Fatalf("%+v comes before itself", p)
		}
		if p != q && p.Before(q) == q.Before(p) {
			t.Fatalf("neither or both of %+v and %+v come first", p, q)
		}
		if p.Before(q) && q.Before(s) && !p.Before(s) {
			t.Fatalf("not transitive: %+v, %+v, %+v", p, q, s)
		}
	}
}

// The numbers are SHA-256 as specified (the expected values were computed with Python's hashlib,
// not this code): if they changed, a recorded round run again for an appeal would place the
// children differently.
func TestLotteryNumbersAreTheSameEverywhere(t *testing.T) {
	for _, c := range []struct {
		seed  uint64
		child string
		want  uint64
	}{
		{20260415, "child-1", 0xad5ad1942ba7eacf},
		{20260415, "child-2", 0x9073980ee1978514},
		{20260416, "child-1", 0xe99792803460da56},
		{0, "", 0xaf5570f5a1810b7a},
	} {
		if got := enrollment.Lottery(c.seed, c.child); got != c.want {
			t.Errorf("Lottery(%d, %q) = %#x, want %#x", c.seed, c.child, got, c.want)
		}
	}
}

// A fair lottery: the numbers split evenly, and a child's number says nothing of the next
// child's, nor of the numbers a new seed gives.
func TestTheLotteryFavoursNoOne(t *testing.T) {
	const n = 10000
	var high, rising, risingWithNewSeed int
	for i := range n {
		id, next := fmt.Sprint("child-", i), fmt.Sprint("child-", i+1)
		if enrollment.Lottery(7, id) >= 1<<63 {
			high++
		}
		if enrollment.Lottery(7, id) < enrollment.Lottery(7, next) {
			rising++
		}
		if enrollment.Lottery(7, id) < enrollment.Lottery(8, id) {
			risingWithNewSeed++
		}
	}
	// Each count is binomial(10 000, ½): 4.5 standard deviations is ±225.
	for what, k := range map[string]int{"in the upper half": high, "below the next child's": rising, "below the next seed's": risingWithNewSeed} {
		if k < n/2-225 || k > n/2+225 {
			t.Errorf("%d of %d numbers %s, want about half", k, n, what)
		}
	}
}
