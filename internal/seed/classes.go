package seed

import (
	"fmt"
	"math"
)

// classSize is what a class is made up to: a school's pupils of a year are shared out over
// round(n / classSize) classes, so classes are of 25 or thereabouts.
const classSize = 25

// gyPrograms are the gymnasium's national programmes a class may read: NA26A is the first
// Naturvetenskapsprogrammet class that started in 2026.
var gyPrograms = []string{"NA", "SA", "EK", "TE", "ES"}

type class struct {
	Group
	key    string // skola-3:7A, for the ids of its teaching groups and lessons
	school *unit
	year   int
	pupils []*child
}

// classes shares each school's pupils of each year out over classes, in the order the
// families were made, and numbers the pupils in class order: elev-1 to elev-25 or so are the
// first class of the first school. Each pupil is enrolled at their school and is a member of
// their class.
func (g *generator) classes(schools []*unit, fams []*family) {
	r := stream("pupils")
	byYear := map[*unit]map[int][]*child{}
	for _, u := range schools {
		byYear[u] = map[int][]*child{}
	}
	for _, f := range fams {
		for _, c := range f.children {
			byYear[c.school][c.year] = append(byYear[c.school][c.year], c)
		}
	}
	for _, u := range schools {
		for y := u.kind.first; y <= u.kind.last; y++ {
			pupils := byYear[u][y]
			if len(pupils) == 0 {
				continue
			}
			n := max(1, int(math.Round(float64(len(pupils))/classSize)))
			year := make([]*class, n)
			for i := range year {
				name := className(g.cal, y, i)
				schoolType, _ := schoolType(y)
				year[i] = &class{key: u.key + ":" + name, school: u, year: y, Group: Group{
					Name: name, Type: "Klass", SchoolType: schoolType, Org: u.ID, Start: g.cal.start}}
				year[i].ID = id("group", year[i].key)
			}
			for i, p := range pupils {
				year[i%n].pupils = append(year[i%n].pupils, p)
			}
			u.classes = append(u.classes, year...)
		}
		for _, cl := range u.classes {
			g.reg.Groups = append(g.reg.Groups, cl.Group)
			for _, c := range cl.pupils {
				g.enrol(cl, c, givenName(r, c.sex))
			}
		}
	}
}

// enrol adds a pupil to the register, enrolled at their school since the year they started
// there, and a member of their class this school year.
func (g *generator) enrol(cl *class, c *child, given string) {
	c.pupil = g.person("elev", given, c.family.name, c.birth, c.family.marking)
	schoolType, year := schoolType(c.year)
	g.reg.Enrolments = append(g.reg.Enrolments, Enrolment{ID: id("enrolment", c.pupil.Key), Person: c.pupil.ID,
		At: cl.school.ID, SchoolType: schoolType, SchoolYear: year, Start: g.cal.yearsAgo(c.year - cl.school.kind.first)})
	g.reg.Memberships = append(g.reg.Memberships, Membership{Group: cl.ID, Person: c.pupil.ID, Start: g.cal.start})
}

// className names the i:th class of a year: FA for förskoleklass, 7B, or NA26A in the gymnasium
// (programme, the year it started, letter).
func className(cal calendar, year, i int) string {
	switch {
	case year == 0:
		return "F" + letter(i)
	case year <= 9:
		return fmt.Sprint(year) + letter(i)
	default:
		started := (cal.year - (year - 10)) % 100
		return fmt.Sprintf("%s%02d%s", gyPrograms[i%len(gyPrograms)], started, letter(i/len(gyPrograms)))
	}
}

// letter is A for 0 ... Z for 25, then A2, B2, ...
func letter(i int) string {
	l := string(rune('A' + i%26))
	if i >= 26 {
		l += fmt.Sprint(i/26 + 1)
	}
	return l
}
