package grading

import (
	"fmt"
	"slices"
	"strings"
)

// The law's rules of grading (skollagen 3 kap. and the school forms' chapters), as pure
// functions: which scale a syllabus is graded on, what counts as a lower grade, and who decides
// a grade. The process and the handlers ask these; nothing here reads or writes.

// Scale is a named set of grade values, best first.
type Scale struct {
	Name   string
	Values []string
}

// The scales (domain.md, "Grading"). A dash (-) is given when there is no basis for a grade
// because of the pupil's absence.
var (
	// ScaleAF is A–E (pass) and F (fail), and the dash: GR, GY and the forms that follow them.
	ScaleAF = Scale{"A-F", []string{"A", "B", "C", "D", "E", "F", "-"}}
	// ScaleAE is gymnasiesärskolan's: A–E, and *** where the pupil has not reached E.
	ScaleAE = Scale{"A-E", []string{"A", "B", "C", "D", "E", "***"}}
	// ScaleEF is a course graded only pass or fail (the diploma project, gymnasiearbete).
	ScaleEF = Scale{"E-F", []string{"E", "F", "-"}}
	// ScaleGIG is some adult education courses': G (godkänd) and IG (icke godkänd).
	ScaleGIG = Scale{"G-IG", []string{"G", "IG"}}
)

// Scales are every scale by name: a syllabus may name its own (gradeScale in the register).
var Scales = map[string]Scale{ScaleAF.Name: ScaleAF, ScaleAE.Name: ScaleAE, ScaleEF.Name: ScaleEF, ScaleGIG.Name: ScaleGIG}

// bySchoolType is the scale a school type grades on unless the course names another.
var bySchoolType = map[string]Scale{
	"GR": ScaleAF, "SP": ScaleAF, "SAM": ScaleAF, "GY": ScaleAF,
	"VUXGR": ScaleAF, "VUXGY": ScaleAF, "VUXSFI": ScaleAF, "SFI": ScaleAF,
	"GYS": ScaleAE,
}

// ScaleFor answers the scale of a syllabus of schoolType; named, if not "", is the scale the
// course itself is graded on (the register's gradeScale), which wins. ok is false for a school
// type that sets no grades (preschool, say) and a name of no scale.
func ScaleFor(schoolType, named string) (Scale, bool) {
	if named != "" {
		s, ok := Scales[named]
		return s, ok
	}
	s, ok := bySchoolType[schoolType]
	return s, ok
}

// Has tells whether value is a grade of the scale.
func (s Scale) Has(value string) bool { return slices.Contains(s.Values, value) }

// String lists the scale's values, for what is said to one who gave another.
func (s Scale) String() string { return strings.Join(s.Values, ", ") }

// rank orders grade values for telling a higher grade from a lower: the better the grade, the
// higher. The marks for no grade (the dash, ***) and a fail are below every pass.
var rank = map[string]int{"A": 6, "B": 5, "C": 4, "D": 3, "E": 2, "G": 2, "F": 1, "IG": 1, "-": 0, "***": 0}

// Lower tells whether to is a lower grade than from. An Ändring (the grading teacher's change
// of an obviously wrong grade) may never lower a grade; a Rättelse (the principal's correction
// of a clerical error) may.
func Lower(from, to string) bool { return rank[to] < rank[from] }

// The kinds of correction after a grade is set (SS 12000 correctionType).
const (
	Andring  = "Ändring"  // the grading teacher changes an obviously wrong grade, never lower
	Rattelse = "Rättelse" // the principal corrects an obvious clerical error, after hearing the pupil and guardians
)

// CheckChange answers what is wrong with changing a grade from one value to another by kind of
// correction, "" if nothing is.
func CheckChange(kind, from, to string, scale Scale) string {
	switch {
	case !scale.Has(to):
		return fmt.Sprintf("must be one of %s", scale)
	case to == from:
		return "is the grade already set"
	case kind == Andring && Lower(from, to):
		return "would lower the grade: an Ändring may never lower a grade (skollagen 3 kap.); a clerical error is corrected by the principal (Rättelse)"
	case kind != Andring && kind != Rattelse:
		return "must be Ändring or Rättelse"
	}
	return ""
}

// NeedsCoSign tells whether a grade set by a teacher needs a certified teacher's co-signature:
// when the grading teacher is not certified (lärarlegitimation) in the subject, they decide the
// grade together with a certified teacher (skollagen 3 kap. 16 §).
func NeedsCoSign(teacherCertified bool) bool { return !teacherCertified }

// Who decides when the grading teacher and the co-signer disagree.
const (
	DecidesCoSigner  = "co-signer" // the co-signer is certified in the subject: theirs is the grade
	DecidesPrincipal = "principal" // otherwise the principal decides
)

// DecidesOnDisagreement answers who sets the grade when the co-signer does not agree with the
// grading teacher: the co-signer if certified in the subject, else the principal.
func DecidesOnDisagreement(coSignerCertifiedInSubject bool) string {
	if coSignerCertifiedInSubject {
		return DecidesCoSigner
	}
	return DecidesPrincipal
}

// Semester is the term's half of the year as SS 12000 names it (HT, VT), from its display name
// or its start month.
func Semester(termStartMonth int) string {
	if termStartMonth >= 7 {
		return "HT"
	}
	return "VT"
}
