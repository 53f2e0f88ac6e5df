package enrollment_test

import (
	"testing"

	"github.com/skolflow/skolflow/enrollment"
)

// A small map worked by hand: schools A, B and C on a line north, about 1 112 m apart, one seat
// each. Ann lives at A and chooses A; Bo lives halfway between A and B and chooses A, then B;
// Cid lives by B and has no complete application; Dag has no known home.
//
// At A, Ann's claim is the way to the next school, B, less the way to A: 1 112 − 0 m. Bo's is
// 556 − 556 = 0 m. Ann has A, Bo his second choice B, refused at A with Ann's claim as the cut-
// off; Cid gets the nearest seat left, C; Dag no place: the officers place him.
func TestARoundOnASmallMap(t *testing.T) {
	a, b, c := enrollment.Point{Lat: 59.30, Lon: 18}, enrollment.Point{Lat: 59.31, Lon: 18}, enrollment.Point{Lat: 59.32, Lon: 18}
	data := enrollment.RoundData{Year: 7, Seed: 42, Seats: map[string]int{"A": 1, "B": 1, "C": 1},
		Sites: []enrollment.Site{{School: "A", At: a, Years: []int{7}}, {School: "B", At: b, Years: []int{7}}, {School: "C", At: c, Years: []int{7}}},
		Applicants: []enrollment.Applicant{
			{Child: "ann", Home: a, HasHome: true, Choices: []string{"A"}},
			{Child: "bo", Home: enrollment.Point{Lat: 59.305, Lon: 18}, HasHome: true, Choices: []string{"A", "B"}},
			{Child: "cid", Home: enrollment.Point{Lat: 59.311, Lon: 18}, HasHome: true},
			{Child: "dag"},
		}}
	res, err := enrollment.PlaceRound(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		school, basis string
		choice        int
	}{{"A", enrollment.BasisChoice, 1}, {"B", enrollment.BasisChoice, 2}, {"C", enrollment.BasisNearHome, 0}, {"", enrollment.BasisUnplaced, 0}}
	for i, w := range want {
		if p := res.Placements[i]; p.School != w.school || p.Basis != w.basis || p.Choice != w.choice {
			t.Errorf("%s: %+v, want %+v", data.Applicants[i].Child, p, w)
		}
	}
	ann, bo := res.Placements[0], res.Placements[1]
	if ann.Priorities[0].Proximity < 1100 || ann.Priorities[0].Proximity > 1125 {
		t.Errorf("Ann's claim to A: %d m, want about 1 112", ann.Priorities[0].Proximity)
	}
	if p := bo.Priorities[0].Proximity; p < -2 || p > 2 {
		t.Errorf("Bo's claim to A: %d m, want about 0", p)
	}
	if len(bo.Refusals) != 1 || bo.Refusals[0].School != "A" || bo.Refusals[0].CutOff == nil || *bo.Refusals[0].CutOff != withoutSchool(ann.Priorities[0]) {
		t.Errorf("Bo's refusal: %+v, want A with Ann's standing as the cut-off", bo.Refusals)
	}
	if s := res.Stats; s != (enrollment.RoundStats{Applicants: 4, Complete: 2, FirstChoice: 1, ByChoice: 2, NearHome: 1, Unplaced: 1}) {
		t.Errorf("stats %+v", s)
	}
	if in := res.Intakes[2]; in.School != "C" || in.ByChoice != 0 || in.NearHome != 1 || in.CutOff != nil {
		t.Errorf("C's intake %+v", in)
	}

	// Bo with a sister at A comes before Ann there; Ann, refused her one choice, gets the nearest
	// seat left, B. The same round and seed give the same placement.
	data.Applicants[1].SiblingAt = []string{"A"}
	res, err = enrollment.PlaceRound(data)
	if err != nil {
		t.Fatal(err)
	}
	if ann, bo := res.Placements[0], res.Placements[1]; bo.School != "A" || ann.School != "B" || ann.Basis != enrollment.BasisNearHome ||
		len(ann.Refusals) != 1 || !ann.Refusals[0].CutOff.Sibling {
		t.Errorf("with Bo's sister at A: Ann %+v, Bo %+v", ann, bo)
	}
	again, err := enrollment.PlaceRound(data)
	if err != nil {
		t.Fatal(err)
	}
	for i := range again.Placements {
		if again.Placements[i].School != res.Placements[i].School {
			t.Fatalf("the same round placed %s at %s, then at %s", data.Applicants[i].Child, res.Placements[i].School, again.Placements[i].School)
		}
	}
}

func withoutSchool(s enrollment.Standing) enrollment.Standing {
	s.School, s.Choice = "", 0
	return s
}
