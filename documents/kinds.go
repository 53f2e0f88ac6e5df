// Package documents is the area of pupil documentation: documents about a pupil (an
// assessment, an investigation, an action programme, a report of degrading treatment) kept as
// versions that are drafted, signed once, and never changed after. A change to a signed document
// is a new version with a new signature. Signed versions form a hash chain (chain.go) that
// anyone with access to the document can verify. (The package is not named documentation: the go
// tool ignores a package of that name.)
package documents

import "slices"

// A Kind of document says what its content must hold and who signs it.
type Kind struct {
	Name string
	// Fields are the structured fields the content must have, each a non-empty text; Dates are
	// those of them that are dates (YYYY-MM-DD).
	Fields []string
	Dates  []string
	// SignedBy is who may sign a version: the staff assigned to the document, or the principal
	// of its school unit alone.
	SignedBy Signer
}

// Signer is who signs a kind's versions.
type Signer string

const (
	// ByStaff: a member of the staff assigned to the document signs, the principal too.
	ByStaff Signer = "staff"
	// ByPrincipal: the principal (rektor) of the document's school unit decides and signs; the
	// law lets no one else decide it (skollagen 3 kap. 9 § and 11 §: an action programme, or
	// the decision not to draw one up).
	ByPrincipal Signer = "principal"
)

// Kinds are the kinds of document, by name.
var Kinds = map[string]Kind{
	// Pedagogisk bedömning: a teacher's account of the extra adaptations tried and whether they
	// were enough (skollagen 3 kap. 5 §).
	"pedagogical-assessment": {Fields: []string{"adaptations", "assessment"}, SignedBy: ByStaff},
	// Utredning av behov av särskilt stöd (3 kap. 7 §): the pupil's need, and how the pupil and
	// the guardians took part.
	"investigation": {Fields: []string{"need", "participation"}, SignedBy: ByStaff},
	// Åtgärdsprogram (3 kap. 9 §): the need, the measures, who answers for them, and when they
	// are followed up and evaluated.
	"action-programme": {Fields: []string{"need", "measures", "responsible", "followUp", "evaluation"},
		Dates: []string{"followUp", "evaluation"}, SignedBy: ByPrincipal},
	// Beslut att inte utarbeta ett åtgärdsprogram (3 kap. 10 §): why no programme is needed.
	"no-programme-decision": {Fields: []string{"reasons"}, SignedBy: ByPrincipal},
	// Anmälan om kränkande behandling (6 kap. 10 §): who, what, when and where.
	"incident-report": {Fields: []string{"who", "what", "when", "where"}, SignedBy: ByStaff},
}

func init() {
	for name, k := range Kinds {
		k.Name = name
		Kinds[name] = k
	}
}

// KindNames are the kinds' names, sorted.
func KindNames() []string {
	names := make([]string, 0, len(Kinds))
	for name := range Kinds {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Longest texts a version takes: a field, and the free text.
const (
	MaxField = 4000
	MaxText  = 20000
)

// IsDate reports whether the kind's field is a date.
func (k Kind) IsDate(field string) bool { return slices.Contains(k.Dates, field) }
