// Package leave is the area of leave (ledighet, skollagen 7 kap. 18 §): a custodial guardian
// applies for a pupil's leave for a period, every other custodial guardian agrees, the mentor
// gives an opinion, and the principal decides, or a mentor where the principal has delegated
// short leave. Granted leave is valid absence in the register (Beviljad ledighet).
//
// The folder holds the whole area: its rules (this file), its SQL (store.go), its process
// (workflow.go), the process's activities (activities.go), its HTTP handlers (http.go), the
// Module that plugs it into the platform (module.go), and their tests and recorded histories.
package leave

import "time"

// Status is where an application stands, as the record keeps it.
type Status = string

// The statuses of an application.
const (
	AwaitingGuardians Status = "awaiting-guardians" // the other custodial guardians are asked
	AwaitingDecision  Status = "awaiting-decision"
	RefusedByGuardian Status = "refused-by-guardian"
	Expired           Status = "expired" // a guardian did not answer in time
	Granted           Status = "granted"
	Denied            Status = "denied"
)

// Live are the statuses of leave that still counts: applied for, or granted. Leave that
// overlaps live leave is refused; leave that runs on from it counts with it for who decides.
var Live = []Status{AwaitingGuardians, AwaitingDecision, Granted}

// MaxDelegatedDays is the longest leave, in school days, a principal may leave to others to
// decide: longer leave is always the principal's decision (skollagen 7 kap. 18 §).
const MaxDelegatedDays = 10

// MaxCalendarDays bounds one application; a longer absence is not leave but a matter for the
// school.
const MaxCalendarDays = 366

// SchoolDays counts the weekdays from first to last, both included: the days of school the
// leave takes. (Holidays in between are counted; the school's calendar is not in the register.)
func SchoolDays(first, last time.Time) int {
	n := 0
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			n++
		}
	}
	return n
}

// Delegated reports whether a mentor may decide leave of days school days (with the leave it
// runs on from), when the school delegates mentorMaxDays: never beyond MaxDelegatedDays.
func Delegated(mentorMaxDays, days int) bool {
	limit := min(mentorMaxDays, MaxDelegatedDays)
	return limit > 0 && days <= limit
}

// Deciders are the duty roles whose holders at the school may be given the decision: the
// principal, and teachers only where the decision is delegated to them.
func Deciders(delegated bool) []string {
	if delegated {
		return []string{"Rektor", "Lärare"}
	}
	return []string{"Rektor"}
}

// AdjoiningGap is the most days from one period of leave's last day to the next one's first
// that still make the two one leave, when it comes to who decides: Friday to Monday.
const AdjoiningGap = 3
