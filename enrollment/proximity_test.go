package enrollment_test

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/skolflow/skolflow/enrollment"
)

// home is a child's home by Sergels torg in Stockholm.
var home = enrollment.Point{Lat: 59.3326, Lon: 18.0649}

// north is the point metres north of home (south when negative). Along a meridian the
// great-circle distance is the Earth's radius times the difference in latitude, so these
// distances are known exactly.
func north(metres float64) enrollment.Point {
	return enrollment.Point{Lat: home.Lat + metres/enrollment.EarthRadius*180/math.Pi, Lon: home.Lon}
}

// east is the point metres east of home along its parallel; for a kilometre or two the
// great-circle distance is the same to well under a millimetre.
func east(metres float64) enrollment.Point {
	return enrollment.Point{Lat: home.Lat, Lon: home.Lon + metres/(enrollment.EarthRadius*math.Cos(home.Lat*math.Pi/180))*180/math.Pi}
}

func TestDistanceIsTheGreatCircle(t *testing.T) {
	equator := enrollment.Point{}
	for _, c := range []struct {
		what string
		a, b enrollment.Point
		want float64
	}{
		{"the same place", home, home, 0},
		{"a kilometre north", home, north(1000), 1000},
		{"three and a half kilometres south", home, north(-3500), 3500},
		{"a kilometre east", home, east(1000), 1000},
		{"a degree along the equator", equator, enrollment.Point{Lon: 1}, enrollment.EarthRadius * math.Pi / 180},
		{"to the far side of the Earth", equator, enrollment.Point{Lon: 180}, enrollment.EarthRadius * math.Pi},
	} {
		if got := enrollment.Distance(c.a, c.b); math.Abs(got-c.want) > 1e-3 {
			t.Errorf("%s: %.4f m, want %.4f m", c.what, got, c.want)
		}
		if got, back := enrollment.Distance(c.a, c.b), enrollment.Distance(c.b, c.a); got != back {
			t.Errorf("%s: %.4f m there, %.4f m back", c.what, got, back)
		}
	}
	// At Stockholm's latitude a degree of longitude is about half a degree of latitude
	// (cos 59.33° = 0.5103): a plain difference of degrees would put east-west schools twice as far.
	ratio := enrollment.Distance(home, enrollment.Point{Lat: home.Lat, Lon: home.Lon + 0.01}) /
		enrollment.Distance(home, enrollment.Point{Lat: home.Lat + 0.01, Lon: home.Lon})
	if math.Abs(ratio-0.5103) > 0.001 {
		t.Errorf("east-west against north-south: %.4f, want 0.5103", ratio)
	}
}

// A small map, distances from home (H) in metres:
//
//	Granen    2 500 m north   years 0-6
//	K         1 800 m north   another child's home
//	Ekbacken    400 m north   years 0-6
//	H                         the child's home
//	Björken     900 m east    years 0-6
//	Aspen       300 m south   years 7-9 (högstadium)
//	Tallen    1 000 m south   years 0-9
var sites = []enrollment.Site{
	{School: "Granen", At: north(2500), Years: years(0, 6)},
	{School: "Ekbacken", At: north(400), Years: years(0, 6)},
	{School: "Björken", At: east(900), Years: years(0, 6)},
	{School: "Aspen", At: north(-300), Years: years(7, 9)},
	{School: "Tallen", At: north(-1000), Years: years(0, 9)},
}

func years(from, to int) (ys []int) {
	for y := from; y <= to; y++ {
		ys = append(ys, y)
	}
	return ys
}

func TestRelativeProximityOnAMapWorkedByHand(t *testing.T) {
	otherHome := north(1800) // K
	for _, c := range []struct {
		why    string
		home   enrollment.Point
		year   int
		chosen string
		want   int
	}{
		// Förskoleklass from H: the schools taking year 0 are Ekbacken 400, Björken 900,
		// Tallen 1 000 and Granen 2 500 m away; Aspen, 300 m, takes only 7-9 and does not count.
		{"H's nearest school, 500 m nearer than the next (Björken 900 - 400)", home, 0, "Ekbacken", 500},
		{"the next across the map, east: Ekbacken 400 - 900", home, 0, "Björken", -500},
		{"a school south, with Ekbacken 400 m north nearer: 400 - 1 000", home, 0, "Tallen", -600},
		{"a school far north: 400 - 2 500", home, 0, "Granen", -2100},
		// From K, 1 800 m north: Granen is 700 m away and Ekbacken 1 400 m.
		{"K's nearest: Ekbacken 1 400 - Granen 700", otherHome, 0, "Granen", 700},
		{"K choosing H's nearest: Granen 700 - Ekbacken 1 400", otherHome, 0, "Ekbacken", -700},
		// Year 7 from H: only Aspen (300 m) and Tallen (1 000 m) take it; Ekbacken does not count.
		{"the högstadium next door: Tallen 1 000 - Aspen 300", home, 7, "Aspen", 700},
		{"the other högstadium: Aspen 300 - Tallen 1 000", home, 7, "Tallen", -700},
	} {
		got, ok := enrollment.RelativeProximity(c.home, c.year, c.chosen, sites)
		if !ok || got != c.want {
			t.Errorf("%s: %d m (%v), want %d m", c.why, got, ok, c.want)
		}
	}
	// What a placement would see: at Granen the child from K, for whom it is the nearest school,
	// comes before H, who passes Ekbacken on the way; at Ekbacken it is the other way round.
	granenH, _ := enrollment.RelativeProximity(home, 0, "Granen", sites)
	granenK, _ := enrollment.RelativeProximity(otherHome, 0, "Granen", sites)
	ekbackenH, _ := enrollment.RelativeProximity(home, 0, "Ekbacken", sites)
	ekbackenK, _ := enrollment.RelativeProximity(otherHome, 0, "Ekbacken", sites)
	if !(granenK > granenH && ekbackenH > ekbackenK) {
		t.Errorf("Granen: K %d, H %d; Ekbacken: H %d, K %d", granenK, granenH, ekbackenH, ekbackenK)
	}
}

func TestASchoolNotTakingTheYearGivesNoClaim(t *testing.T) {
	for _, c := range []struct {
		chosen string
		year   int
	}{
		{"Aspen", 0},    // a högstadium, for förskoleklass
		{"Ekbacken", 7}, // an F-6 school, for year 7
		{"Skogen", 0},   // not on the map
	} {
		if got, ok := enrollment.RelativeProximity(home, c.year, c.chosen, sites); ok {
			t.Errorf("%s for year %d: a claim of %d m", c.chosen, c.year, got)
		}
	}
}

// Of a school's two buildings the nearer counts, both as the choice and as the alternative.
func TestTheNearerBuildingOfASchoolCounts(t *testing.T) {
	twoBuildings := []enrollment.Site{
		{School: "Ekbacken", At: north(400), Years: []int{0}},
		{School: "Tallen", At: north(-1000), Years: []int{0}},
		{School: "Tallen", At: north(100), Years: []int{0}}, // Tallen's annex
	}
	if got, _ := enrollment.RelativeProximity(home, 0, "Tallen", twoBuildings); got != 300 { // 400 - 100
		t.Errorf("Tallen with its annex 100 m away: %d m, want 300", got)
	}
	if got, _ := enrollment.RelativeProximity(home, 0, "Ekbacken", twoBuildings); got != -300 { // 100 - 400
		t.Errorf("Ekbacken, Tallen's annex the alternative: %d m, want -300", got)
	}
}

func TestTheOnlySchoolForAYearHasTheStrongestClaim(t *testing.T) {
	got, ok := enrollment.RelativeProximity(home, 0, "Granen", sites[:1])
	if !ok || got != enrollment.NoAlternative {
		t.Fatalf("the only school: %d m (%v), want NoAlternative", got, ok)
	}
	only := enrollment.Priority{Proximity: got, Lottery: math.MaxUint64}
	if !only.Before(enrollment.Priority{Proximity: 1_000_000}) {
		t.Error("a child with no alternative comes after one with a claim of a thousand kilometres")
	}
}

// On random maps around Stockholm, what a family would check: the nearest school taking the
// year is the only one with a positive claim, and the two nearest have claims equal and opposite.
func TestOnlyTheNearestSchoolHasAPositiveClaim(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	around := func() enrollment.Point { // within about 10 km of home
		return enrollment.Point{Lat: home.Lat + (r.Float64()-0.5)*0.18, Lon: home.Lon + (r.Float64()-0.5)*0.36}
	}
	for m := range 200 {
		var sites []enrollment.Site
		for s := range 2 + r.IntN(10) {
			sites = append(sites, enrollment.Site{School: fmt.Sprint("school-", s), At: around(), Years: years(0, 6)})
		}
		h := around()
		byDistance := slices.Clone(sites)
		slices.SortFunc(byDistance, func(a, b enrollment.Site) int {
			return cmp.Compare(enrollment.Distance(h, a.At), enrollment.Distance(h, b.At))
		})
		nearest, second := byDistance[0], byDistance[1]
		for _, s := range sites {
			claim, _ := enrollment.RelativeProximity(h, 0, s.School, sites)
			if s.School == nearest.School && claim <= 0 || s.School != nearest.School && claim > 0 {
				t.Fatalf("map %d: %s (nearest %s) has a claim of %d m", m, s.School, nearest.School, claim)
			}
		}
		a, _ := enrollment.RelativeProximity(h, 0, nearest.School, sites)
		b, _ := enrollment.RelativeProximity(h, 0, second.School, sites)
		if a+b < -1 || a+b > 1 { // each rounded to the metre on its own
			t.Fatalf("map %d: the two nearest have claims %d and %d m", m, a, b)
		}
	}
}
