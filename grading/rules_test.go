package grading_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/skolflow/skolflow/grading"
)

func TestTheScaleFollowsTheSchoolTypeAndTheCourse(t *testing.T) {
	for _, c := range []struct {
		schoolType, named string
		want              []string
		ok                bool
	}{
		{"GR", "", []string{"A", "B", "C", "D", "E", "F", "-"}, true},
		{"GY", "", []string{"A", "B", "C", "D", "E", "F", "-"}, true},
		{"GYS", "", []string{"A", "B", "C", "D", "E", "***"}, true},
		{"GY", "E-F", []string{"E", "F", "-"}, true}, // a course graded pass or fail
		{"VUXGY", "G-IG", []string{"G", "IG"}, true},
		{"FS", "", nil, false},    // preschool sets no grades
		{"GR", "A-Z", nil, false}, // no such scale
	} {
		s, ok := grading.ScaleFor(c.schoolType, c.named)
		if ok != c.ok || !slices.Equal(s.Values, c.want) {
			t.Errorf("ScaleFor(%q, %q) = %v, %v; want %v, %v", c.schoolType, c.named, s.Values, ok, c.want, c.ok)
		}
	}
	if grading.ScaleAF.Has("G") || !grading.ScaleAF.Has("-") || grading.ScaleAE.Has("F") {
		t.Error("a scale holds a value of another")
	}
}

// An Ändring may never lower a grade: every pair of every scale's values.
func TestAnAndringNeverLowersAGrade(t *testing.T) {
	for _, s := range []grading.Scale{grading.ScaleAF, grading.ScaleAE, grading.ScaleEF, grading.ScaleGIG} {
		for i, from := range s.Values {
			for j, to := range s.Values {
				problem := grading.CheckChange(grading.Andring, from, to, s)
				// Values are listed best first; the marks for no grade and a fail share the bottom.
				lower := j > i && !(strings.Contains("-***", to) && strings.Contains("-***", from))
				switch {
				case i == j && problem == "":
					t.Errorf("%s: %s to %s accepted as a change", s.Name, from, to)
				case i != j && lower && !strings.Contains(problem, "would lower"):
					t.Errorf("%s: Ändring %s to %s: %q, want it refused as lower", s.Name, from, to, problem)
				case i != j && !lower && j < i && problem != "":
					t.Errorf("%s: Ändring %s to %s (higher): %q, want it accepted", s.Name, from, to, problem)
				}
				// A Rättelse may go either way.
				if i != j && grading.CheckChange(grading.Rattelse, from, to, s) != "" {
					t.Errorf("%s: Rättelse %s to %s refused", s.Name, from, to)
				}
			}
		}
	}
	if p := grading.CheckChange(grading.Andring, "C", "X", grading.ScaleAF); !strings.Contains(p, "must be one of") {
		t.Errorf("a value outside the scale: %q", p)
	}
	if p := grading.CheckChange("Omprövning", "C", "B", grading.ScaleAF); p == "" {
		t.Error("a change of no known kind accepted")
	}
}

func TestWhoDecidesAGrade(t *testing.T) {
	if !grading.NeedsCoSign(false) || grading.NeedsCoSign(true) {
		t.Error("an uncertified teacher's grade needs a co-signature, a certified teacher's does not")
	}
	if grading.DecidesOnDisagreement(true) != grading.DecidesCoSigner || grading.DecidesOnDisagreement(false) != grading.DecidesPrincipal {
		t.Error("on disagreement the co-signer certified in the subject decides, else the principal")
	}
}
