package seed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/skolflow/skolflow/register"
)

// Where the city's schools and homes are, so that a benchmark of placement by relative
// proximity has distances to compute. Nothing geocodes, so the seed draws the points: every
// school unit gets a Besöksadress and every family a home (its children's Folkbokföring
// address, which siblings share), each at a point inside its area. The areas (stadsdelar) are
// the cells of a grid laid over the city; with a single area, the cell is the whole city.

// The city's box in WGS84 decimal degrees: Stockholm, from Hässelby to Skarpnäck or so.
const (
	citySouth, cityNorth = 59.26, 59.40
	cityWest, cityEast   = 17.85, 18.12
)

// locality is the postort of every seeded address.
const locality = "Stockholm"

var streetNames = []string{"Storgatan", "Kyrkvägen", "Skolgatan", "Parkvägen", "Björkvägen", "Ringvägen",
	"Ängsvägen", "Tallstigen", "Sjövägen", "Strandvägen", "Backvägen", "Industrigatan", "Kvarngatan",
	"Hantverkargatan", "Torggatan", "Järnvägsgatan", "Bergsgatan", "Lärkstigen", "Villavägen", "Granvägen",
	"Ekvägen", "Lindvägen", "Rosenvägen", "Solvägen", "Furuvägen", "Hagvägen", "Gärdesvägen", "Viksvägen",
	"Dalvägen", "Åsvägen"}

// locations gives every school unit its address and point, and every pupil their family's home.
// It runs after classes, which gives the pupils their ids.
func (g *generator) locations(schools, preschools []*unit, fams []*family) {
	r := stream("locations")
	units := append(append([]*unit{}, schools...), preschools...)
	grid := newGrid(units)
	for _, u := range units {
		g.reg.OrganisationAddresses = append(g.reg.OrganisationAddresses,
			OrganisationAddress{Org: u.ID, Type: "Besöksadress", Place: grid.place(r, u.area)})
	}
	for _, f := range fams {
		home := grid.place(r, f.area)
		for _, c := range f.children {
			g.reg.PersonAddresses = append(g.reg.PersonAddresses, PersonAddress{Person: c.pupil.ID, Type: register.HomeAddress, Place: home})
		}
	}
}

// grid lays the areas over the city's box in rows of cols cells.
type grid struct{ cols, rows int }

func newGrid(units []*unit) grid {
	areas := 1
	for _, u := range units {
		areas = max(areas, u.area+1)
	}
	cols := int(math.Ceil(math.Sqrt(float64(areas))))
	return grid{cols: cols, rows: (areas + cols - 1) / cols}
}

// place is a made-up street address at a point drawn evenly over the area's cell.
func (gr grid) place(r *rand.Rand, area int) Place {
	height := (cityNorth - citySouth) / float64(gr.rows)
	width := (cityEast - cityWest) / float64(gr.cols)
	south := citySouth + float64(area/gr.cols)*height
	west := cityWest + float64(area%gr.cols)*width
	return Place{
		Street:     pick(r, streetNames) + " " + strconv.Itoa(1+r.IntN(120)),
		PostalCode: fmt.Sprintf("1%02d %02d", 12+r.IntN(18), r.IntN(100)), // 112 00 to 129 99
		Locality:   locality,
		Latitude:   micro(south + r.Float64()*height),
		Longitude:  micro(west + r.Float64()*width),
	}
}

// micro rounds degrees to millionths, a tenth of a metre: as precise as an address needs.
func micro(degrees float64) float64 { return math.Round(degrees*1e6) / 1e6 }
