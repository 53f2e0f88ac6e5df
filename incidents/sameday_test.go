package incidents_test

import (
	"testing"
	"time"

	"github.com/skolflow/skolflow/incidents"
	"github.com/skolflow/skolflow/register"
)

// The principal acknowledges a report the same day: within the setting, and never past midnight
// in the schools' time zone, on the days the clocks change too.
func TestAcknowledgementIsDueTheSameDay(t *testing.T) {
	at := func(day string, hour, minute int) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, day, register.SchoolDay)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, register.SchoolDay)
	}
	cases := []struct {
		now    time.Time
		within time.Duration
		want   time.Duration
	}{
		{at("2026-12-01", 9, 0), 24 * time.Hour, 15 * time.Hour},
		{at("2026-12-01", 23, 50), 24 * time.Hour, 10 * time.Minute},
		{at("2026-12-01", 9, 0), 2 * time.Hour, 2 * time.Hour},
		{at("2026-10-25", 1, 0), 48 * time.Hour, 24 * time.Hour}, // the clocks go back at 03:00: a 24-hour day from 01:00
		{at("2026-03-29", 1, 0), 48 * time.Hour, 22 * time.Hour}, // and forward at 02:00
	}
	for _, c := range cases {
		if got := incidents.SameDay(c.now, c.within); got != c.want {
			t.Errorf("a report at %s with %v: due in %v, want %v", c.now, c.within, got, c.want)
		}
	}
}
