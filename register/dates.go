package register

import (
	"errors"
	"time"
)

// The dates the platform accepts, in every request and in the import: from 1900-01-01 to
// 2200-12-31 in the schools' time zone. A date outside them is a slip of the keyboard (year 0,
// year 9999), and it must never reach PostgreSQL or the date arithmetic of a process. Rules of
// the domain narrow this further where they apply (a lesson's length, leave of at most a year).
const (
	FirstYear = 1900
	LastYear  = 2200
)

var (
	errDateForm  = errors.New("must be a date as YYYY-MM-DD")
	errDateRange = errors.New("must be a date from 1900-01-01 to 2200-12-31")
	errTimeRange = errors.New("must be a time from 1900-01-01 to 2200-12-31")

	firstInstant = time.Date(FirstYear, 1, 1, 0, 0, 0, 0, SchoolDay)
	endInstant   = time.Date(LastYear+1, 1, 1, 0, 0, 0, 0, SchoolDay) // the first moment after the range
)

// ParseDate parses a calendar date, YYYY-MM-DD, in the accepted range. Its error says, in a
// user's words, what is wrong.
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return d, errDateForm
	}
	if d.Year() < FirstYear || d.Year() > LastYear {
		return d, errDateRange
	}
	return d, nil
}

// CheckTime answers an error in a user's words when t lies outside the accepted range.
func CheckTime(t time.Time) error {
	if t.Before(firstInstant) || !t.Before(endInstant) {
		return errTimeRange
	}
	return nil
}
