package seed

import (
	"fmt"
	"math/rand/v2"
)

// Every school unit has a principal (Rektor). A school also has a fixed team (an administrator
// and the pupil health team, and a study and careers counsellor from year 7), and the teachers
// its timetable needs. The huvudman has an officer (officer). The staff the scale has beyond
// these are shared out evenly over all units: at a preschool förskollärare and barnskötare, at a
// school the roles of extraRoles.
var (
	schoolTeam = []string{"Skoladministratör", "Kurator", "Skolsköterska", "Speciallärare/specialpedagog"}
	counsellor = "Studie- och yrkesvägledare"

	preschoolRoles = []string{"Förskollärare", "Barnskötare"}
	fritidsRoles   = []string{"Fritidspedagog", "Lärarassistent", "Fritidspedagog", "Förstelärare", "Annan personal"}
	olderRoles     = []string{"Lärarassistent", "Förstelärare", "Bibliotekarie", "Annan personal", "Skoladministratör"}
)

// extraRoles are the roles of the staff beyond the fixed ones at u, in turn.
func extraRoles(u *unit) []string {
	switch {
	case u.kind == nil:
		return preschoolRoles
	case u.kind.first <= 6: // it has a fritidshem
		return fritidsRoles
	default:
		return olderRoles
	}
}

// roleKeys are the roles' parts of principal names: rektor-1@seed.skolflow.test.
var roleKeys = map[string]string{
	"Rektor": "rektor", "Lärare": "larare", "Förskollärare": "forskollarare", "Barnskötare": "barnskotare",
	"Skoladministratör": "skoladministrator", "Kurator": "kurator", "Skolsköterska": "skolskoterska",
	"Speciallärare/specialpedagog": "specialpedagog", "Studie- och yrkesvägledare": "syv",
	"Fritidspedagog": "fritidspedagog", "Lärarassistent": "lararassistent", "Förstelärare": "forstelarare",
	"Bibliotekarie": "bibliotekarie", "Annan personal": "annan-personal", officerRole: "forvaltning",
}

// officerRole is the duty of the huvudman's officers (förvaltningen), who work at organiser
// level: they set the schools' seats and open the placement rounds (enrollment.go), and late
// steps of the processes escalate to them.
const officerRole = "Övrig arbetsledning"

// officer employs the huvudman's one officer, forvaltning-1, among the scale's staff. Its own
// random stream keeps the other staff's names as they were before it.
func (g *generator) officer() {
	huvudman := &unit{Organisation: Organisation{ID: huvudmanID}}
	g.employ(stream("officer"), huvudman, officerRole)
}

const (
	certifiedShare = 0.85 // teachers certified (lärarlegitimation) in the subject they teach
	secondSubject  = 0.3  // of those, certified in one more
)

// employee is a member of staff: their person and their one duty.
type employee struct {
	person Person
	duty   Duty
}

// staff adds every unit's staff with their duties, s.Staff in all, and returns each school's
// teachers by subject (the index into its kind's subjects) and block of classes (see
// timetable).
func (g *generator) staff(s Scale, schools, preschools []*unit) (map[*unit][subjectsPerClass][]employee, error) {
	r := stream("staff")
	units := append(append([]*unit{}, schools...), preschools...)
	teachers := map[*unit][subjectsPerClass][]employee{}
	for _, u := range units {
		g.employ(r, u, "Rektor")
		if u.kind == nil {
			continue
		}
		for _, role := range schoolTeam {
			g.employ(r, u, role)
		}
		if u.kind.last >= 7 {
			g.employ(r, u, counsellor)
		}
		var ts [subjectsPerClass][]employee
		for subject := range ts {
			for range blocks(len(u.classes)) {
				t := g.employ(r, u, "Lärare")
				g.certify(r, t.person, u.kind, subject)
				ts[subject] = append(ts[subject], t)
			}
		}
		teachers[u] = ts
	}

	g.officer()

	extra := s.Staff - len(g.reg.Duties)
	if extra < 0 || (extra > 0 && len(units) == 0) {
		return nil, fmt.Errorf("scale %s: %d staff are too few for its %d units, which need %d", s.Name, s.Staff, len(units), len(g.reg.Duties))
	}
	for i, u := range units {
		n := extra / len(units)
		if i < extra%len(units) {
			n++
		}
		roles := extraRoles(u)
		for j := range n {
			g.employ(r, u, roles[j%len(roles)])
		}
	}
	return teachers, nil
}

// employ adds a member of staff with a duty in role at u, since the start of one of the last
// 15 school years.
func (g *generator) employ(r *rand.Rand, u *unit, role string) employee {
	s := randomSex(r)
	given, family := givenName(r, s), pick(r, familyNames)
	m := unmarked
	if chance(r, protectedShare) {
		m = marking(r)
	}
	p := g.person(roleKeys[role], given, family, randomDay(r, g.cal.year-25-r.IntN(40)), m)
	d := Duty{ID: id("duty", p.Key), Person: p.ID, At: u.ID, Role: role, Signature: signature(given, family),
		Start: g.cal.yearsAgo(r.IntN(15))}
	g.reg.Duties = append(g.reg.Duties, d)
	return employee{p, d}
}

// certify gives most teachers a lärarlegitimation in the subject they teach, some in one more.
func (g *generator) certify(r *rand.Rand, p Person, kind *schoolKind, subject int) {
	if !chance(r, certifiedShare) {
		return
	}
	g.reg.Certifications = append(g.reg.Certifications, Certification{Person: p.ID, Subject: kind.subjects[subject]})
	if chance(r, secondSubject) {
		other := (subject + 1 + r.IntN(subjectsPerClass-1)) % subjectsPerClass
		g.reg.Certifications = append(g.reg.Certifications, Certification{Person: p.ID, Subject: kind.subjects[other]})
	}
}
