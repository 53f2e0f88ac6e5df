package seed

import (
	"math/rand/v2"
	"strings"
)

// Names common in Stockholm, after Statistics Sweden's lists, with the city's many origins.
var (
	girlsNames = []string{"Alice", "Maja", "Vera", "Elsa", "Astrid", "Alma", "Selma", "Ebba", "Wilma", "Saga",
		"Agnes", "Olivia", "Freja", "Stella", "Clara", "Ella", "Signe", "Lilly", "Ines", "Nora", "Leah", "Sara",
		"Amira", "Yasmin", "Hanna", "Ida", "Emma", "Julia", "Linnea", "Anna", "Maria", "Karin", "Eva", "Sofia",
		"Elin", "Malin", "Fatima", "Noor", "Zeynep", "Mira"}
	boysNames = []string{"William", "Noah", "Hugo", "Lucas", "Liam", "Oscar", "Elias", "Adam", "Vincent", "Alexander",
		"Matteo", "Leo", "Nils", "Ludvig", "Charlie", "Theo", "Oliver", "Isak", "Frans", "Arvid", "Omar", "Ali",
		"Mohammed", "Yusuf", "Erik", "Lars", "Anders", "Johan", "Karl", "Per", "Mikael", "Fredrik", "Daniel",
		"Jonas", "Emil", "Ahmed", "Milan", "Kevin", "David", "Samuel"}
	familyNames = []string{"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
		"Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson",
		"Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Olofsson", "Lindström", "Lindqvist", "Lindgren",
		"Berg", "Axelsson", "Bergström", "Lundberg", "Lind", "Lundgren", "Lundqvist", "Mattsson", "Berglund",
		"Fredriksson", "Sandberg", "Henriksson", "Forsberg", "Sjöberg", "Wallin", "Engström", "Eklund",
		"Danielsson", "Lundin", "Håkansson", "Björk", "Bergman", "Gunnarsson", "Holm", "Wikström", "Samuelsson",
		"Isaksson", "Mohammed", "Ali", "Hassan", "Ahmed", "Hussein", "Nguyen", "Yilmaz", "Kowalski", "Novak",
		"Rodriguez", "Haddad", "Abdi", "Khalil", "Petrović", "Kaya", "Said", "Omar", "Jovanović", "Garcia", "Kim"}
)

// sex is a person's legal sex, which decides the given name.
type sex bool

const (
	female sex = false
	male   sex = true
)

func randomSex(r *rand.Rand) sex { return sex(r.IntN(2) == 1) }

func givenName(r *rand.Rand, s sex) string {
	if s == male {
		return pick(r, boysNames)
	}
	return pick(r, girlsNames)
}

// signature is a staff member's short sign in timetables: the first two letters of each name.
func signature(given, family string) string {
	return strings.ToUpper(first(given, 2) + first(family, 2))
}

func first(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}
