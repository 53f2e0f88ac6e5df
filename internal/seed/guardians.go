package seed

import (
	"math/rand/v2"

	"github.com/skolflow/skolflow/register"
)

const (
	otherSexShare    = 0.9 // two custodians are of different sexes
	sharedNameShare  = 0.6 // the second custodian has the family's name
	emailShare       = 0.6 // guardians who chose email; the others read the in-app inbox only
	guardianLanguage = "sv"
)

// guardians adds every family's adults: its custodial guardians (vårdnadshavare) of each of its
// children, and the adult without custody some families have (Annan ansvarig), each with their
// choice of channels.
func (g *generator) guardians(fams []*family) {
	r := stream("guardians")
	for _, f := range fams {
		g.adults(r, f)
	}
}

// adults adds one family's adults, responsible for each of its children (f.children[i].pupil).
func (g *generator) adults(r *rand.Rand, f *family) {
	oldest := f.children[0].birth.Year()
	first := randomSex(r)
	g.adult(r, f, "vardnadshavare", register.Custody, first, f.name, oldest-24-r.IntN(18))
	if f.custodians == 2 {
		s, name := !first, f.name
		if !chance(r, otherSexShare) {
			s = first
		}
		if !chance(r, sharedNameShare) {
			name = pick(r, familyNames)
		}
		g.adult(r, f, "vardnadshavare", register.Custody, s, name, oldest-24-r.IntN(18))
	}
	if f.other == 1 {
		g.adult(r, f, "annan-ansvarig", "Annan ansvarig", randomSex(r), pick(r, familyNames), oldest-20-r.IntN(45))
	}
}

// adult adds one adult of a family, responsible for each of its children in relation.
// A custodian is one from the child's birth; another adult from this school year.
func (g *generator) adult(r *rand.Rand, f *family, role, relation string, s sex, family string, born int) {
	p := g.person(role, givenName(r, s), family, randomDay(r, born), f.marking)
	for _, c := range f.children {
		start := c.birth
		if relation != register.Custody {
			start = g.cal.start
		}
		g.reg.Responsibles = append(g.reg.Responsibles, Responsible{Child: c.pupil.ID, Adult: p.ID, Relation: relation, Start: start})
	}
	contact := Contact{Person: p.ID, Language: guardianLanguage, Channels: []string{}}
	if chance(r, emailShare) {
		contact.Email, contact.Channels = PrincipalName(p.Key), []string{"email"}
	}
	g.reg.Contacts = append(g.reg.Contacts, contact)
}
