package seed

import (
	"fmt"
	"strconv"
)

// schoolKind is what a school unit teaches: the years (årskurser) from first to last, where 0
// is förskoleklass, 1-9 grundskola and 10-12 the gymnasium's years 1-3.
type schoolKind struct {
	name        string
	first, last int
	schoolTypes []string
	subjects    [subjectsPerClass]string // each class is taught these, one teaching group each
}

// Skolverket's subject codes: grundskola and förskoleklass, and the gymnasium's subjects.
var (
	grSubjects = [subjectsPerClass]string{"SV", "MA", "EN", "NO", "SO"}
	gySubjects = [subjectsPerClass]string{"SVE", "MAT", "ENG", "SAM", "IDR"}
)

var (
	kindF9 = schoolKind{"F-9", 0, 9, []string{"FKLASS", "GR"}, grSubjects}
	kindF6 = schoolKind{"F-6", 0, 6, []string{"FKLASS", "GR"}, grSubjects}
	kind79 = schoolKind{"7-9", 7, 9, []string{"GR"}, grSubjects}
	kindGY = schoolKind{"gymnasium", 10, 12, []string{"GY"}, gySubjects}
)

// kindCycle is the mix of schools in an area, in the order an area gets them: the first two
// already take every year from förskoleklass to the gymnasium's third.
var kindCycle = []schoolKind{kindF9, kindGY, kindF6, kind79, kindF6, kindF9, kindGY, kindF6, kind79, kindF6}

// schoolsPerArea is the number of schools of an area (a stadsdel): families live in one, and
// their children go to its schools.
var schoolsPerArea = len(kindCycle)

// unit is a school unit (skolenhet) as the generator sees it.
type unit struct {
	Organisation
	key     string // skola-3, forskola-12
	area    int
	kind    *schoolKind // nil for a preschool
	classes []*class    // in timetable order: by year, then letter
}

func (u *unit) teaches(year int) bool {
	return u.kind != nil && u.kind.first <= year && year <= u.kind.last
}

// schoolType is the school type of a year: FKLASS, GR or GY, and the year as SS 12000 counts
// it in that school type (the gymnasium starts again at 1).
func schoolType(year int) (string, int) {
	switch {
	case year == 0:
		return "FKLASS", 0
	case year <= 9:
		return "GR", year
	default:
		return "GY", year - 9
	}
}

// The city's municipality code (Stockholm's) and the huvudman that runs every unit.
const municipality = "0180"

var huvudmanID = id("org", "huvudman")

// organisations makes the huvudman, its schools in areas, and its preschools spread over the
// same areas.
func organisations(s Scale) (huvudman Organisation, schools, preschools []*unit) {
	huvudman = Organisation{ID: huvudmanID, Name: "Seedstads kommun, utbildningsnämnden", Type: "Huvudman",
		Code: "SEED", SchoolTypes: []string{}, Municipality: municipality}
	parent := huvudmanID
	areas := (s.Schools + schoolsPerArea - 1) / schoolsPerArea
	for i := range s.Schools {
		kind := &kindCycle[i%schoolsPerArea]
		key := "skola-" + strconv.Itoa(i+1)
		schools = append(schools, &unit{key: key, area: i / schoolsPerArea, kind: kind, Organisation: Organisation{
			ID: id("org", key), Name: schoolName(i, kind), Type: "Skolenhet", Parent: &parent,
			SchoolUnitCode: fmt.Sprintf("4%07d", i+1), SchoolTypes: kind.schoolTypes, Municipality: municipality,
		}})
	}
	perArea := map[int]int{}
	for i := range s.Preschools {
		area := i * max(areas, 1) / s.Preschools
		key := "forskola-" + strconv.Itoa(i+1)
		preschools = append(preschools, &unit{key: key, area: area, Organisation: Organisation{
			ID: id("org", key), Name: preschoolName(perArea[area], area), Type: "Skolenhet", Parent: &parent,
			SchoolUnitCode: fmt.Sprintf("5%07d", i+1), SchoolTypes: []string{"FS"}, Municipality: municipality,
		}})
		perArea[area]++
	}
	return huvudman, schools, preschools
}

var (
	schoolPrefixes = []string{"Björk", "Ek", "Lönn", "Rönn", "Al", "Asp", "Hassel", "Lind", "Tall", "Gran",
		"Alm", "Sälg", "Hägg", "Fur", "Ljung", "Vass", "Kastanj", "Oxel", "Pil", "En",
		"Trast", "Lärk", "Svan", "Örn", "Falk", "Tran", "Duv", "Hök", "Sparv", "Mås"}
	schoolSuffixes = []string{"skolan", "dalsskolan", "hagsskolan", "backeskolan", "viksskolan", "bergsskolan"}
	preschoolNames = []string{"Humlan", "Myran", "Nyckelpigan", "Ekorren", "Igelkotten", "Solrosen", "Blåklinten",
		"Vitsippan", "Tussilagon", "Kantarellen", "Lingonet", "Blåbäret", "Fjärilen", "Grodan", "Räven", "Haren",
		"Ugglan", "Svalan", "Snigeln", "Trollsländan", "Smultronet", "Hallonet", "Äpplet", "Päronet", "Kotten",
		"Stenen", "Regnbågen", "Stjärnan", "Månen", "Solen", "Molnet", "Vinden", "Droppen", "Snöflingan",
		"Bäcken", "Ängen", "Skogen", "Ekollonet", "Kastanjen", "Vallmon"}
	areaNames = []string{"Bromma", "Enskede", "Farsta", "Hägersten", "Kungsholmen", "Norrmalm", "Rinkeby",
		"Skarpnäck", "Skärholmen", "Spånga", "Södermalm", "Vantör", "Älvsjö", "Östermalm", "Liljeholmen",
		"Hässelby", "Vällingby", "Tensta", "Kista", "Årsta"}
)

// schoolName is the i:th school's name, such as Björkdalsskolan or Ekgymnasiet; unique.
func schoolName(i int, kind *schoolKind) string {
	p := schoolPrefixes[i%len(schoolPrefixes)]
	name := p + schoolSuffixes[i/len(schoolPrefixes)%len(schoolSuffixes)]
	if kind.name == kindGY.name {
		name = p + "gymnasiet"
	}
	if n := len(schoolPrefixes) * len(schoolSuffixes); i >= n {
		name += " " + strconv.Itoa(i/n+1)
	}
	return name
}

// preschoolName is the name of an area's n:th preschool, such as "Förskolan Humlan, Bromma".
func preschoolName(n, area int) string {
	name := "Förskolan " + preschoolNames[n%len(preschoolNames)]
	if n >= len(preschoolNames) {
		name += " " + strconv.Itoa(n/len(preschoolNames)+1)
	}
	return name + ", " + areaName(area)
}

func areaName(a int) string {
	if a < len(areaNames) {
		return areaNames[a]
	}
	return areaNames[a%len(areaNames)] + " " + strconv.Itoa(a/len(areaNames)+1)
}
