package seed

import (
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/skolflow/skolflow/register"
)

// The school choice of every scale: the two rounds, open beyond the seeded week and opened by
// the huvudman's officer; each round its scale's share of the city's 12 000 and 10 000
// applicants, with 100-110 % of them in seats; every application ranks distinct schools with
// seats in its round, as many as five where the round has them, written by a custodial guardian
// and answered by the other; about 95 % are complete; and the children who apply from outside
// have homes in the city and guardians of their own.
func TestSchoolChoice(t *testing.T) {
	for _, s := range Scales {
		if s.Name == "city" && testing.Short() {
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			r, err := Generate(s, wednesday)
			if err != nil {
				t.Fatal(err)
			}
			checkSchoolChoice(t, s, r)
		})
	}
}

func checkSchoolChoice(t *testing.T, s Scale, r *Register) {
	t.Helper()
	c := r.Counts()
	if n := c.Pupils + c.Guardians + c.Staff + c.Children + c.OtherGuardians; len(r.Persons) != n {
		t.Errorf("%d persons, want the pupils, guardians and staff, and the children from outside and their guardians: %d", len(r.Persons), n)
	}
	officers := 0
	for _, d := range r.Duties {
		if d.Role == "Övrig arbetsledning" && d.At == huvudmanID {
			officers++
		}
	}
	if officers != 1 {
		t.Fatalf("%d officers of the huvudman, want 1", officers)
	}
	officer := PersonID("forvaltning-1")

	custodians := map[uuid.UUID][]uuid.UUID{}
	for _, rs := range r.Responsibles {
		if rs.Relation == register.Custody {
			custodians[rs.Child] = append(custodians[rs.Child], rs.Adult)
		}
	}
	homes := map[uuid.UUID]Place{}
	for _, a := range r.PersonAddresses {
		homes[a.Person] = a.Place
	}
	persons := map[uuid.UUID]Person{}
	for _, p := range r.Persons {
		persons[p.ID] = p
	}
	consents := map[uuid.UUID][]ApplicationConsent{}
	for _, k := range r.Consents {
		consents[k.Application] = append(consents[k.Application], k)
	}
	cal := newCalendar(wednesday)

	if len(r.Rounds) != 2 {
		t.Fatalf("%d rounds, want 2", len(r.Rounds))
	}
	for _, want := range []struct {
		spec    roundSpec
		perCity int
		born    int // the applicants' year of birth
	}{{roundYear7, 12_000, cal.year - 12}, {roundFklass, 10_000, cal.year - 5}} {
		i := slices.IndexFunc(r.Rounds, func(x EnrollmentRound) bool { return x.Name == want.spec.name })
		if i < 0 {
			t.Fatalf("no round %q", want.spec.name)
		}
		round := r.Rounds[i]
		if round.Org != huvudmanID || round.SchoolType != want.spec.schoolType || round.Year != want.spec.year ||
			round.CreatedBy != officer || !round.ClosesAt.After(wednesday.AddDate(0, 0, 28)) ||
			!round.PublishesAt.Equal(round.ClosesAt.AddDate(0, 0, 7)) || !round.Start.Equal(yearStart(cal.year+1)) ||
			!round.CreatedAt.Before(wednesday) {
			t.Errorf("round %+v", round)
		}

		seats, total := map[uuid.UUID]int{}, 0
		for _, k := range r.Capacities {
			if k.SchoolType == round.SchoolType && k.Year == round.Year {
				seats[k.School] = k.Seats
				total += k.Seats
				if k.SetBy != officer {
					t.Errorf("seats %+v not set by the officer", k)
				}
			}
		}
		var apps []Application
		for _, a := range r.Applications {
			if a.Round == round.ID {
				apps = append(apps, a)
			}
		}
		if want := share(s, want.perCity); len(apps) != want {
			t.Errorf("%s: %d applications, want %d", round.Name, len(apps), want)
		}
		if ratio := float64(total) / float64(len(apps)); ratio < 1 || ratio > 1.1 {
			t.Errorf("%s: %d seats for %d applicants (%.3f), want 100-110 %%", round.Name, total, len(apps), ratio)
		}
		seated := 0
		for _, n := range seats {
			if n > 0 {
				seated++
			}
		}

		complete, children := 0, map[uuid.UUID]bool{}
		for _, a := range apps {
			if children[a.Child] {
				t.Fatalf("%s: a child applies twice", round.Name)
			}
			children[a.Child] = true
			if len(a.Choices) < 1 || len(a.Choices) != min(5, seated) {
				t.Fatalf("%s: %d choices, want %d", round.Name, len(a.Choices), min(5, seated))
			}
			seen := map[uuid.UUID]bool{}
			for _, ch := range a.Choices {
				if seen[ch] || seats[ch] <= 0 {
					t.Fatalf("%s: choice %s is repeated or a school without seats in the round", round.Name, ch)
				}
				seen[ch] = true
			}
			if p := persons[a.Child]; p.BirthDate.Year() != want.born {
				t.Fatalf("%s: an applicant born %v, want in %d", round.Name, p.BirthDate, want.born)
			}
			if h, ok := homes[a.Child]; !ok || h.Latitude == 0 {
				t.Fatalf("%s: an applicant without a home", round.Name)
			}
			cs := custodians[a.Child]
			if len(cs) < 1 || len(cs) > 2 || !slices.Contains(cs, a.AppliedBy) {
				t.Fatalf("%s: applied by someone who is not one of the child's 1 or 2 custodial guardians %v", round.Name, cs)
			}
			if !a.AppliedAt.After(round.CreatedAt) || !a.AppliedAt.Before(wednesday) {
				t.Fatalf("%s: applied at %v, before the round opened or after the seeded day", round.Name, a.AppliedAt)
			}
			answers := consents[a.ID]
			switch {
			case len(cs) == 1 && (len(answers) != 0 || !a.Complete):
				t.Fatalf("%s: with one custodial guardian, %d answers and complete %v", round.Name, len(answers), a.Complete)
			case len(cs) == 2 && (len(answers) != 1 || answers[0].Guardian == a.AppliedBy || !slices.Contains(cs, answers[0].Guardian) ||
				(answers[0].Answer == "agree") != a.Complete || !answers[0].At.After(a.AppliedAt)):
				t.Fatalf("%s: with two custodial guardians, answers %+v to %+v", round.Name, answers, a)
			}
			if a.Complete {
				complete++
			}
		}
		if share := float64(complete) / float64(len(apps)); s.Name != "school" && (share < 0.93 || share > 0.97) {
			t.Errorf("%s: %.1f %% complete, want about 95 %%", round.Name, 100*share)
		}
	}
}

// A guardian mostly chooses among the schools near home: at city scale, most choices are among
// the ten nearest of the round, and the first choice is nearer than the last.
func TestChoicesAreNearHome(t *testing.T) {
	r, err := Generate(scale(t, "city"), wednesday)
	if err != nil {
		t.Fatal(err)
	}
	homes := map[uuid.UUID]Place{}
	for _, a := range r.PersonAddresses {
		homes[a.Person] = a.Place
	}
	units, places := map[uuid.UUID]*unit{}, map[uuid.UUID]Place{}
	for _, a := range r.OrganisationAddresses {
		units[a.Org], places[a.Org] = &unit{Organisation: Organisation{ID: a.Org}}, a.Place
	}
	byRound := map[uuid.UUID][]*unit{}
	for _, k := range r.Capacities {
		for _, round := range r.Rounds {
			if k.SchoolType == round.SchoolType && k.Year == round.Year && k.Seats > 0 {
				byRound[round.ID] = append(byRound[round.ID], units[k.School])
			}
		}
	}
	near, all, firstNearer := 0, 0, 0
	for _, a := range r.Applications {
		ranked := rankByDistance(homes[a.Child], byRound[a.Round], places)
		rank := func(school uuid.UUID) int {
			return slices.IndexFunc(ranked, func(u *unit) bool { return u.ID == school })
		}
		for _, ch := range a.Choices {
			if rank(ch) < 10 {
				near++
			}
			all++
		}
		if rank(a.Choices[0]) < rank(a.Choices[len(a.Choices)-1]) {
			firstNearer++
		}
	}
	if share := float64(near) / float64(all); share < 0.8 {
		t.Errorf("%.1f %% of the choices among the ten nearest schools, want most", 100*share)
	}
	if share := float64(firstNearer) / float64(len(r.Applications)); share < 0.6 {
		t.Errorf("%.1f %% of the applications put a nearer school first than last, want most", 100*share)
	}
}
