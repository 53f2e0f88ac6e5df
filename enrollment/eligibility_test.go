package enrollment_test

import (
	"testing"

	"github.com/skolflow/skolflow/enrollment"
)

// A round concerns a child of its next school form or year: year 7 to one in year 6
// (or 7, changing school), year 1 to one in förskoleklass, förskoleklass and preschool to one not
// at school; never year 7 to one in year 3, nor a preschool round to a pupil.
func TestARoundConcernsTheChildOfItsYear(t *testing.T) {
	year := func(n int) *int { return &n }
	in := func(schoolType string, y *int) []enrollment.Schooling {
		return []enrollment.Schooling{{SchoolType: schoolType, SchoolYear: y}}
	}
	year7 := enrollment.Round{SchoolType: "GR", SchoolYear: 7}
	year1 := enrollment.Round{SchoolType: "GR", SchoolYear: 1}
	fklass := enrollment.Round{SchoolType: "FKLASS"}
	preschool := enrollment.Round{SchoolType: "FS"}
	for _, c := range []struct {
		name  string
		round enrollment.Round
		child []enrollment.Schooling
		want  bool
	}{
		{"year 7, a pupil in year 6", year7, in("GR", year(6)), true},
		{"year 7, a pupil in year 7", year7, in("GR", year(7)), true},
		{"year 7, a pupil of grundsärskolan in year 6", year7, in("GRS", year(6)), true},
		{"year 7, a pupil in year 3", year7, in("GR", year(3)), false},
		{"year 7, a child not at school", year7, nil, false},
		{"year 1, a child in förskoleklass", year1, in("FKLASS", nil), true},
		{"förskoleklass, a child not at school", fklass, nil, true},
		{"förskoleklass, a pupil in year 6", fklass, in("GR", year(6)), false},
		{"preschool, a child not at school", preschool, nil, true},
		{"preschool, a pupil in year 7", preschool, in("GR", year(7)), false},
	} {
		if got := enrollment.Concerns(c.round, c.child); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
