package register

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/internal/plaintext"
)

// Querier is what validation and import need of a connection or transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// Validate checks every row of d and returns every problem, each located by a JSON pointer into
// the document ("/persons/3/civicNo"). References may point into the document or at rows already
// in the register. Nothing is written.
func Validate(ctx context.Context, q Querier, d *Document) ([]errs.FieldError, error) {
	v := &validator{ids: map[string]map[string]bool{}, refs: map[string][]ref{}, unique: map[string][]claim{}}
	v.document(d)
	if err := v.resolve(ctx, q); err != nil {
		return nil, err
	}
	if err := v.checkUnique(ctx, q); err != nil {
		return nil, err
	}
	sort.SliceStable(v.problems, func(i, j int) bool { return v.problems[i].Field < v.problems[j].Field })
	return v.problems, nil
}

type ref struct {
	at, id string
}

type validator struct {
	problems []errs.FieldError
	ids      map[string]map[string]bool // table -> ids defined in the document
	refs     map[string][]ref           // table -> references to check
	unique   map[string][]claim         // unique value kind -> who claims which value
}

// claim is a row's claim to a value that only one row may hold (a civic number, a
// skolenhetskod, a principal name).
type claim struct {
	at, value, owner string
}

func (v *validator) fail(at, detail string) {
	v.problems = append(v.problems, errs.FieldError{Field: at, Detail: detail})
}

func (v *validator) document(d *Document) {
	for i, o := range d.Organisations {
		at := fmt.Sprintf("/organisations/%d", i)
		v.id(at, "organisations", o.ID)
		v.required(at+"/displayName", o.DisplayName, MaxName)
		v.text(at+"/organisationCode", o.OrganisationCode, MaxCode)
		v.code(at+"/organisationType", o.OrganisationType, OrganisationTypes)
		if o.ParentOrganisation != nil {
			v.ref(at+"/parentOrganisation", "organisations", *o.ParentOrganisation)
		}
		if o.SchoolUnitCode != nil && !skolenhetskod.MatchString(*o.SchoolUnitCode) {
			v.fail(at+"/schoolUnitCode", "must be a skolenhetskod of 8 digits")
		} else if o.SchoolUnitCode != nil {
			v.claim("schoolUnitCode", at+"/schoolUnitCode", *o.SchoolUnitCode, o.ID)
		}
		if o.OrganisationType == "Skolenhet" && o.SchoolUnitCode == nil {
			v.fail(at+"/schoolUnitCode", "is required for a Skolenhet")
		}
		for j, t := range o.SchoolTypes {
			v.code(fmt.Sprintf("%s/schoolTypes/%d", at, j), t, SchoolTypes)
		}
		if o.MunicipalityCode != nil && !kommunkod.MatchString(*o.MunicipalityCode) {
			v.fail(at+"/municipalityCode", "must be a municipality code of 4 digits")
		}
		v.period(at, o.StartDate, o.EndDate)
		if o.Address != nil {
			if o.Address.Type != "" {
				v.code(at+"/address/type", o.Address.Type, OrganisationAddressTypes)
			}
			v.address(at+"/address", *o.Address)
		}
	}
	for i, p := range d.Persons {
		at := fmt.Sprintf("/persons/%d", i)
		v.id(at, "persons", p.ID)
		v.required(at+"/givenName", p.GivenName, MaxName)
		v.required(at+"/familyName", p.FamilyName, MaxName)
		if p.CivicNo != nil {
			if norm, _, err := ParseCivicNo(*p.CivicNo); err != nil {
				v.fail(at+"/civicNo", err.Error())
			} else {
				v.claim("civicNo", at+"/civicNo", norm, p.ID)
			}
		}
		if p.SecurityMarking != "" {
			v.code(at+"/securityMarking", p.SecurityMarking, SecurityMarkings)
		}
		for j, n := range p.EduPersonPrincipalNames {
			at := fmt.Sprintf("%s/eduPersonPrincipalNames/%d", at, j)
			v.required(at, n, MaxPrincipalName)
			v.claim("principalName", at, n, p.ID)
		}
		types := map[string]bool{}
		for j, a := range p.Addresses {
			at := fmt.Sprintf("%s/addresses/%d", at, j)
			t := AddressType(a)
			v.code(at+"/type", t, AddressTypes)
			if AddressTypes[t] && types[t] {
				v.fail(at+"/type", "is the type of another address of the person")
			}
			types[t] = true
			v.address(at, a)
		}
	}
	for i, r := range d.Responsibles {
		at := fmt.Sprintf("/responsibles/%d", i)
		v.ref(at+"/person", "persons", r.Person)
		v.ref(at+"/responsible", "persons", r.Responsible)
		if r.Person != "" && r.Person == r.Responsible {
			v.fail(at+"/responsible", "cannot be the child themself")
		}
		v.code(at+"/relationType", r.RelationType, RelationTypes)
		v.period(at, r.StartDate, r.EndDate)
	}
	for i, du := range d.Duties {
		at := fmt.Sprintf("/duties/%d", i)
		v.id(at, "duties", du.ID)
		v.ref(at+"/person", "persons", du.Person)
		v.ref(at+"/dutyAt", "organisations", du.DutyAt)
		v.code(at+"/dutyRole", du.DutyRole, DutyRoles)
		v.text(at+"/signature", du.Signature, MaxSignature)
		v.period(at, &du.StartDate, du.EndDate)
	}
	for i, c := range d.TeacherCertifications {
		at := fmt.Sprintf("/teacherCertifications/%d", i)
		v.ref(at+"/person", "persons", c.Person)
		if !subjectCode.MatchString(c.SubjectCode) {
			v.fail(at+"/subjectCode", "must be a subject code such as MA or SVA")
		}
	}
	for i, g := range d.Groups {
		at := fmt.Sprintf("/groups/%d", i)
		v.id(at, "groups", g.ID)
		v.required(at+"/displayName", g.DisplayName, MaxName)
		v.code(at+"/groupType", g.GroupType, GroupTypes)
		if g.SchoolType != nil {
			v.code(at+"/schoolType", *g.SchoolType, SchoolTypes)
		}
		v.ref(at+"/organisation", "organisations", g.Organisation)
		v.period(at, &g.StartDate, g.EndDate)
	}
	for i, m := range d.GroupMemberships {
		at := fmt.Sprintf("/groupMemberships/%d", i)
		v.ref(at+"/group", "groups", m.Group)
		v.ref(at+"/person", "persons", m.Person)
		v.period(at, &m.StartDate, m.EndDate)
	}
	for i, a := range d.GroupAssignments {
		at := fmt.Sprintf("/groupAssignments/%d", i)
		v.ref(at+"/group", "groups", a.Group)
		v.ref(at+"/duty", "duties", a.Duty)
		v.code(at+"/assignmentRole", a.AssignmentRole, AssignmentRoles)
		v.period(at, &a.StartDate, a.EndDate)
	}
	for i, y := range d.SchoolYears {
		at := fmt.Sprintf("/schoolYears/%d", i)
		v.id(at, "school_years", y.ID)
		v.ref(at+"/organisation", "organisations", y.Organisation)
		v.required(at+"/displayName", y.DisplayName, MaxName)
		v.period(at, &y.StartDate, &y.EndDate)
	}
	for i, t := range d.Terms {
		at := fmt.Sprintf("/terms/%d", i)
		v.id(at, "terms", t.ID)
		v.ref(at+"/schoolYear", "school_years", t.SchoolYear)
		v.required(at+"/displayName", t.DisplayName, MaxName)
		v.period(at, &t.StartDate, &t.EndDate)
	}
	for i, e := range d.Enrolments {
		at := fmt.Sprintf("/enrolments/%d", i)
		v.id(at, "enrolments", e.ID)
		v.ref(at+"/person", "persons", e.Person)
		v.ref(at+"/enroledAt", "organisations", e.EnroledAt)
		v.code(at+"/schoolType", e.SchoolType, SchoolTypes)
		if e.SchoolYear != nil && (*e.SchoolYear < 0 || *e.SchoolYear > 13) {
			v.fail(at+"/schoolYear", "must be a year from 0 (förskoleklass) to 13")
		}
		v.period(at, &e.StartDate, e.EndDate)
	}
	for i, p := range d.Placements {
		at := fmt.Sprintf("/placements/%d", i)
		v.id(at, "placements", p.ID)
		v.ref(at+"/child", "persons", p.Child)
		v.ref(at+"/placedAt", "organisations", p.PlacedAt)
		if p.Group != nil {
			v.ref(at+"/group", "groups", *p.Group)
		}
		v.code(at+"/schoolType", p.SchoolType, PlacementSchoolTypes)
		v.period(at, &p.StartDate, p.EndDate)
	}
	for i, s := range d.Syllabuses {
		at := fmt.Sprintf("/syllabuses/%d", i)
		v.id(at, "syllabuses", s.ID)
		v.code(at+"/schoolType", s.SchoolType, SchoolTypes)
		if !subjectCode.MatchString(s.SubjectCode) {
			v.fail(at+"/subjectCode", "must be a subject code such as MA or SVA")
		}
		v.required(at+"/subjectName", s.SubjectName, MaxName)
		v.text(at+"/courseCode", s.CourseCode, MaxCode)
		v.text(at+"/courseName", s.CourseName, MaxName)
		if s.Points != nil && *s.Points <= 0 {
			v.fail(at+"/points", "must be above 0")
		}
		if s.GradeScale != nil {
			v.code(at+"/gradeScale", *s.GradeScale, GradeScales)
		}
	}
	for i, a := range d.Activities {
		at := fmt.Sprintf("/activities/%d", i)
		v.id(at, "activities", a.ID)
		v.required(at+"/displayName", a.DisplayName, MaxName)
		if a.ActivityType != "" {
			v.code(at+"/activityType", a.ActivityType, ActivityTypes)
		}
		v.ref(at+"/organisation", "organisations", a.Organisation)
		if a.Syllabus != nil {
			v.ref(at+"/syllabus", "syllabuses", *a.Syllabus)
		} else if a.Graded {
			v.fail(at+"/syllabus", "is required for a graded activity")
		}
		for j, g := range a.Groups {
			v.ref(fmt.Sprintf("%s/groups/%d", at, j), "groups", g)
		}
		for j, t := range a.Teachers {
			v.ref(fmt.Sprintf("%s/teachers/%d", at, j), "duties", t)
		}
		v.period(at, &a.StartDate, a.EndDate)
	}
}

// The longest text of each free-text member of the document, in characters. Codes and ids are
// bounded by their form.
const (
	MaxName          = 200 // displayName, givenName, familyName
	MaxCode          = 64  // organisationCode
	MaxPrincipalName = 254 // an eduPersonPrincipalName: a sign-in name, as long as an address
	MaxSignature     = 20  // a duty's signature: a member of staff's initials
	MaxAddress       = 200 // an address's streetAddress, locality and country
	MaxPostalCode    = 20  // an address's postalCode: five digits in Sweden, longer elsewhere
)

var (
	skolenhetskod = regexp.MustCompile(`^[0-9]{8}$`)
	kommunkod     = regexp.MustCompile(`^[0-9]{4}$`)
	subjectCode   = regexp.MustCompile(`^[A-ZÅÄÖ0-9]{2,6}$`)
)

// id checks a row's own id and that no other row of its kind has it.
func (v *validator) id(at, table, id string) {
	if !v.uuid(at+"/id", id) {
		return
	}
	if v.ids[table] == nil {
		v.ids[table] = map[string]bool{}
	}
	if v.ids[table][id] {
		v.fail(at+"/id", "appears twice in the document")
	}
	v.ids[table][id] = true
}

// ref checks a reference's form now and its target in resolve.
func (v *validator) ref(at, table, id string) {
	if v.uuid(at, id) {
		v.refs[table] = append(v.refs[table], ref{at, id})
	}
}

func (v *validator) uuid(at, s string) bool {
	if s == "" {
		v.fail(at, "is required")
		return false
	}
	if u, err := uuid.Parse(s); err != nil || u.String() != s {
		v.fail(at, "must be a UUID in lower case (8-4-4-4-12 hex digits)")
		return false
	}
	return true
}

func (v *validator) required(at, s string, max int) {
	if strings.TrimSpace(s) == "" {
		v.fail(at, "is required")
	}
	v.text(at, &s, max)
}

// text checks an optional free-text member's length; its plain text is DecodeDocument's.
func (v *validator) text(at string, s *string, max int) {
	if s == nil {
		return
	}
	if d := plaintext.TooLong(*s, max); d != "" {
		v.fail(at, d)
	}
}

func (v *validator) code(at, s string, allowed codeSet) {
	if s == "" {
		v.fail(at, "is required")
	} else if !allowed[s] {
		v.fail(at, "is not a code of the SS 12000 code list")
	}
}

// address checks an address's text and its point (its type is the caller's: the code lists
// differ).
func (v *validator) address(at string, a Address) {
	v.required(at+"/streetAddress", a.StreetAddress, MaxAddress)
	v.required(at+"/locality", a.Locality, MaxAddress)
	v.required(at+"/postalCode", a.PostalCode, MaxPostalCode)
	v.text(at+"/country", a.Country, MaxAddress)
	switch {
	case a.Latitude != nil && a.Longitude == nil:
		v.fail(at+"/longitude", "is required with latitude")
	case a.Longitude != nil && a.Latitude == nil:
		v.fail(at+"/latitude", "is required with longitude")
	}
	if a.Latitude != nil && !(*a.Latitude >= -90 && *a.Latitude <= 90) {
		v.fail(at+"/latitude", "must be a latitude from -90 to 90 (WGS84, decimal degrees)")
	}
	if a.Longitude != nil && !(*a.Longitude >= -180 && *a.Longitude <= 180) {
		v.fail(at+"/longitude", "must be a longitude from -180 to 180 (WGS84, decimal degrees)")
	}
}

// period checks the dates of [start, end] and that end is not before start.
func (v *validator) period(at string, start, end *string) {
	s, okS := v.date(at+"/startDate", start)
	e, okE := v.date(at+"/endDate", end)
	if okS && okE && start != nil && end != nil && e.Before(s) {
		v.fail(at+"/endDate", "is before startDate")
	}
}

func (v *validator) date(at string, s *string) (time.Time, bool) {
	if s == nil {
		return time.Time{}, true
	}
	d, err := ParseDate(*s)
	if err != nil {
		v.fail(at, err.Error())
		return d, false
	}
	return d, true
}

// resolve checks that every reference names a row in the document or in the register.
func (v *validator) resolve(ctx context.Context, q Querier) error {
	tables := make([]string, 0, len(v.refs))
	for t := range v.refs {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	for _, table := range tables {
		var missing []string
		for _, r := range v.refs[table] {
			if !v.ids[table][r.id] {
				missing = append(missing, r.id)
			}
		}
		existing := map[string]bool{}
		if len(missing) > 0 {
			// table is one of ours, never user input.
			rows, err := q.Query(ctx, "SELECT id::text FROM "+table+" WHERE id = ANY($1::uuid[])", missing)
			if err != nil {
				return err
			}
			ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return err
			}
			for _, id := range ids {
				existing[id] = true
			}
		}
		for _, r := range v.refs[table] {
			if !v.ids[table][r.id] && !existing[r.id] {
				v.fail(r.at, "refers to no "+singular[table]+" in the document or the register")
			}
		}
	}
	return nil
}

func (v *validator) claim(kind, at, value, owner string) {
	v.unique[kind] = append(v.unique[kind], claim{at, value, owner})
}

// uniqueSQL finds who in the register holds each value: value, owner.
var uniqueSQL = map[string]string{
	"civicNo":        `SELECT civic_no AS value, id::text AS owner FROM persons WHERE civic_no = ANY($1)`,
	"schoolUnitCode": `SELECT school_unit_code AS value, id::text AS owner FROM organisations WHERE school_unit_code = ANY($1)`,
	"principalName":  `SELECT principal_name AS value, person_id::text AS owner FROM person_principal_names WHERE principal_name = ANY($1)`,
}

// checkUnique refuses a value claimed by two rows of the document, or held by another row in
// the register. The message does not say who holds it.
func (v *validator) checkUnique(ctx context.Context, q Querier) error {
	for _, kind := range []string{"civicNo", "schoolUnitCode", "principalName"} {
		claims := v.unique[kind]
		if len(claims) == 0 {
			continue
		}
		first := map[string]string{} // value -> owner in the document
		values := make([]string, 0, len(claims))
		for _, c := range claims {
			if owner, dup := first[c.value]; dup && owner != c.owner {
				v.fail(c.at, "is already given to another row of the document")
				continue
			}
			first[c.value] = c.owner
			values = append(values, c.value)
		}
		rows, err := q.Query(ctx, uniqueSQL[kind], values)
		if err != nil {
			return err
		}
		type holder struct {
			Value string `db:"value"`
			Owner string `db:"owner"`
		}
		holders, err := pgx.CollectRows(rows, pgx.RowToStructByName[holder])
		if err != nil {
			return err
		}
		held := make(map[string]string, len(holders))
		for _, h := range holders {
			held[h.Value] = h.Owner
		}
		for _, c := range claims {
			if owner, ok := held[c.value]; ok && owner != c.owner {
				v.fail(c.at, "already belongs to another row in the register")
			}
		}
	}
	return nil
}

var singular = map[string]string{
	"organisations": "organisation", "persons": "person", "duties": "duty", "groups": "group",
	"school_years": "school year", "terms": "term", "enrolments": "enrolment", "placements": "placement",
}
