package seed

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Security markings (SS 12000): about one person in a hundred is protected.
const (
	unmarked      = "Ingen"
	confidential  = "Sekretessmarkering"
	protectedAddr = "Skyddad folkbokföring"

	protectedShare = 0.01
)

// marking draws the kind of protection of a protected person or household.
func marking(r *rand.Rand) string {
	if chance(r, 0.6) {
		return confidential
	}
	return protectedAddr
}

// person adds the next person of a role (elev, vardnadshavare, larare, ...) and returns them.
// Their key, role-n, is also their principal name's local part.
func (g *generator) person(role, given, family string, birth time.Time, marking string) Person {
	g.roles[role]++
	key := role + "-" + strconv.Itoa(g.roles[role])
	p := Person{ID: PersonID(key), Key: key, GivenName: given, Family: family, BirthDate: birth,
		CivicNo: g.civicNo(birth), SecurityMarking: marking}
	g.reg.Persons = append(g.reg.Persons, p)
	return p
}

// civicNo is a temporary number (YYYYMMDD and four characters with a letter): valid, unique,
// and nobody's real personnummer. See the package comment.
func (g *generator) civicNo(birth time.Time) string {
	n := g.born[birth]
	g.born[birth]++
	serial := strings.ToUpper(strconv.FormatInt(int64(n), 36)) // 46 656 persons a day before it overflows
	return birth.Format("20060102") + "T" + strings.Repeat("0", 3-len(serial)) + serial
}

// randomDay is a day of year y.
func randomDay(r *rand.Rand, y int) time.Time {
	first := date(y, time.January, 1)
	return first.AddDate(0, 0, r.IntN(int(date(y+1, time.January, 1).Sub(first).Hours()/24)))
}
