package register

import (
	"time"
	_ "time/tzdata" // Europe/Stockholm on any machine
)

// SchoolDay is the time zone school days, lesson times and messages are counted in.
var SchoolDay = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err) // time/tzdata is embedded
	}
	return loc
}()

// UntilClock is how long from now until the time of day clock (time since midnight) in the
// schools' time zone today; zero once it has passed.
func UntilClock(now time.Time, clock time.Duration) time.Duration {
	local := now.In(SchoolDay)
	y, m, d := local.Date()
	at := time.Date(y, m, d, int(clock/time.Hour), int(clock%time.Hour/time.Minute), 0, 0, SchoolDay) // on the clock, DST or not
	return max(at.Sub(now), 0)
}
