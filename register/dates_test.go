package register

import (
	"testing"
	"time"
)

func TestParseDateKeepsToTheAcceptedYears(t *testing.T) {
	for s, want := range map[string]string{
		"1900-01-01": "", "2026-11-30": "", "2200-12-31": "",
		"1899-12-31": "must be a date from 1900-01-01 to 2200-12-31",
		"0000-01-01": "must be a date from 1900-01-01 to 2200-12-31",
		"9999-12-31": "must be a date from 1900-01-01 to 2200-12-31",
		"2201-01-01": "must be a date from 1900-01-01 to 2200-12-31",
		"2026-02-30": "must be a date as YYYY-MM-DD",
		"30/11/2026": "must be a date as YYYY-MM-DD",
	} {
		_, err := ParseDate(s)
		if got := errText(err); got != want {
			t.Errorf("ParseDate(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestCheckTimeKeepsToTheAcceptedYears(t *testing.T) {
	for _, c := range []struct {
		t  time.Time
		ok bool
	}{
		{time.Date(1900, 1, 1, 0, 0, 0, 0, SchoolDay), true},
		{time.Date(2200, 12, 31, 23, 59, 0, 0, SchoolDay), true},
		{time.Date(2201, 1, 1, 0, 0, 0, 0, SchoolDay), false},
		{time.Date(1899, 12, 31, 23, 59, 0, 0, SchoolDay), false},
		{time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC), false},
		{time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), false},
	} {
		if ok := CheckTime(c.t) == nil; ok != c.ok {
			t.Errorf("CheckTime(%v) accepted %v, want %v", c.t, ok, c.ok)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
