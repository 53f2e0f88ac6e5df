package seed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// How the city's families are made up. A family lives in one area; its children at school are
// siblings of different years, and go to the area's schools, which need not be the same school:
// that is how a guardian comes to have children at several schools.
const (
	pupilsPerFamily = 1.35 // the pupils of a family; younger and older siblings are not at school
	maxSiblings     = 4    // pupils in one family at most
	otherAdultShare = 0.03 // of the guardians: a non-custodial adult (Annan ansvarig), a step-parent say
	sameSchoolShare = 0.8  // a child goes to an older sibling's school when it teaches their year
)

type family struct {
	area     int
	name     string   // the children's family name
	pupils   int      // how many children the family has at school
	children []*child // those children, oldest first
	// custodians is 1 or 2 (vårdnadshavare); other is 0 or 1 adult without custody.
	custodians, other int
	marking           string // the whole household's protection, or Ingen
}

type child struct {
	family *family
	year   int // 0 förskoleklass ... 12 the gymnasium's third
	sex    sex
	birth  time.Time
	school *unit
	pupil  Person // once numbered, in class order
}

// families makes up the households of s.Pupils pupils and s.Guardians guardians exactly, and
// places each child at a school of their area that teaches their year.
func families(s Scale, cal calendar, schools []*unit) ([]*family, error) {
	if s.Pupils > 0 && len(schools) == 0 {
		return nil, fmt.Errorf("scale %s: pupils need a school", s.Name)
	}
	others := int(math.Round(float64(s.Guardians) * otherAdultShare))
	custodians := s.Guardians - others
	n := int(math.Round(float64(s.Pupils) / pupilsPerFamily))
	n = min(max(n, (custodians+1)/2), custodians, s.Pupils) // every family has 1 or 2 custodians and a pupil
	if n < (custodians+1)/2 || others > n {
		return nil, fmt.Errorf("scale %s: %d guardians are too many for %d pupils", s.Name, s.Guardians, s.Pupils)
	}
	r := stream("families")
	areas := areasOf(schools)
	fams := make([]*family, n)
	room := 0 // for pupils, at most maxSiblings of distinct years in a family
	for i := range fams {
		f := &family{area: pick(r, schools).area, name: pick(r, familyNames), pupils: 1, custodians: 1, marking: unmarked}
		fams[i] = f
		room += min(maxSiblings, len(areas[f.area].years))
	}
	if s.Pupils > room {
		return nil, fmt.Errorf("scale %s: %d guardians are too few for %d pupils", s.Name, s.Guardians, s.Pupils)
	}
	// Every family has a pupil; the rest are their siblings.
	for extra := s.Pupils - n; extra > 0; {
		f := fams[r.IntN(n)]
		if f.pupils < min(maxSiblings, len(areas[f.area].years)) {
			f.pupils++
			extra--
		}
	}
	for _, i := range r.Perm(n)[:custodians-n] {
		fams[i].custodians = 2
	}
	for _, i := range r.Perm(n)[:others] {
		fams[i].other = 1
	}
	for _, i := range r.Perm(n)[:int(math.Round(float64(n)*protectedShare))] {
		fams[i].marking = marking(r)
	}
	for _, f := range fams {
		f.makeChildren(r, cal, areas[f.area])
	}
	return fams, nil
}

// area is what a family's area offers: the years its schools teach, and which schools teach each.
type area struct {
	years   []int
	schools map[int][]*unit // by year
}

func areasOf(schools []*unit) map[int]*area {
	areas := map[int]*area{}
	for _, u := range schools {
		a := areas[u.area]
		if a == nil {
			a = &area{schools: map[int][]*unit{}}
			areas[u.area] = a
		}
		for y := u.kind.first; y <= u.kind.last; y++ {
			if a.schools[y] == nil {
				a.years = append(a.years, y)
			}
			a.schools[y] = append(a.schools[y], u)
		}
	}
	return areas
}

// makeChildren gives a family's children distinct years, oldest first, and their schools.
func (f *family) makeChildren(r *rand.Rand, cal calendar, a *area) {
	ys := make([]int, f.pupils)
	for i, p := range r.Perm(len(a.years))[:f.pupils] {
		ys[i] = a.years[p]
	}
	slices.Sort(ys)
	slices.Reverse(ys)
	for _, y := range ys {
		c := &child{family: f, year: y, sex: randomSex(r), birth: randomDay(r, cal.year-6-y), school: f.school(r, y, a)}
		f.children = append(f.children, c)
	}
}

// school picks the school a child of year y goes to: most often an older sibling's, if it
// teaches y, or else any school of the area that does.
func (f *family) school(r *rand.Rand, y int, a *area) *unit {
	for _, sib := range f.children {
		if sib.school.teaches(y) && chance(r, sameSchoolShare) {
			return sib.school
		}
	}
	return pick(r, a.schools[y])
}
