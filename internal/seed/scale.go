package seed

import (
	"fmt"
	"slices"
	"strings"
)

// Scale is the size of a seeded register: the headline numbers the domain states for a city,
// which a seed meets exactly. Classes, teaching groups, lessons and the like follow from them.
type Scale struct {
	Name       string
	Schools    int // school units with pupils: förskoleklass, grundskola, gymnasium
	Preschools int // school units of school type FS
	Pupils     int
	Guardians  int // custodial guardians and other responsible adults
	Staff      int // every member of staff has one duty
}

// Scales are the named scales, smallest first.
var Scales = []Scale{
	// One F-9 school of about one class per year, and one preschool: a test's register.
	{Name: "school", Schools: 1, Preschools: 1, Pupils: 250, Guardians: 360, Staff: 42},
	// A twentieth of the city: a stadsdel.
	{Name: "district", Schools: 9, Preschools: 30, Pupils: 7_000, Guardians: 10_000, Staff: 1_175},
	// The reference customer (../shared/domain.md, "Scale to design for").
	{Name: "city", Schools: 177, Preschools: 600, Pupils: 140_000, Guardians: 200_000, Staff: 23_500},
}

// ScaleNamed finds a named scale.
func ScaleNamed(name string) (Scale, error) {
	i := slices.IndexFunc(Scales, func(s Scale) bool { return s.Name == name })
	if i < 0 {
		return Scale{}, fmt.Errorf("no scale %q: choose %s", name, ScaleNames())
	}
	return Scales[i], nil
}

// ScaleNames lists the named scales, for usage text: "school, district or city".
func ScaleNames() string {
	names := make([]string, len(Scales))
	for i, s := range Scales {
		names[i] = s.Name
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
