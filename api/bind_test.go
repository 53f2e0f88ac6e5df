package api

import (
	"slices"
	"testing"
)

func TestDateChecksKeepToTheAcceptedYears(t *testing.T) {
	var bad Fields
	bad.Date("day", "0000-01-01")
	bad.Date("from", "9999-12-31")
	bad.Date("to", "2026-11-30")
	start, end := "1899-12-31", "2200-12-31"
	bad.Period(&start, &end)
	var got []string
	for _, f := range bad {
		got = append(got, f.Field+": "+f.Detail)
	}
	want := []string{
		"day: must be a date from 1900-01-01 to 2200-12-31",
		"from: must be a date from 1900-01-01 to 2200-12-31",
		"startDate: must be a date from 1900-01-01 to 2200-12-31",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("named %q, want %q", got, want)
	}
}

func TestValidEmailRefusesWhatTheDatabaseRefuses(t *testing.T) {
	for s, want := range map[string]bool{
		"vh-1@skolflow.test":    true,
		"åsa.öberg@exempel.se":  true,
		"a\u2028b@exempel.se":   false, // line separator
		"a\u2029b@exempel.se":   false, // paragraph separator
		"a\u0085b@exempel.se":   false, // next line
		"a\u00a0b@exempel.se":   false, // no-break space
		"a\vb@exempel.se":       false, // vertical tab: Go's \s does not know it
		"a\x01b@exempel.se":     false,
		"a\u200bb@exempel.se":   false, // zero-width space, a format character
		"not-an-address":        false,
		"two@at@signs.se":       false,
		"spaces in@exempel.se":  false,
		"trailing@exempel.se\n": false,
	} {
		if got := validEmail(s); got != want {
			t.Errorf("validEmail(%q) = %v, want %v", s, got, want)
		}
	}
}
