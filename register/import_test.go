package register_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/internal/pgtest"
	"github.com/skolflow/skolflow/register"
)

func count(t *testing.T, db *pgxpool.Pool, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The same document twice: the first import writes every row, the second changes nothing and
// says so.
func TestImportIsIdempotent(t *testing.T) {
	db := pgtest.New(t)
	doc, err := demo.Register()
	if err != nil {
		t.Fatal(err)
	}
	first, err := register.Import(context.Background(), db, doc)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Changed || first.Counts["persons"].Inserted != len(doc.Persons) || first.Counts["groupAssignments"].Inserted != len(doc.GroupAssignments) ||
		first.Counts["syllabuses"].Inserted != len(doc.Syllabuses) || first.Counts["activities"].Inserted != len(doc.Activities) {
		t.Fatalf("first import = %+v, want every row inserted", first)
	}
	second, err := register.Import(context.Background(), db, doc)
	if err != nil {
		t.Fatal(err)
	}
	if second.Changed {
		t.Fatalf("second import changed something: %+v", second)
	}
	for kind, c := range second.Counts {
		if c.Inserted != 0 || c.Updated != 0 || c.Unchanged != first.Counts[kind].Inserted {
			t.Errorf("%s on the second import: %+v", kind, c)
		}
	}
	if n := count(t, db, "persons"); n != len(doc.Persons) {
		t.Errorf("%d persons stored, want %d", n, len(doc.Persons))
	}

	// One changed row is one update.
	doc.Persons[0].FamilyName = "Nyman"
	third, err := register.Import(context.Background(), db, doc)
	if err != nil {
		t.Fatal(err)
	}
	if !third.Changed || third.Counts["persons"].Updated != 1 || third.Counts["persons"].Unchanged != len(doc.Persons)-1 {
		t.Fatalf("after changing one name: %+v", third.Counts["persons"])
	}
}

// Syllabuses and activities are checked like every other row: a scale that does not exist, a
// graded activity without a syllabus, a group that is nowhere. Nothing is written.
func TestImportChecksSyllabusesAndActivities(t *testing.T) {
	db := pgtest.New(t)
	var doc register.Document
	if err := json.Unmarshal([]byte(`{
	  "organisations": [{"id": "11111111-1111-4111-8111-111111111111", "displayName": "Skolan", "organisationType": "Skolenhet", "schoolUnitCode": "12345678"}],
	  "syllabuses": [{"id": "22222222-2222-4222-8222-222222222222", "schoolType": "GY", "subjectCode": "MA", "subjectName": "Matematik", "gradeScale": "A-Z"}],
	  "activities": [{"id": "33333333-3333-4333-8333-333333333333", "displayName": "Matte", "organisation": "11111111-1111-4111-8111-111111111111",
	    "groups": ["44444444-4444-4444-8444-444444444444"], "teachers": [], "graded": true, "startDate": "2026-08-17"}]
	}`), &doc); err != nil {
		t.Fatal(err)
	}
	_, err := register.Import(context.Background(), db, &doc)
	var e *errs.Error
	var fields []string
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			fields = append(fields, f.Field)
		}
	}
	want := []string{"/activities/0/groups/0", "/activities/0/syllabus", "/syllabuses/0/gradeScale"}
	if e == nil || e.Kind != errs.Invalid || !slices.Equal(fields, want) {
		t.Fatalf("import: %v %v, want Invalid naming %v", err, fields, want)
	}
	for _, table := range []string{"organisations", "syllabuses", "activities"} {
		if n := count(t, db, table); n != 0 {
			t.Errorf("%d %s written by a refused import", n, table)
		}
	}
}

// A document with errors is rejected whole: every problem is reported with its location, and
// not even its valid rows are written.
func TestImportReportsEveryErrorAndWritesNothing(t *testing.T) {
	db := pgtest.New(t)
	var doc register.Document
	if err := json.Unmarshal([]byte(`{
	  "organisations": [
	    {"id": "11111111-1111-4111-8111-111111111111", "displayName": "Huvudman", "organisationType": "Huvudman"},
	    {"id": "22222222-2222-4222-8222-222222222222", "displayName": "Skola", "organisationType": "Skolenhet", "schoolTypes": ["GR", "XX"]}
	  ],
	  "persons": [
	    {"id": "33333333-3333-4333-8333-333333333333", "givenName": "Ada", "familyName": "Ok", "civicNo": "201001012382"},
	    {"id": "44444444-4444-4444-8444-444444444444", "givenName": "", "familyName": "Fel", "civicNo": "201001012387", "securityMarking": "Hemlig"},
	    {"id": "33333333-3333-4333-8333-333333333333", "givenName": "Dubbel", "familyName": "Id"}
	  ],
	  "responsibles": [
	    {"person": "33333333-3333-4333-8333-333333333333", "responsible": "55555555-5555-4555-8555-555555555555", "relationType": "Vårdnadshavare"},
	    {"person": "33333333-3333-4333-8333-333333333333", "responsible": "33333333-3333-4333-8333-333333333333", "relationType": "Farbror"}
	  ],
	  "duties": [
	    {"id": "66666666-6666-4666-8666-666666666666", "person": "33333333-3333-4333-8333-333333333333", "dutyAt": "22222222-2222-4222-8222-222222222222", "dutyRole": "Rektor", "startDate": "2026-08-01", "endDate": "2026-07-01"}
	  ]
	}`), &doc); err != nil {
		t.Fatal(err)
	}
	_, err := register.Import(context.Background(), db, &doc)
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Invalid {
		t.Fatalf("err = %v, want an invalid-document error", err)
	}
	got := map[string]bool{}
	for _, f := range e.Fields {
		got[f.Field] = true
	}
	for _, want := range []string{
		"/organisations/1/schoolUnitCode", // a Skolenhet needs its skolenhetskod
		"/organisations/1/schoolTypes/1",  // XX is no school type
		"/persons/1/givenName",            // empty
		"/persons/1/civicNo",              // wrong check digit
		"/persons/1/securityMarking",      // not a code
		"/persons/2/id",                   // the same id twice
		"/responsibles/0/responsible",     // refers to no one
		"/responsibles/1/responsible",     // the child themself
		"/responsibles/1/relationType",    // not a code
		"/duties/0/endDate",               // before startDate
	} {
		if !got[want] {
			t.Errorf("no problem reported at %s; got %v", want, e.Fields)
		}
	}
	if len(e.Fields) != 10 {
		t.Errorf("%d problems reported, want 10: %v", len(e.Fields), e.Fields)
	}
	for _, table := range []string{"organisations", "persons", "responsibles", "duties"} {
		if n := count(t, db, table); n != 0 {
			t.Errorf("%s has %d rows after a rejected import, want 0", table, n)
		}
	}
}

// Unknown members and wrong types are located at any depth, all at once.
func TestDecodeDocumentLocatesEveryProblem(t *testing.T) {
	_, problems := register.DecodeDocument([]byte(`{
	  "persons": [{"id": "x", "givenName": 7}, {"id": "y", "nickname": "Bo"}],
	  "groups": {"id": "z"},
	  "enrolments": [{"schoolYear": "sju"}],
	  "teachers": []
	}`))
	want := []string{"/enrolments/0/schoolYear", "/groups", "/persons/0/givenName", "/persons/1/nickname", "/teachers"}
	var got []string
	for _, p := range problems {
		got = append(got, p.Field)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("problems at %v, want %v", got, want)
	}
	if _, problems := register.DecodeDocument([]byte(`[]`)); len(problems) != 1 || problems[0].Field != "" {
		t.Fatalf("an array body: %v", problems)
	}
}

// Text that PostgreSQL cannot store (a NUL, bytes that are not UTF-8) is located at any depth
// before anything else reads the document.
func TestDecodeDocumentRefusesTextThatIsNotPlain(t *testing.T) {
	_, problems := register.DecodeDocument([]byte("{\"persons\": [{\"id\": \"x\", \"givenName\": \"Ad\\u0000a\"}," +
		" {\"id\": \"y\", \"familyName\": \"\xff\", \"eduPersonPrincipalNames\": [\"ok\", \"b\\u0000\"]}]}"))
	want := []string{"/persons/0/givenName", "/persons/1/eduPersonPrincipalNames/1", "/persons/1/familyName"}
	var got []string
	for _, p := range problems {
		got = append(got, p.Field)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("problems at %v, want %v", got, want)
	}
}

// Dates outside 1900-2200 and text longer than its maximum are problems at their location, and
// nothing reaches the database.
func TestImportRefusesAbsurdDatesAndLongText(t *testing.T) {
	db := pgtest.New(t)
	doc := &register.Document{
		Organisations: []register.Organisation{{ID: "11111111-1111-4111-8111-111111111111",
			DisplayName: strings.Repeat("Å", 201), OrganisationType: "Huvudman", StartDate: ptr("0000-01-01"), EndDate: ptr("9999-12-31")}},
		Persons: []register.Person{{ID: "33333333-3333-4333-8333-333333333333", GivenName: "Ada", FamilyName: "Ok",
			EduPersonPrincipalNames: []string{strings.Repeat("a", 250) + "@x.se"}}},
		Duties: []register.Duty{{ID: "66666666-6666-4666-8666-666666666666", Person: "33333333-3333-4333-8333-333333333333",
			DutyAt: "11111111-1111-4111-8111-111111111111", DutyRole: "Lärare", Signature: ptr(strings.Repeat("X", 21)), StartDate: "2201-01-01"}},
	}
	_, err := register.Import(context.Background(), db, doc)
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Invalid {
		t.Fatalf("err = %v, want an invalid-document error", err)
	}
	got := map[string]string{}
	for _, f := range e.Fields {
		got[f.Field] = f.Detail
	}
	for at, want := range map[string]string{
		"/organisations/0/displayName":         "must be at most 200 characters",
		"/organisations/0/startDate":           "must be a date from 1900-01-01 to 2200-12-31",
		"/organisations/0/endDate":             "must be a date from 1900-01-01 to 2200-12-31",
		"/persons/0/eduPersonPrincipalNames/0": "must be at most 254 characters",
		"/duties/0/signature":                  "must be at most 20 characters",
		"/duties/0/startDate":                  "must be a date from 1900-01-01 to 2200-12-31",
	} {
		if got[at] != want {
			t.Errorf("%s: %q, want %q", at, got[at], want)
		}
	}
	for _, table := range []string{"organisations", "persons", "duties"} {
		if n := count(t, db, table); n != 0 {
			t.Errorf("%s has %d rows after a rejected import, want 0", table, n)
		}
	}
}

// A civic number, skolenhetskod or principal name that another row holds, in the document or
// in the register, is a problem at its location, not a database error.
func TestImportRefusesValuesHeldByAnotherRow(t *testing.T) {
	db := pgtest.New(t)
	if _, err := demo.LoadRegister(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	doc, _ := demo.Register()
	taken := *doc.Persons[0].CivicNo
	doc = &register.Document{
		Organisations: []register.Organisation{{ID: "11111111-1111-4111-8111-111111111111", DisplayName: "Ny skola",
			OrganisationType: "Skolenhet", SchoolUnitCode: doc.Organisations[1].SchoolUnitCode}},
		Persons: []register.Person{
			{ID: "22222222-2222-4222-8222-222222222222", GivenName: "A", FamilyName: "B", CivicNo: &taken},
			{ID: "33333333-3333-4333-8333-333333333333", GivenName: "C", FamilyName: "D", EduPersonPrincipalNames: []string{"same@x.test"}},
			{ID: "44444444-4444-4444-8444-444444444444", GivenName: "E", FamilyName: "F", EduPersonPrincipalNames: []string{"same@x.test"}},
		},
	}
	_, err := register.Import(context.Background(), db, doc)
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Invalid {
		t.Fatalf("err = %v, want invalid", err)
	}
	var got []string
	for _, f := range e.Fields {
		got = append(got, f.Field)
	}
	want := "/organisations/0/schoolUnitCode /persons/0/civicNo /persons/2/eduPersonPrincipalNames/0"
	if strings.Join(got, " ") != want {
		t.Fatalf("problems at %v, want %s", got, want)
	}
}

// A document that leaves out a person's securityMarking or civicNo keeps what the register has:
// an import file never lifts a protection by omission. Lifting it takes an explicit "Ingen".
func TestImportNeverLiftsProtectionByOmission(t *testing.T) {
	db := pgtest.New(t)
	if _, err := demo.LoadRegister(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	id := demo.PersonID("elev-3") // Skyddad folkbokföring in the demo
	marking := func() (m string, civic *string) {
		t.Helper()
		if err := db.QueryRow(context.Background(), `SELECT security_marking, civic_no FROM persons WHERE id = $1`, id).Scan(&m, &civic); err != nil {
			t.Fatal(err)
		}
		return
	}
	doc := &register.Document{Persons: []register.Person{{ID: id, GivenName: "Olle", FamilyName: "Ek"}}}
	if _, err := register.Import(context.Background(), db, doc); err != nil {
		t.Fatal(err)
	}
	if m, civic := marking(); m != "Skyddad folkbokföring" || civic == nil {
		t.Fatalf("after an import without them: marking %q, civic number %v; want both kept", m, civic)
	}
	doc.Persons[0].SecurityMarking = "Ingen"
	if _, err := register.Import(context.Background(), db, doc); err != nil {
		t.Fatal(err)
	}
	if m, _ := marking(); m != "Ingen" {
		t.Fatalf("an explicit Ingen: marking %q", m)
	}
}

func ptr[T any](v T) *T { return &v }
