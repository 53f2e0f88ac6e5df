package enrollment

import (
	"slices"

	"github.com/skolflow/skolflow/register"
)

// toApply answers the open rounds a guardian may apply in for the child enrolled as enrolments
// say today, and not applied in already (apps): the rounds of the child's next school form or
// year (forChild). The API takes an application in any open round; the pages offer those that
// concern the child.
func toApply(open []OpenRound, enrolments []register.EnrolmentView, apps []ApplicationView) []OpenRound {
	var out []OpenRound
	for _, r := range open {
		if forChild(r.Round, enrolments) && !slices.ContainsFunc(apps, func(a ApplicationView) bool { return a.RoundID == r.ID }) {
			out = append(out, r)
		}
	}
	return out
}

// forChild tells whether a round concerns a child enrolled as enrolments say: a preschool or
// förskoleklass round one not yet at school; a round for year N of grundskolan or
// grundsärskolan one in förskoleklass (for year 1) or in year N−1 or N there (a school change
// at the start of a year, as the year-7 choice is).
func forChild(r Round, enrolments []register.EnrolmentView) bool {
	atSchool := false
	for _, e := range enrolments {
		year := -1
		if e.SchoolYear != nil {
			year = *e.SchoolYear
		}
		switch {
		case r.SchoolType == "GR" || r.SchoolType == "GRS":
			if e.SchoolType == "FKLASS" && r.SchoolYear == 1 {
				return true
			}
			if (e.SchoolType == "GR" || e.SchoolType == "GRS") && (year == r.SchoolYear-1 || year == r.SchoolYear) {
				return true
			}
		default:
			atSchool = true // any enrolment: preschool (a placement) and förskoleklass are behind the child
		}
	}
	return (r.SchoolType == "FS" || r.SchoolType == "FKLASS") && !atSchool
}
