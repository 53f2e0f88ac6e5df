package seed

import (
	"math/rand/v2"
	"slices"

	"github.com/google/uuid"

	"github.com/skolflow/skolflow/register"
)

// Who applies in the city's school choice (skolval, enrollment.go): the children who start
// year 7 or förskoleklass next August. The pupils now in year 6 are the year-7 applicants;
// children from outside the seeded schools (from independent schools, or moving in) make up
// what the city's share still lacks. Förskoleklass applicants are five-year-olds, who are in no
// seeded school: half are younger siblings of pupils, in their family and home, so that
// placement has siblings to weigh, and half are of families with no child at school yet.
const (
	cityYear7Applicants  = 12_000 // at the city's 140 000 pupils; a scale has its share of them
	cityFklassApplicants = 10_000
	cityPupils           = 140_000

	youngerSiblingShare = 0.5  // of the förskoleklass applicants: a younger sibling of pupils
	youngestOldest      = 6    // a younger sibling's family has no pupil above this year: parents' ages stay plausible
	bothRoundsShare     = 0.15 // of the families from outside with a child for year 7: one for förskoleklass too
	twoCustodianShare   = 0.8  // of the families from outside: two custodial guardians
)

// applicant is a child who applies in a round, as its application is made.
type applicant struct {
	child      Person
	home       Place
	custodians []uuid.UUID // 1 or 2 custodial guardians, in the register's order
	school     *unit       // the school the child goes to now, or nil for one not seeded
}

// share is a round's applicants at scale s: perCity at the city's pupils, rounded.
func share(s Scale, perCity int) int {
	return (perCity*s.Pupils + cityPupils/2) / cityPupils
}

// household is what the register holds of each pupil's family: their responsible adults, in
// the order they were added, and their home.
type household struct {
	responsibles map[uuid.UUID][]Responsible
	homes        map[uuid.UUID]Place
}

func (g *generator) households() household {
	h := household{responsibles: make(map[uuid.UUID][]Responsible, len(g.reg.Enrolments)),
		homes: make(map[uuid.UUID]Place, len(g.reg.PersonAddresses))}
	for _, rs := range g.reg.Responsibles {
		h.responsibles[rs.Child] = append(h.responsibles[rs.Child], rs)
	}
	for _, a := range g.reg.PersonAddresses {
		if a.Type == register.HomeAddress {
			h.homes[a.Person] = a.Place
		}
	}
	return h
}

func (h household) custodians(child uuid.UUID) []uuid.UUID {
	var out []uuid.UUID
	for _, rs := range h.responsibles[child] {
		if rs.Relation == register.Custody {
			out = append(out, rs.Adult)
		}
	}
	return out
}

// applicants makes up the applicants of year 7 and of förskoleklass, adding to the register the
// children and families who are not in it yet. It runs after guardians, and last of what adds
// persons, so that everyone else keeps their key and civic number.
func (g *generator) applicants(s Scale, schools, preschools []*unit, fams []*family) (year7, fklass []applicant) {
	r := stream("applicants")
	h := g.households()
	want7, wantF := share(s, cityYear7Applicants), share(s, cityFklassApplicants)

	// Year 7: the pupils of year 6, those of schools that end with year 6 (who must move) first,
	// when the scale has more of them than its share.
	var sixth []*child
	for _, f := range fams {
		for _, c := range f.children {
			if c.year == 6 {
				sixth = append(sixth, c)
			}
		}
	}
	slices.SortStableFunc(sixth, func(a, b *child) int { return boolOrder(a.school.teaches(7), b.school.teaches(7)) })
	for _, c := range sixth[:min(len(sixth), want7)] {
		year7 = append(year7, applicant{child: c.pupil, home: h.homes[c.pupil.ID], custodians: h.custodians(c.pupil.ID), school: c.school})
	}

	// Förskoleklass: younger siblings of pupils, of families whose oldest is at most in year 6.
	var young []*family
	for _, f := range fams {
		if f.children[0].year <= youngestOldest {
			young = append(young, f)
		}
	}
	siblings := min(len(young), int(float64(wantF)*youngerSiblingShare+0.5))
	for _, i := range r.Perm(len(young))[:siblings] {
		f := young[i]
		kid := g.child(r, f, g.cal.year-5)
		for _, rs := range h.responsibles[f.children[0].pupil.ID] {
			rs.Child, rs.Start = kid.ID, kid.BirthDate
			if rs.Relation != register.Custody {
				rs.Start = g.cal.start
			}
			g.reg.Responsibles = append(g.reg.Responsibles, rs)
		}
		home := h.homes[f.children[0].pupil.ID]
		g.reg.PersonAddresses = append(g.reg.PersonAddresses, PersonAddress{Person: kid.ID, Type: register.HomeAddress, Place: home})
		fklass = append(fklass, applicant{child: kid, home: home, custodians: h.custodians(f.children[0].pupil.ID)})
	}

	// The families from outside: some with a child for each round, siblings who share home and
	// guardians; the others with one child.
	outside7, outsideF := want7-len(year7), wantF-len(fklass)
	both := int(float64(min(outside7, outsideF))*bothRoundsShare + 0.5)
	grid := newGrid(append(append([]*unit{}, schools...), preschools...))
	for i := range outside7 + outsideF - both {
		f := &family{area: pick(r, schools).area, name: pick(r, familyNames), custodians: 1, marking: unmarked}
		if chance(r, twoCustodianShare) {
			f.custodians = 2
		}
		if chance(r, protectedShare) {
			f.marking = marking(r)
		}
		var born []int // the children's birth years, oldest first
		if i < outside7 {
			born = append(born, g.cal.year-12) // as the pupils of year 6
		}
		if i < both || i >= outside7 {
			born = append(born, g.cal.year-5)
		}
		for _, y := range born {
			p := g.child(r, f, y)
			f.children = append(f.children, &child{family: f, birth: p.BirthDate, pupil: p})
		}
		from := len(g.reg.Responsibles)
		g.adults(r, f)
		var custodians []uuid.UUID
		for _, rs := range g.reg.Responsibles[from:] {
			if rs.Child == f.children[0].pupil.ID && rs.Relation == register.Custody {
				custodians = append(custodians, rs.Adult)
			}
		}
		home := grid.place(r, f.area)
		for _, c := range f.children {
			g.reg.PersonAddresses = append(g.reg.PersonAddresses, PersonAddress{Person: c.pupil.ID, Type: register.HomeAddress, Place: home})
			a := applicant{child: c.pupil, home: home, custodians: custodians}
			if c.birth.Year() == g.cal.year-5 {
				fklass = append(fklass, a)
			} else {
				year7 = append(year7, a)
			}
		}
	}
	return year7, fklass
}

// child adds a child of family f born in year y who is at no seeded school: barn-1, barn-2, ...
func (g *generator) child(r *rand.Rand, f *family, y int) Person {
	return g.person("barn", givenName(r, randomSex(r)), f.name, randomDay(r, y), f.marking)
}

// boolOrder orders false before true.
func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
