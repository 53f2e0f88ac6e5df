package enrollment

import (
	"cmp"
	"slices"
)

// The waiting list (reservlista): once the round's offers are answered, the seats families
// declined or gave up are offered again, to the children who wished for them and were refused.
// A pass places, by deferred acceptance over the same priorities as the round, the children on
// the list into the free seats: a child is on a school's list when it ranked the school above
// the place it holds, or holds none, and has not declined the school. A child moves up only; it
// keeps the place it holds until it accepts a higher one, whose seat it then frees for the next
// pass. A child whose family declined the round's own offer has left the round. A school is
// offered a child once. It is pure.

// Hold is where a child of the round stands when a pass is worked.
type Hold struct {
	School   string   // the place it holds (an accepted offer), "" for none
	Beyond   bool     // it holds it beyond the school's seats, by a decision changed on appeal
	Declined []string // the schools offered it that it does not hold: declined, or given up
	Left     bool     // it declined the round's own offer: it is on no list
}

// Move is a seat a pass offers a child: its choice ranked Choice.
type Move struct {
	Child, School string
	Choice        int
}

// WorkWaitingList answers a pass of the waiting list: the round's data as it was placed from (the
// same seed and applications), and each child's hold; a child with none in holds holds nothing.
func WorkWaitingList(d RoundData, holds map[string]Hold) ([]Move, error) {
	free := make(map[string]int, len(d.Seats))
	for school, seats := range d.Seats {
		free[school] = seats
	}
	for _, h := range holds {
		if h.School != "" && !h.Beyond {
			free[h.School]--
		}
	}
	m := Market{}
	for school, n := range free {
		m.Schools = append(m.Schools, School{ID: school, Capacity: max(n, 0)})
	}
	slices.SortFunc(m.Schools, func(a, b School) int { return cmp.Compare(a.ID, b.ID) })
	priorities := map[string][]Priority{}
	rank := map[string][]int{} // each listed school's rank among the child's choices
	all := map[string][]string{}
	for _, a := range d.Applicants {
		h := holds[a.Child]
		if h.Left || len(a.Choices) == 0 {
			continue
		}
		own := d.priorities(a)
		var wished []string
		for i, school := range a.Choices {
			if school == h.School {
				break // the rest it ranked below what it holds
			}
			if slices.Contains(h.Declined, school) {
				continue
			}
			wished = append(wished, school)
			priorities[a.Child] = append(priorities[a.Child], own[i])
			rank[a.Child] = append(rank[a.Child], i+1)
		}
		if len(wished) > 0 {
			m.Children = append(m.Children, Child{ID: a.Child, Choices: wished})
			all[a.Child] = wished
		}
	}
	matched, err := Match(m, func(child, school string) Priority {
		return priorities[child][slices.Index(all[child], school)]
	})
	if err != nil {
		return nil, err
	}
	var moves []Move
	for _, p := range matched.Placements {
		if p.School != "" {
			moves = append(moves, Move{Child: p.Child, School: p.School, Choice: rank[p.Child][p.Choice-1]})
		}
	}
	return moves, nil
}
