package register

// SS 12000 v2.1 code lists, as the official OpenAPI document spells them.
var (
	OrganisationTypes = set("Huvudman", "Verksamhetsområde", "Förvaltning", "Rektorsområde", "Skola",
		"Skolenhet", "Varumärke", "Bolag", "Övrigt")
	SchoolTypes = set("FS", "FKLASS", "FTH", "OPPFTH", "GR", "GRS", "TR", "SP", "SAM", "GY", "GYS",
		"VUX", "VUXSFI", "VUXGR", "VUXGY", "VUXSARGR", "VUXSARTR", "VUXSARGY", "SFI", "SARVUX",
		"SARVUXGR", "SARVUXGY", "KU", "YH", "FHS", "STF", "KKU", "HS", "ABU", "AU")
	PlacementSchoolTypes = set("FS", "FTH", "OPPFTH")
	DutyRoles            = set("Rektor", "Lärare", "Förskollärare", "Barnskötare", "Bibliotekarie",
		"Lärarassistent", "Fritidspedagog", "Annan personal", "Studie- och yrkesvägledare",
		"Förstelärare", "Kurator", "Skolsköterska", "Skolläkare", "Skolpsykolog",
		"Speciallärare/specialpedagog", "Skoladministratör", "Övrig arbetsledning",
		"Övrig pedagogisk personal", "Förskolechef")
	GroupTypes = set("Undervisning", "Klass", "Mentor", "Provgrupp", "Schema", "Avdelning",
		"Personalgrupp", "Övrigt")
	RelationTypes    = set("Vårdnadshavare", "Annan ansvarig", "God man", "Utsedd behörig")
	SecurityMarkings = set(NoMarking, "Sekretessmarkering", "Skyddad folkbokföring")
	// AssignmentRoles: Lärare teaches the group, Mentor mentors its pupils.
	AssignmentRoles = set("Lärare", "Mentor")
	ActivityTypes   = set("Undervisning", "Elevaktivitet", "Provaktivitet", "Läraraktivitet", "Övrigt")
	// GradeScales are the names of grading.Scales, for a syllabus graded on a scale of its own.
	GradeScales = set("A-F", "A-E", "E-F", "G-IG")
	// AddressTypes are a person's (Code_AddressType); OrganisationAddressTypes an organisation's
	// (Code_OrganisationAddressType).
	AddressTypes             = set(HomeAddress, "Särskild postadress", "Tillfällig adress", "Postadress")
	OrganisationAddressTypes = set("Besöksadress", "Leveransadress", "Postadress", "Fakturaadress")
)

// HomeAddress is the type of the address a person is registered at in the population register
// (folkbokföring): the home that placement by proximity measures from, and the standard's
// default type of an address.
const HomeAddress = "Folkbokföring"

// AddressType is the type of a person's address a: HomeAddress when the document gives none.
func AddressType(a Address) string {
	if a.Type == "" {
		return HomeAddress
	}
	return a.Type
}

// Custody is the one relation type that takes custody decisions (vårdnadshavare).
const Custody = "Vårdnadshavare"

// The SS 12000 absence types of an absence filled in in the register.
const (
	ReportedAbsence = "Anmäld frånvaro"   // a guardian's report (sjukanmälan)
	GrantedLeave    = "Beviljad ledighet" // leave the school granted
)

// HasCustody is the SQL condition that the responsibles row alias is custody (Custody). It is
// written into the statement, not passed as a parameter: the planner then knows the value, and
// the reads on the authorization path stay as fast as with the literal.
func HasCustody(alias string) string { return alias + ".relation_type = '" + Custody + "'" }

// NoMarking is the security marking of a person nothing hides.
const NoMarking = "Ingen"

// Protected reports whether a security marking hides the person (Sekretessmarkering or
// Skyddad folkbokföring).
func Protected(marking string) bool { return marking != "" && marking != NoMarking }

// Unprotected is the SQL condition that the person row alias is not hidden by a security
// marking: Protected, as the database asks it.
func Unprotected(alias string) string { return alias + ".security_marking = '" + NoMarking + "'" }

type codeSet map[string]bool

func set(codes ...string) codeSet {
	s := codeSet{}
	for _, c := range codes {
		s[c] = true
	}
	return s
}
