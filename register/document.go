package register

// Document is a bulk import of the register: the same JSON for `POST /api/v1/register/import`
// and `skolflow import FILE`. Names follow SS 12000 v2.1; references are by id. Every row carries
// the id its source system gave it, so importing the same document again changes nothing.
//
// An import adds and updates; it never deletes. A relation or duty is ended by setting endDate;
// an address is replaced by another of its type.
type Document struct {
	Organisations         []Organisation         `json:"organisations"`
	Persons               []Person               `json:"persons"`
	Responsibles          []Responsible          `json:"responsibles"`
	Duties                []Duty                 `json:"duties"`
	TeacherCertifications []TeacherCertification `json:"teacherCertifications"`
	Groups                []Group                `json:"groups"`
	GroupMemberships      []GroupMembership      `json:"groupMemberships"`
	GroupAssignments      []GroupAssignment      `json:"groupAssignments"`
	SchoolYears           []SchoolYear           `json:"schoolYears"`
	Terms                 []Term                 `json:"terms"`
	Enrolments            []Enrolment            `json:"enrolments"`
	Placements            []Placement            `json:"placements"`
	Syllabuses            []Syllabus             `json:"syllabuses"`
	Activities            []Activity             `json:"activities"`
}

// Organisation is a huvudman, a school unit (skolenhet) or an organisational level between.
type Organisation struct {
	ID                 string   `json:"id"`
	DisplayName        string   `json:"displayName"`
	OrganisationType   string   `json:"organisationType"`
	OrganisationCode   *string  `json:"organisationCode,omitempty"`
	ParentOrganisation *string  `json:"parentOrganisation,omitempty"`
	SchoolUnitCode     *string  `json:"schoolUnitCode,omitempty"` // skolenhetskod, 8 digits
	SchoolTypes        []string `json:"schoolTypes,omitempty"`
	MunicipalityCode   *string  `json:"municipalityCode,omitempty"`
	StartDate          *string  `json:"startDate,omitempty"`
	EndDate            *string  `json:"endDate,omitempty"`
	// Address is where the organisation is: a school unit's point is its location, which
	// placement by proximity measures to. Its type is from OrganisationAddressTypes, or none.
	// Left out, the register keeps the address it holds.
	Address *Address `json:"address,omitempty"`
}

// Person is a pupil, a guardian or a member of staff.
type Person struct {
	ID                      string   `json:"id"`
	GivenName               string   `json:"givenName"`
	FamilyName              string   `json:"familyName"`
	CivicNo                 *string  `json:"civicNo,omitempty"`
	SecurityMarking         string   `json:"securityMarking,omitempty"` // Ingen when empty
	EduPersonPrincipalNames []string `json:"eduPersonPrincipalNames,omitempty"`
	// Addresses are at most one of each type (AddressTypes); the Folkbokföring address is the
	// home. An address replaces the one of its type; a type left out keeps what the register
	// holds.
	Addresses []Address `json:"addresses,omitempty"`
}

// Address is a person's address (Person.addresses) or an organisation's (Organisation.address).
// Latitude and Longitude are not SS 12000's: Skolflow carries them (WGS84, decimal degrees)
// because placement by relative proximity needs the point and nothing here geocodes an
// address. Both or neither.
type Address struct {
	Type          string   `json:"type,omitempty"` // a person's: Folkbokföring when empty
	StreetAddress string   `json:"streetAddress"`  // gatuadress
	Locality      string   `json:"locality"`       // postort
	PostalCode    string   `json:"postalCode"`     // postnummer
	Country       *string  `json:"country,omitempty"`
	Latitude      *float64 `json:"latitude,omitempty"`
	Longitude     *float64 `json:"longitude,omitempty"`
}

// Responsible relates an adult to a child (Person.responsibles).
type Responsible struct {
	Person       string  `json:"person"`      // the child
	Responsible  string  `json:"responsible"` // the adult
	RelationType string  `json:"relationType"`
	StartDate    *string `json:"startDate,omitempty"`
	EndDate      *string `json:"endDate,omitempty"`
}

// Duty is a staff member's role at an organisation for a period.
type Duty struct {
	ID        string  `json:"id"`
	Person    string  `json:"person"`
	DutyAt    string  `json:"dutyAt"`
	DutyRole  string  `json:"dutyRole"`
	Signature *string `json:"signature,omitempty"`
	StartDate string  `json:"startDate"`
	EndDate   *string `json:"endDate,omitempty"`
}

// TeacherCertification is a lärarlegitimation in one subject.
type TeacherCertification struct {
	Person      string `json:"person"`
	SubjectCode string `json:"subjectCode"`
}

// Group is a class, teaching group, mentor group, ... of a school unit.
type Group struct {
	ID           string  `json:"id"`
	DisplayName  string  `json:"displayName"`
	GroupType    string  `json:"groupType"`
	SchoolType   *string `json:"schoolType,omitempty"`
	Organisation string  `json:"organisation"`
	StartDate    string  `json:"startDate"`
	EndDate      *string `json:"endDate,omitempty"`
}

// GroupMembership puts a pupil in a group for a period.
type GroupMembership struct {
	Group     string  `json:"group"`
	Person    string  `json:"person"`
	StartDate string  `json:"startDate"`
	EndDate   *string `json:"endDate,omitempty"`
}

// GroupAssignment gives a duty a role in a group: Lärare (teaches it) or Mentor.
type GroupAssignment struct {
	Group          string  `json:"group"`
	Duty           string  `json:"duty"`
	AssignmentRole string  `json:"assignmentRole"`
	StartDate      string  `json:"startDate"`
	EndDate        *string `json:"endDate,omitempty"`
}

// SchoolYear is a läsår of a huvudman.
type SchoolYear struct {
	ID           string `json:"id"`
	Organisation string `json:"organisation"`
	DisplayName  string `json:"displayName"`
	StartDate    string `json:"startDate"`
	EndDate      string `json:"endDate"`
}

// Term is a termin of a school year.
type Term struct {
	ID          string `json:"id"`
	SchoolYear  string `json:"schoolYear"`
	DisplayName string `json:"displayName"`
	StartDate   string `json:"startDate"`
	EndDate     string `json:"endDate"`
}

// Enrolment enrols a pupil at a school unit.
type Enrolment struct {
	ID         string  `json:"id"`
	Person     string  `json:"person"`
	EnroledAt  string  `json:"enroledAt"`
	SchoolType string  `json:"schoolType"`
	SchoolYear *int    `json:"schoolYear,omitempty"` // årskurs
	StartDate  string  `json:"startDate"`
	EndDate    *string `json:"endDate,omitempty"`
}

// Placement places a child at a preschool or pedagogical care.
type Placement struct {
	ID         string  `json:"id"`
	Child      string  `json:"child"`
	PlacedAt   string  `json:"placedAt"`
	Group      *string `json:"group,omitempty"`
	SchoolType string  `json:"schoolType"`
	StartDate  string  `json:"startDate"`
	EndDate    *string `json:"endDate,omitempty"`
}

// Syllabus is a subject or a course as taught and graded.
type Syllabus struct {
	ID          string  `json:"id"`
	SchoolType  string  `json:"schoolType"`
	SubjectCode string  `json:"subjectCode"`
	SubjectName string  `json:"subjectName"`
	CourseCode  *string `json:"courseCode,omitempty"` // GY: the course; none for a subject grade
	CourseName  *string `json:"courseName,omitempty"`
	Points      *int    `json:"points,omitempty"`
	// GradeScale names the scale the course is graded on when not its school type's (A-F, A-E,
	// E-F, G-IG); Skolflow's, not the standard's.
	GradeScale *string `json:"gradeScale,omitempty"`
}

// Activity is the teaching of a syllabus to groups by teachers at a school unit.
type Activity struct {
	ID           string   `json:"id"`
	DisplayName  string   `json:"displayName"`
	ActivityType string   `json:"activityType,omitempty"` // Undervisning when empty
	Organisation string   `json:"organisation"`
	Syllabus     *string  `json:"syllabus,omitempty"`
	Groups       []string `json:"groups"`
	Teachers     []string `json:"teachers"` // duties
	// Graded: the activity ends in grades for its pupils (Skolflow's; it needs a syllabus).
	Graded    bool    `json:"graded,omitempty"`
	StartDate string  `json:"startDate"`
	EndDate   *string `json:"endDate,omitempty"`
}
