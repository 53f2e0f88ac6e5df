package enrollment

import (
	"math"
	"slices"
)

// Relative proximity (relativ närhet) is how Stockholm weighs a child's justified claim to a
// school near home (berättigat krav på placering vid en skolenhet nära hemmet, skollagen 10 kap.
// 30 §): not how near the chosen school is, but how much nearer it is than the school the child
// would otherwise go to. A child with one school round the corner and the next far away has a
// strong claim to the near one; a child who lives among many schools has a weak claim to any of
// them, since a place at another costs it little.

// Point is a place on the map in degrees of latitude and longitude (WGS 84).
type Point struct{ Lat, Lon float64 }

// EarthRadius is the Earth's mean radius in metres (IUGG), the sphere Distance measures on.
const EarthRadius = 6371008.8

// Distance is the great-circle distance between a and b in metres, by the haversine formula on a
// sphere of EarthRadius: as the crow flies, not along the streets. Its error against the WGS 84
// ellipsoid is under half a percent, a few metres over a way to school. The haversine form stays
// exact for the short distances of a city, where the spherical law of cosines loses its digits.
func Distance(a, b Point) float64 {
	lat1, lat2 := radians(a.Lat), radians(b.Lat)
	dLat, dLon := lat2-lat1, radians(b.Lon-a.Lon)
	h := sq(math.Sin(dLat/2)) + math.Cos(lat1)*math.Cos(lat2)*sq(math.Sin(dLon/2))
	return 2 * EarthRadius * math.Asin(math.Sqrt(math.Min(h, 1)))
}

func radians(degrees float64) float64 { return degrees * math.Pi / 180 }

func sq(x float64) float64 { return x * x }

// Site is a school on the map: its ID, where it is, and the school years it takes (förskoleklass
// is year 0). A school with two buildings is two sites of one ID.
type Site struct {
	School string
	At     Point
	Years  []int
}

// NoAlternative is the claim of a child for whom the chosen school is the only one taking its
// year: no claim is stronger. It is far from the int's limits, so sums and differences of claims
// do not overflow.
const NoAlternative = math.MaxInt32

// RelativeProximity is a child's claim by relative proximity to a place in year at the school
// chosen, seen from home:
//
//	distance to the nearest site of another school taking year − distance to the chosen school
//
// in whole metres. Larger is stronger. It is positive when the chosen school is the nearest that
// takes the year, by that much, and negative when another is nearer, by that much. Sites that do
// not take the year do not count: a högstadieskola next door is no alternative for förskoleklass.
// Of a school with several sites the nearest taking the year counts.
//
// The claim is rounded to whole metres: coordinates of a home are no more precise than that, and
// so claims equal to the metre tie, for the lottery to break, rather than being ordered by the
// last bits of floating point. ok is false when no site of chosen takes year: there is then no
// claim to make. When no other school takes the year the claim is NoAlternative.
func RelativeProximity(home Point, year int, chosen string, sites []Site) (metres int, ok bool) {
	toChosen, toOther := math.Inf(1), math.Inf(1)
	for _, s := range sites {
		if !slices.Contains(s.Years, year) {
			continue
		}
		d := Distance(home, s.At)
		if s.School == chosen {
			toChosen = math.Min(toChosen, d)
		} else {
			toOther = math.Min(toOther, d)
		}
	}
	switch {
	case math.IsInf(toChosen, 1):
		return 0, false
	case math.IsInf(toOther, 1):
		return NoAlternative, true
	}
	return int(math.Round(toOther - toChosen)), true
}
