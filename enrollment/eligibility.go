package enrollment

import (
	"slices"

	"github.com/skolflow/skolflow/register"
)

// Which rounds concern a child: a round places children into its school form and year, so a
// guardian applies in a round of the child's next school form or year. The API refuses an
// application in any other (Store.Apply); the pages offer those alone (toApply).

// Schooling is a child's enrolment today: its school type and year (nil where the type has none).
type Schooling struct {
	SchoolType string
	SchoolYear *int
}

// Concerns tells whether a round concerns a child enrolled as schooling says: a preschool or
// förskoleklass round one not yet at school; a round for year N of grundskolan or grundsärskolan
// one in förskoleklass (for year 1) or in year N−1 or N there (a school change at the start of a
// year, as the year-7 choice is).
func Concerns(r Round, schooling []Schooling) bool {
	atSchool := false
	for _, e := range schooling {
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
			atSchool = true // any enrolment: preschool (a placement, not an enrolment) is behind the child
		}
	}
	return (r.SchoolType == "FS" || r.SchoolType == "FKLASS") && !atSchool
}

// toApply answers the open rounds a guardian may apply in for the child enrolled as enrolments
// say today, and not applied in already (apps).
func toApply(open []OpenRound, enrolments []register.EnrolmentView, apps []ApplicationView) []OpenRound {
	schooling := make([]Schooling, 0, len(enrolments))
	for _, e := range enrolments {
		schooling = append(schooling, Schooling{SchoolType: e.SchoolType, SchoolYear: e.SchoolYear})
	}
	var out []OpenRound
	for _, r := range open {
		if Concerns(r.Round, schooling) && !slices.ContainsFunc(apps, func(a ApplicationView) bool { return a.RoundID == r.ID }) {
			out = append(out, r)
		}
	}
	return out
}
