package leave_test

import (
	"slices"
	"testing"
	"time"

	"github.com/skolflow/skolflow/leave"
)

func TestSchoolDaysAreTheWeekdaysOfThePeriod(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, c := range []struct {
		first, last string
		want        int
	}{
		{"2026-12-07", "2026-12-11", 5},  // Monday to Friday
		{"2026-12-05", "2026-12-06", 0},  // a weekend
		{"2026-12-11", "2026-12-14", 2},  // Friday to Monday
		{"2026-12-07", "2026-12-07", 1},  // one day
		{"2026-12-07", "2026-12-20", 10}, // two weeks
		{"2026-12-08", "2026-12-07", 0},  // ends before it starts
	} {
		if got := leave.SchoolDays(day(c.first), day(c.last)); got != c.want {
			t.Errorf("SchoolDays(%s, %s) = %d, want %d", c.first, c.last, got, c.want)
		}
	}
}

// Who decides (skollagen 7 kap. 18 §): a mentor only within the school's delegation, and never
// leave of more than ten school days, whatever the delegation says.
func TestWhoDecides(t *testing.T) {
	for _, c := range []struct {
		name                string
		mentorMaxDays, days int
		want                bool
	}{
		{"no delegation", 0, 1, false},
		{"within the delegation", 5, 5, true},
		{"beyond the delegation", 5, 6, false},
		{"ten days, delegated", 10, 10, true},
		{"eleven days, delegated beyond the law", 30, 11, false},
		{"a negative delegation", -1, 0, false},
	} {
		got := leave.Delegated(c.mentorMaxDays, c.days)
		if got != c.want {
			t.Errorf("%s: Delegated(%d, %d) = %v, want %v", c.name, c.mentorMaxDays, c.days, got, c.want)
		}
		deciders := leave.Deciders(got)
		if !slices.Contains(deciders, "Rektor") || slices.Contains(deciders, "Lärare") != got {
			t.Errorf("%s: Deciders = %v: the principal always, teachers only by delegation", c.name, deciders)
		}
	}
}
