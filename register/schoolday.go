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
