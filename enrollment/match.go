// Package enrollment is the pure core of school placement (skolplacering): who is placed where
// when more children choose a school than it has seats. It reads and writes nothing; the
// placement round gives it the market (the schools' seats and the guardians' ranked choices) and
// each child's priority at each school it chose, and records what it answers.
//
// A child is placed at the school its guardians wish unless that would set aside another child's
// justified claim to a school near home (skollagen 10 kap. 30 §): siblings come first
// (syskonförtur), then relative proximity (relativ närhet, proximity.go), then a lottery whose
// seed the round records (priority.go). Placement is student-proposing deferred acceptance
// (match.go), under which ranking the schools in the order the family truly prefers them is
// always its best move (Abdulkadiroğlu and Sönmez 2003): no family gains by tactics.
package enrollment

import "slices"

// Result is a round's placement.
type Result struct {
	// Placements are the children's, in the market's order: Placements[i] is of Children[i].
	Placements []Placement
	// Intakes are the schools', in the market's order: Intakes[i] is of Schools[i].
	Intakes []Intake
}

// Placement is where a child is placed, and why not at the schools it ranked higher.
type Placement struct {
	Child string
	// School is the school the child is placed at; "" when every choice refused it, and the child
	// is to be placed, outside the round, at a school with a free seat near home.
	School string
	// Choice is School's rank among the child's choices, 1 for the first; 0 when unplaced.
	Choice int
	// Refusals are the choices ranked above School, the most wished first: every choice when
	// the child is unplaced, none when it got its first.
	Refusals []Refusal
}

// Refusal is why a child was not placed at a school it ranked higher than where it was placed:
// the school was full with children of higher priority. Under deferred acceptance that is the
// only reason there is: a school refuses a child only when full, and only for one before it.
type Refusal struct {
	School string
	Choice int // the school's rank among the child's choices, 1 for the first
	// Own is the child's priority there, CutOff the lowest priority admitted there (Intake.CutOff):
	// CutOff is Before Own. CutOff is the zero Priority when the school had no seats.
	Own, CutOff Priority
}

// Intake is whom a school admitted.
type Intake struct {
	School   string
	Capacity int
	// Admitted are the children placed at the school, the highest priority first.
	Admitted []string
	// CutOff is the priority of the last admitted: a child refused there had a lower one. The zero
	// Priority when no child was admitted.
	CutOff Priority
}

// Match places the children of m by student-proposing deferred acceptance (Gale and Shapley
// 1962; for schools, Abdulkadiroğlu and Sönmez 2003). Each child applies to its choices in turn;
// a school holds the applicants of highest priority up to its capacity, and refuses the others,
// who apply to their next choice. A child held may later be displaced by one of higher priority,
// so an application is never accepted until the end. What results is stable: no child is
// refused at a school it ranks above its placement while that school has a free seat or admitted
// a child of lower priority. And no other stable placement puts any child higher on its list.
//
// priority answers a child's priority at a school it chose; Match asks it once for each choice,
// children in the market's order and each child's choices in rank order, and sets Priority.Child
// itself. The result depends only on the market's content and the priorities, not on the order
// the children or the schools are listed in, except for the order of Placements and Intakes.
// The error is Check's, when the market is not one to place.
//
// It takes time in proportion to the applications made, times the logarithm of a school's
// capacity: a city's round of 22 000 children with five choices each takes some tens of
// milliseconds.
func Match(m Market, priority func(child, school string) Priority) (Result, error) {
	if err := m.Check(); err != nil {
		return Result{}, err
	}
	r := newRound(m, priority)
	for c := range m.Children {
		r.apply(int32(c))
	}
	return r.result(m), nil
}

// round is deferred acceptance in progress. Children and schools are their indices in the
// market. The choices of child c are choice[first[c]:first[c+1]], and its priority at each is
// the same index in prio. next[c] is the index of the choice c is held at or applies to next:
// first[c+1] when c has been refused everywhere.
type round struct {
	first    []int32
	choice   []int32
	prio     []Priority
	next     []int32
	capacity []int
	// held[s] are the children school s holds, a heap with the lowest priority at the root, so
	// that the one a newcomer displaces is found at once.
	held [][]int32
}

func newRound(m Market, priority func(child, school string) Priority) *round {
	choices, seats := 0, 0
	for _, c := range m.Children {
		choices += len(c.Choices)
	}
	for _, s := range m.Schools {
		seats += min(s.Capacity, len(m.Children))
	}
	r := &round{
		first:    make([]int32, len(m.Children)+1),
		choice:   make([]int32, 0, choices),
		prio:     make([]Priority, 0, choices),
		next:     make([]int32, len(m.Children)),
		capacity: make([]int, len(m.Schools)),
		held:     make([][]int32, len(m.Schools)),
	}
	index := make(map[string]int32, len(m.Schools))
	room := make([]int32, seats) // the schools' heaps side by side, each as long as it may grow
	for s, school := range m.Schools {
		index[school.ID] = int32(s)
		r.capacity[s] = school.Capacity
		n := min(school.Capacity, len(m.Children))
		r.held[s], room = room[:0:n], room[n:]
	}
	for c, child := range m.Children {
		r.first[c], r.next[c] = int32(len(r.choice)), int32(len(r.choice))
		for _, s := range child.Choices {
			p := priority(child.ID, s)
			p.Child = child.ID
			r.choice = append(r.choice, index[s])
			r.prio = append(r.prio, p)
		}
	}
	r.first[len(m.Children)] = int32(len(r.choice))
	return r
}

// apply lets child c apply down its choices until a school holds it or none is left. A child it
// displaces applies on in its place, so one call settles every refusal it causes.
func (r *round) apply(c int32) {
	for r.next[c] < r.first[c+1] {
		s := r.choice[r.next[c]]
		held := r.held[s]
		switch {
		case len(held) < r.capacity[s]:
			r.held[s] = append(held, c)
			r.up(s, len(held))
			return
		case len(held) > 0 && r.at(c).Before(r.at(held[0])):
			displaced := held[0]
			held[0] = c
			r.down(s, 0)
			r.next[displaced]++
			c = displaced
		default:
			r.next[c]++
		}
	}
}

// at is child c's priority at the school it is held at or applies to.
func (r *round) at(c int32) Priority { return r.prio[r.next[c]] }

// lower tells whether held child a has a lower priority than held child b at their school.
func (r *round) lower(a, b int32) bool { return r.at(b).Before(r.at(a)) }

func (r *round) up(s int32, i int) {
	h := r.held[s]
	for i > 0 {
		parent := (i - 1) / 2
		if !r.lower(h[i], h[parent]) {
			return
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

func (r *round) down(s int32, i int) {
	h := r.held[s]
	for {
		lowest, left, right := i, 2*i+1, 2*i+2
		if left < len(h) && r.lower(h[left], h[lowest]) {
			lowest = left
		}
		if right < len(h) && r.lower(h[right], h[lowest]) {
			lowest = right
		}
		if lowest == i {
			return
		}
		h[i], h[lowest] = h[lowest], h[i]
		i = lowest
	}
}

// result reads the placement off a finished round.
func (r *round) result(m Market) Result {
	res := Result{Placements: make([]Placement, len(m.Children)), Intakes: make([]Intake, len(m.Schools))}
	placed := 0
	for _, held := range r.held {
		placed += len(held)
	}
	names := make([]string, placed) // the schools' lists of admitted side by side
	for s, school := range m.Schools {
		held := r.held[s]
		slices.SortFunc(held, func(a, b int32) int {
			switch {
			case r.lower(a, b):
				return 1
			case r.lower(b, a):
				return -1
			}
			return 0
		})
		in := Intake{School: school.ID, Capacity: school.Capacity}
		in.Admitted, names = names[:len(held):len(held)], names[len(held):]
		for i, c := range held {
			in.Admitted[i] = m.Children[c].ID
		}
		if len(held) > 0 {
			in.CutOff = r.at(held[len(held)-1])
		}
		res.Intakes[s] = in
	}
	refused := 0
	for c := range m.Children {
		refused += int(r.next[c] - r.first[c])
	}
	refusals := make([]Refusal, refused) // the children's refusals side by side
	for c, child := range m.Children {
		p := Placement{Child: child.ID}
		if r.next[c] < r.first[c+1] {
			p.School = m.Schools[r.choice[r.next[c]]].ID
			p.Choice = int(r.next[c]-r.first[c]) + 1
		}
		if n := int(r.next[c] - r.first[c]); n > 0 {
			p.Refusals, refusals = refusals[:n:n], refusals[n:]
		}
		for k := range p.Refusals {
			i := r.first[c] + int32(k)
			p.Refusals[k] = Refusal{
				School: m.Schools[r.choice[i]].ID,
				Choice: k + 1,
				Own:    r.prio[i],
				CutOff: res.Intakes[r.choice[i]].CutOff,
			}
		}
		res.Placements[c] = p
	}
	return res
}
