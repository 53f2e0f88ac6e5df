package seed

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// Register is a generated register, one slice per table. Dates are midnight UTC of the day
// they name; lesson times are instants.
type Register struct {
	Organisations  []Organisation
	Persons        []Person // each signs in as PrincipalName(Key)
	Responsibles   []Responsible
	Duties         []Duty
	Certifications []Certification
	Groups         []Group
	Memberships    []Membership
	Assignments    []Assignment
	SchoolYears    []SchoolYear
	Terms          []Term
	Enrolments     []Enrolment
	Lessons        []Lesson
	Contacts       []Contact
	Syllabuses     []Syllabus
	Activities     []Activity // each with one group and one teacher
	GradingPeriods []GradingPeriod
	Grades         []Grade
	// OrganisationAddresses are every school unit's; PersonAddresses every child's home.
	OrganisationAddresses []OrganisationAddress
	PersonAddresses       []PersonAddress
	// The school choice (enrollment.go): the huvudman's rounds, the schools' seats in them, and
	// each applicant's application with its version 1 and, with two custodial guardians, the
	// other's answer.
	Capacities   []SchoolCapacity
	Rounds       []EnrollmentRound
	Applications []Application
	Consents     []ApplicationConsent
}

// Organisation is a row of organisations: the huvudman or a school unit.
type Organisation struct {
	ID             uuid.UUID
	Name, Type     string
	Code           string // organisation_code, or "" for none
	Parent         *uuid.UUID
	SchoolUnitCode string // "" for none
	SchoolTypes    []string
	Municipality   string
}

// Person is a row of persons, and through Key, of person_principal_names.
type Person struct {
	ID                uuid.UUID
	Key               string // the principal name's local part: elev-17
	GivenName, Family string
	CivicNo           string
	BirthDate         time.Time
	SecurityMarking   string
}

// OrganisationAddress is a row of organisation_addresses: a school unit's address and location.
type OrganisationAddress struct {
	Org  uuid.UUID
	Type string // Besöksadress
	Place
}

// PersonAddress is a row of person_addresses: a child's home, which their siblings share.
type PersonAddress struct {
	Person uuid.UUID
	Type   string // Folkbokföring
	Place
}

// Place is a made-up address in the city and its point (WGS84, decimal degrees).
type Place struct {
	Street, PostalCode, Locality string
	Latitude, Longitude          float64
}

// Responsible is a row of responsibles: Adult is responsible for Child in Relation.
type Responsible struct {
	Child, Adult uuid.UUID
	Relation     string
	Start        time.Time
}

// Duty is a row of duties.
type Duty struct {
	ID, Person, At  uuid.UUID
	Role, Signature string
	Start           time.Time
}

// Certification is a row of teacher_certifications.
type Certification struct {
	Person  uuid.UUID
	Subject string
}

// Group is a row of groups: a class (Klass) or a teaching group (Undervisning).
type Group struct {
	ID                     uuid.UUID
	Name, Type, SchoolType string
	Org                    uuid.UUID
	Start                  time.Time
}

// Membership is a row of group_memberships.
type Membership struct {
	Group, Person uuid.UUID
	Start         time.Time
}

// Assignment is a row of group_assignments: a teacher (Lärare) or mentor (Mentor) of a group.
type Assignment struct {
	Group, Duty uuid.UUID
	Role        string
	Start       time.Time
}

// SchoolYear is a row of school_years.
type SchoolYear struct {
	ID, Org    uuid.UUID
	Name       string
	Start, End time.Time
}

// Term is a row of terms.
type Term struct {
	ID, Year   uuid.UUID
	Name       string
	Start, End time.Time
}

// Enrolment is a row of enrolments.
type Enrolment struct {
	ID, Person, At uuid.UUID
	SchoolType     string
	SchoolYear     int
	Start          time.Time
}

// Lesson is a row of lessons.
type Lesson struct {
	ID, Group, School, Teacher uuid.UUID
	Subject                    string
	Start, End                 time.Time
}

// Contact is a row of contact_preferences.
type Contact struct {
	Person   uuid.UUID
	Language string
	Email    string // "" for none
	Channels []string
}

// Counts are the numbers a seed is checked against: its scale's, and what follows from them.
type Counts struct {
	Schools, Preschools, Pupils, Guardians, Staff int
	Classes, TeachingGroups, Lessons              int
	Protected                                     int // people with a security marking
	Activities, GradedActivities, Grades          int
	// Of the school choice: its applications, and the people who came with them, who are
	// neither the scale's pupils nor its guardians: the children at no seeded school who apply
	// (every förskoleklass applicant, and year-7 applicants from outside), and the guardians of
	// those of them who have no sibling at school.
	Applications, Children, OtherGuardians int
}

// Counts counts r.
func (r *Register) Counts() Counts {
	var c Counts
	for _, o := range r.Organisations {
		if o.Type == "Skolenhet" {
			if slices.Equal(o.SchoolTypes, []string{"FS"}) {
				c.Preschools++
			} else {
				c.Schools++
			}
		}
	}
	c.Pupils = len(r.Enrolments)
	pupils := make(map[uuid.UUID]bool, len(r.Enrolments))
	for _, e := range r.Enrolments {
		pupils[e.Person] = true
	}
	// The scale's guardians are the pupils'; a guardian of other children only is another.
	guardians, others, children := map[uuid.UUID]bool{}, map[uuid.UUID]bool{}, map[uuid.UUID]bool{}
	for _, rs := range r.Responsibles {
		if pupils[rs.Child] {
			guardians[rs.Adult] = true
		} else {
			children[rs.Child] = true
		}
	}
	for _, rs := range r.Responsibles {
		if !guardians[rs.Adult] {
			others[rs.Adult] = true
		}
	}
	c.Guardians, c.OtherGuardians, c.Children = len(guardians), len(others), len(children)
	c.Applications = len(r.Applications)
	staff := map[uuid.UUID]bool{}
	for _, d := range r.Duties {
		staff[d.Person] = true
	}
	c.Staff = len(staff)
	for _, g := range r.Groups {
		switch g.Type {
		case "Klass":
			c.Classes++
		case "Undervisning":
			c.TeachingGroups++
		}
	}
	c.Lessons = len(r.Lessons)
	c.Activities, c.Grades = len(r.Activities), len(r.Grades)
	for _, a := range r.Activities {
		if a.Graded {
			c.GradedActivities++
		}
	}
	for _, p := range r.Persons {
		if p.SecurityMarking != "Ingen" {
			c.Protected++
		}
	}
	return c
}
