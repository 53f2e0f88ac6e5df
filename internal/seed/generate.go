package seed

import (
	"strconv"
	"time"
)

// generator builds a register: the persons it has numbered so far, by role and birth day.
type generator struct {
	reg   *Register
	cal   calendar
	roles map[string]int    // persons of each role so far: the n of elev-n
	born  map[time.Time]int // persons born each day so far, for unique civic numbers
}

// Generate builds the register of scale s for the school year and week of today, in memory.
func Generate(s Scale, today time.Time) (*Register, error) {
	g := &generator{reg: sized(s), cal: newCalendar(today), roles: map[string]int{}, born: map[time.Time]int{}}
	huvudman, schools, preschools := organisations(s)
	g.reg.Organisations = append(g.reg.Organisations, huvudman)
	for _, u := range append(append([]*unit{}, schools...), preschools...) {
		g.reg.Organisations = append(g.reg.Organisations, u.Organisation)
	}
	g.schoolYear()

	fams, err := families(s, g.cal, schools)
	if err != nil {
		return nil, err
	}
	g.classes(schools, fams)
	g.locations(schools, preschools, fams)
	g.guardians(fams)
	teachers, err := g.staff(s, schools, preschools)
	if err != nil {
		return nil, err
	}
	g.timetable(schools, teachers)
	g.grading(schools, teachers)
	if err := g.schoolChoice(s, schools, preschools, fams); err != nil {
		return nil, err
	}
	return g.reg, nil
}

// schoolYear adds the huvudman's school year in force and its two terms (HT, VT).
func (g *generator) schoolYear() {
	c := g.cal
	y := SchoolYear{ID: id("school-year", c.yearName()), Org: huvudmanID, Name: c.yearName(), Start: c.start, End: c.end}
	g.reg.SchoolYears = append(g.reg.SchoolYears, y)
	autumn, spring := "HT"+strconv.Itoa(c.year), "VT"+strconv.Itoa(c.year+1)
	g.reg.Terms = append(g.reg.Terms,
		Term{ID: id("term", autumn), Year: y.ID, Name: autumn, Start: c.start, End: c.autumnEnd},
		Term{ID: id("term", spring), Year: y.ID, Name: spring, Start: c.springStart, End: c.end})
}

// sized is an empty register with room for what s will hold, give or take: growing slices of
// millions of rows by appending alone costs seconds of copying.
func sized(s Scale) *Register {
	classes := s.Pupils/classSize + s.Schools*10
	applicants := share(s, cityYear7Applicants) + share(s, cityFklassApplicants)
	return &Register{
		Persons:      make([]Person, 0, s.Pupils+s.Guardians+s.Staff+applicants*2),
		Responsibles: make([]Responsible, 0, s.Pupils*2+s.Guardians/10+applicants*2),
		Duties:       make([]Duty, 0, s.Staff),
		Groups:       make([]Group, 0, classes*(1+subjectsPerClass)),
		Memberships:  make([]Membership, 0, s.Pupils*(1+subjectsPerClass)),
		Assignments:  make([]Assignment, 0, classes*(1+subjectsPerClass)),
		Enrolments:   make([]Enrolment, 0, s.Pupils),
		Lessons:      make([]Lesson, 0, classes*slots),
		Contacts:     make([]Contact, 0, s.Guardians),
		Activities:   make([]Activity, 0, classes*12),
		Grades:       make([]Grade, 0, s.Pupils*7),

		OrganisationAddresses: make([]OrganisationAddress, 0, s.Schools+s.Preschools),
		PersonAddresses:       make([]PersonAddress, 0, s.Pupils+applicants),
		Applications:          make([]Application, 0, applicants),
		Consents:              make([]ApplicationConsent, 0, applicants),
	}
}
