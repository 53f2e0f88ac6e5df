package seed

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
)

// The city's school choice (skolval), open on the seeded day, for the benchmarks of placement
// (issue 16): the huvudman's two rounds, year 7 and förskoleklass, from next August; each
// school's seats in them, about 105 % of the round's applicants between them, shared out by the
// school's present intake of that year so that the seats are where the children live; and every
// applicant's application, its first version written by a custodial guardian and, with two,
// answered by the other. The officer (staff.go) set the seats and opened the rounds two weeks
// before the seeded week; the guardians applied since. The rounds close five weeks from the
// seeded Monday and publish a week after, so they are open whatever day of the week is seeded.

// SchoolCapacity is a row of school_capacities: a school unit's seats in a round's school type
// and year.
type SchoolCapacity struct {
	School     uuid.UUID
	SchoolType string
	Year       int
	Seats      int
	SetBy      uuid.UUID
	SetAt      time.Time
}

// EnrollmentRound is a row of enrollment_rounds, open, its lottery not yet drawn.
type EnrollmentRound struct {
	ID, Org               uuid.UUID
	Name, SchoolType      string
	Year                  int
	Start                 time.Time // the first day of school, a date
	ClosesAt, PublishesAt time.Time
	CreatedBy             uuid.UUID
	CreatedAt             time.Time
}

// Application is a row of applications in version 1, and that version's row of
// application_versions: complete (agreed by every custodial guardian) or incomplete.
type Application struct {
	ID, Round, Child uuid.UUID
	Complete         bool
	Choices          []uuid.UUID // school units, the most wished first
	AppliedBy        uuid.UUID
	AppliedAt        time.Time // also when the application was made
}

// ApplicationConsent is a row of application_consents: the other custodial guardian's answer to
// version 1.
type ApplicationConsent struct {
	Application, Guardian uuid.UUID
	Answer                string // agree or refuse
	At                    time.Time
}

// roundSpec is one of the city's rounds.
type roundSpec struct {
	name, schoolType string
	year             int // the school year (årskurs) as the schools teach it: 0 for förskoleklass
}

var (
	roundYear7  = roundSpec{"Skolval åk 7", "GR", 7}
	roundFklass = roundSpec{"Skolval förskoleklass", "FKLASS", 0}
)

const (
	seatsShare  = 1.05 // the round's seats over its applicants
	choices     = 5    // schools an application ranks, where the round has as many
	nearSchools = 10   // the schools near home a guardian mostly chooses among
	nearShare   = 0.9  // choices among them; the rest anywhere in the city
	stayShare   = 0.7  // year-6 pupils whose school goes on to year 7 and who put it first
	// refusedShare is of the applications with two custodial guardians: the other refused, so
	// the application is incomplete: about 5 % of all.
	refusedShare = 0.06
)

// schoolChoice adds the two rounds, their seats and their applications. It runs last: its
// applicants are the register's pupils and new children, who must not take the numbers of
// anyone else.
func (g *generator) schoolChoice(s Scale, schools, preschools []*unit, fams []*family) error {
	officer := g.officerID()
	if officer == (uuid.UUID{}) {
		return fmt.Errorf("scale %s: no officer to open the rounds", s.Name)
	}
	year7, fklass := g.applicants(s, schools, preschools, fams)
	where := map[uuid.UUID]Place{}
	for _, a := range g.reg.OrganisationAddresses {
		where[a.Org] = a.Place
	}
	r := stream("school-choice")
	for _, round := range []struct {
		roundSpec
		applicants []applicant
	}{{roundYear7, year7}, {roundFklass, fklass}} {
		seated, err := g.seats(s, round.roundSpec, schools, len(round.applicants), officer)
		if err != nil {
			return err
		}
		id := g.round(round.roundSpec, officer)
		for _, a := range round.applicants {
			g.apply(r, id, a, round.year, rankByDistance(a.home, seated, where))
		}
	}
	return nil
}

// officerID is the huvudman's officer's person.
func (g *generator) officerID() uuid.UUID {
	for _, d := range g.reg.Duties {
		if d.Role == officerRole && d.At == huvudmanID {
			return d.Person
		}
	}
	return uuid.UUID{}
}

// seats gives every school that teaches the round's year its seats, seatsShare of the
// applicants between them, in proportion to its pupils of that year now (and one more, so that
// a school without them is not left out), the largest remainders rounding up. It answers the
// schools with seats, in the order of schools.
func (g *generator) seats(s Scale, rs roundSpec, schools []*unit, applicants int, officer uuid.UUID) ([]*unit, error) {
	var takers []*unit
	var weights []int
	total := 0
	for _, u := range schools {
		if !u.teaches(rs.year) {
			continue
		}
		w := 1
		for _, cl := range u.classes {
			if cl.year == rs.year {
				w += len(cl.pupils)
			}
		}
		takers, weights, total = append(takers, u), append(weights, w), total+w
	}
	if len(takers) == 0 {
		return nil, fmt.Errorf("scale %s: no school takes %s", s.Name, rs.name)
	}
	all := int(math.Round(float64(applicants) * seatsShare))
	seats, rest := make([]int, len(takers)), make([]int, len(takers))
	left := all
	for i, w := range weights {
		seats[i], rest[i] = all*w/total, all*w%total
		left -= seats[i]
	}
	order := make([]int, len(takers))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rest[b], rest[a]) })
	for _, i := range order[:left] {
		seats[i]++
	}
	var seated []*unit
	for i, u := range takers {
		g.reg.Capacities = append(g.reg.Capacities, SchoolCapacity{School: u.ID, SchoolType: rs.schoolType, Year: rs.year,
			Seats: seats[i], SetBy: officer, SetAt: g.cal.at(-15, 10)})
		if seats[i] > 0 {
			seated = append(seated, u)
		}
	}
	return seated, nil
}

// round adds the huvudman's round and answers its id.
func (g *generator) round(rs roundSpec, officer uuid.UUID) uuid.UUID {
	closes := g.cal.at(35, 0) // the end of the Sunday four weeks after the seeded week
	r := EnrollmentRound{ID: id("enrollment-round", fmt.Sprintf("%s:%d", rs.schoolType, rs.year)), Org: huvudmanID,
		Name: rs.name, SchoolType: rs.schoolType, Year: rs.year, Start: yearStart(g.cal.year + 1),
		ClosesAt: closes, PublishesAt: closes.AddDate(0, 0, 7), CreatedBy: officer, CreatedAt: g.cal.at(-14, 9)}
	g.reg.Rounds = append(g.reg.Rounds, r)
	return r.ID
}

// rankByDistance orders the schools by their distance from home, the nearest first.
func rankByDistance(home Place, schools []*unit, where map[uuid.UUID]Place) []*unit {
	// Over a city, a flat map with the longitude shortened at the city's latitude orders
	// distances as the great circle does.
	shrink := math.Cos((citySouth + cityNorth) / 2 * math.Pi / 180)
	dist := func(u *unit) float64 {
		p := where[u.ID]
		dy, dx := p.Latitude-home.Latitude, (p.Longitude-home.Longitude)*shrink
		return dx*dx + dy*dy
	}
	ranked := slices.Clone(schools)
	slices.SortStableFunc(ranked, func(a, b *unit) int { return cmp.Compare(dist(a), dist(b)) })
	return ranked
}

// apply adds an applicant's application in round, its version 1 by one of their custodial
// guardians, and the other's answer. The choices are distinct schools with seats, most among
// the nearest to home, the nearer the likelier; a pupil whose school goes on to the round's year
// mostly puts it first.
func (g *generator) apply(r *rand.Rand, round uuid.UUID, a applicant, year int, ranked []*unit) {
	var picked []uuid.UUID
	if a.school != nil && a.school.teaches(year) && slices.Contains(ranked, a.school) && chance(r, stayShare) {
		picked = append(picked, a.school.ID)
		ranked = slices.DeleteFunc(slices.Clone(ranked), func(u *unit) bool { return u == a.school })
	} else {
		ranked = slices.Clone(ranked)
	}
	for len(picked) < choices && len(ranked) > 0 {
		i := r.IntN(len(ranked))
		if near := min(nearSchools, len(ranked)); chance(r, nearShare) {
			i = min(r.IntN(near), r.IntN(near)) // the nearer the likelier
		}
		picked = append(picked, ranked[i].ID)
		ranked = slices.Delete(ranked, i, i+1)
	}

	// Applied over the twelve days from the Tuesday two weeks before the seeded week.
	at := g.cal.at(-13, 8).Add(time.Duration(r.Int64N(int64(12*24*time.Hour))) / time.Second * time.Second)
	by := r.IntN(len(a.custodians))
	app := Application{ID: id("application", round.String()+":"+a.child.Key), Round: round, Child: a.child.ID,
		Complete: true, Choices: picked, AppliedBy: a.custodians[by], AppliedAt: at}
	if len(a.custodians) == 2 {
		answer := ApplicationConsent{Application: app.ID, Guardian: a.custodians[1-by], Answer: "agree",
			At: at.Add(10*time.Minute + time.Duration(r.Int64N(int64(36*time.Hour)))/time.Second*time.Second)}
		if chance(r, refusedShare) {
			app.Complete, answer.Answer = false, "refuse"
		}
		g.reg.Consents = append(g.reg.Consents, answer)
	}
	g.reg.Applications = append(g.reg.Applications, app)
}

// enrollmentTables are the school choice's COPYs, loaded last: they refer to schools, persons
// and each other.
func (r *Register) enrollmentTables() []table {
	return []table{
		{"school_capacities", []string{"school_id", "school_type", "school_year", "capacity", "set_by", "set_at"},
			len(r.Capacities), func(i int) []any {
				c := &r.Capacities[i]
				return []any{pg(c.School), c.SchoolType, c.Year, c.Seats, pg(c.SetBy), c.SetAt}
			}},
		{"enrollment_rounds", []string{"id", "organiser_id", "name", "school_type", "school_year", "start_date", "closes_at",
			"publishes_at", "status", "created_by", "created_at"}, len(r.Rounds), func(i int) []any {
			x := &r.Rounds[i]
			return []any{pg(x.ID), pg(x.Org), x.Name, x.SchoolType, x.Year, x.Start, x.ClosesAt, x.PublishesAt, "open",
				pg(x.CreatedBy), x.CreatedAt}
		}},
		{"applications", []string{"id", "round_id", "child_id", "status", "version", "agreed_version", "created_at"},
			len(r.Applications), func(i int) []any {
				a := &r.Applications[i]
				status, agreed := "incomplete", any(nil)
				if a.Complete {
					status, agreed = "complete", 1
				}
				return []any{pg(a.ID), pg(a.Round), pg(a.Child), status, 1, agreed, a.AppliedAt}
			}},
		{"application_versions", []string{"application_id", "version", "choices", "applied_by", "applied_at"},
			len(r.Applications), func(i int) []any {
				a := &r.Applications[i]
				choices := make([]pgtype.UUID, len(a.Choices))
				for j, c := range a.Choices {
					choices[j] = pg(c)
				}
				return []any{pg(a.ID), 1, choices, pg(a.AppliedBy), a.AppliedAt}
			}},
		{"application_consents", []string{"application_id", "version", "guardian_id", "answer", "answered_at"},
			len(r.Consents), func(i int) []any {
				c := &r.Consents[i]
				return []any{pg(c.Application), 1, pg(c.Guardian), c.Answer, c.At}
			}},
	}
}
