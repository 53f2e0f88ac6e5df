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

// home is a person's Folkbokföring address as the register holds it.
func home(t *testing.T, db *pgxpool.Pool, person string) (street string, lat, long *float64) {
	t.Helper()
	err := db.QueryRow(context.Background(), `SELECT street_address, latitude, longitude FROM person_addresses
		WHERE person_id = $1 AND address_type = 'Folkbokföring'`, person).Scan(&street, &lat, &long)
	if err != nil {
		t.Fatal(err)
	}
	return street, lat, long
}

// The demo's school units' locations and children's homes are imported; the same document again
// changes none of them; an address replaces the one of its type, and a document without a
// person's addresses keeps them, as it keeps every row it leaves out.
func TestImportAddressesAndLocations(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	doc, err := demo.Register()
	if err != nil {
		t.Fatal(err)
	}
	var schools, homes int
	for _, o := range doc.Organisations {
		if o.Address != nil {
			schools++
		}
	}
	for _, p := range doc.Persons {
		homes += len(p.Addresses)
	}
	first, err := register.Import(ctx, db, doc)
	if err != nil {
		t.Fatal(err)
	}
	if schools == 0 || homes == 0 || first.Counts["organisationAddresses"].Inserted != schools || first.Counts["personAddresses"].Inserted != homes {
		t.Fatalf("first import %+v, want %d organisation addresses and %d person addresses inserted", first.Counts, schools, homes)
	}
	second, err := register.Import(ctx, db, doc)
	if err != nil {
		t.Fatal(err)
	}
	if second.Changed || second.Counts["organisationAddresses"].Unchanged != schools || second.Counts["personAddresses"].Unchanged != homes {
		t.Fatalf("second import %+v, want every address unchanged", second)
	}

	// Every school unit has a location, every child a home with its point, and siblings share it.
	var missing int
	if err := db.QueryRow(ctx, `SELECT
		  (SELECT count(*) FROM organisations o WHERE o.organisation_type = 'Skolenhet' AND NOT EXISTS
		    (SELECT 1 FROM organisation_addresses a WHERE a.organisation_id = o.id AND a.latitude IS NOT NULL))
		+ (SELECT count(*) FROM (SELECT person_id FROM enrolments UNION SELECT child_id FROM placements) c WHERE NOT EXISTS
		    (SELECT 1 FROM person_addresses a WHERE a.person_id = c.person_id AND a.address_type = 'Folkbokföring' AND a.latitude IS NOT NULL))`).
		Scan(&missing); err != nil {
		t.Fatal(err)
	}
	if missing != 0 {
		t.Errorf("%d school units without a location or children without a home", missing)
	}
	maja, nils := demo.PersonID("elev-1"), demo.PersonID("elev-2")
	street, lat, long := home(t, db, maja)
	if s, la, lo := home(t, db, nils); s != street || *la != *lat || *lo != *long {
		t.Errorf("Maja and Nils, siblings, live at different addresses")
	}
	var school [2]float64
	if err := db.QueryRow(ctx, `SELECT latitude, longitude FROM organisation_addresses WHERE organisation_id = $1`, demo.OrgID("a")).
		Scan(&school[0], &school[1]); err != nil {
		t.Fatal(err)
	}
	if d := max(*lat-school[0], school[0]-*lat, *long-school[1], school[1]-*long); d > 0.02 {
		t.Errorf("Maja's home is %.3f degrees from her school, want near it", d)
	}

	// A new point for Maja's home is one update; leaving her addresses out keeps it.
	i := slices.IndexFunc(doc.Persons, func(p register.Person) bool { return p.ID == maja })
	moved := *lat + 0.001
	doc.Persons[i].Addresses[0].Latitude = &moved
	third, err := register.Import(ctx, db, doc)
	if err != nil {
		t.Fatal(err)
	}
	if c := third.Counts["personAddresses"]; !third.Changed || c.Updated != 1 || c.Unchanged != homes-1 {
		t.Fatalf("after moving one home: %+v", c)
	}
	doc.Persons[i].Addresses = nil
	if _, err := register.Import(ctx, db, doc); err != nil {
		t.Fatal(err)
	}
	if _, la, _ := home(t, db, maja); *la != moved {
		t.Errorf("after an import without Maja's addresses, her home's latitude is %v, want %v kept", *la, moved)
	}
}

// A type that is not in the code list, a point outside WGS84's ranges, one coordinate without
// the other, or two addresses of one type: each is a problem at its location, and nothing is
// written.
func TestImportRefusesBadAddresses(t *testing.T) {
	db := pgtest.New(t)
	var doc register.Document
	if err := json.Unmarshal([]byte(`{
	  "organisations": [{"id": "11111111-1111-4111-8111-111111111111", "displayName": "Skolan", "organisationType": "Skolenhet",
	    "schoolUnitCode": "12345678",
	    "address": {"type": "Hemma", "streetAddress": "Skolvägen 1", "locality": "Stockholm", "postalCode": "111 11", "latitude": 59.3, "longitude": 180.5}}],
	  "persons": [
	    {"id": "22222222-2222-4222-8222-222222222222", "givenName": "A", "familyName": "B",
	     "addresses": [{"type": "Utlandsadress", "streetAddress": "Rue 1", "locality": "Paris", "postalCode": "75001"}]},
	    {"id": "33333333-3333-4333-8333-333333333333", "givenName": "C", "familyName": "D",
	     "addresses": [{"streetAddress": "Gatan 2", "locality": "Stockholm", "postalCode": "111 12", "latitude": 91, "longitude": 18}]},
	    {"id": "44444444-4444-4444-8444-444444444444", "givenName": "E", "familyName": "F",
	     "addresses": [{"type": "Folkbokföring", "streetAddress": "Gatan 3", "locality": "Stockholm", "postalCode": "111 13", "latitude": 59.3}]},
	    {"id": "55555555-5555-4555-8555-555555555555", "givenName": "G", "familyName": "H",
	     "addresses": [{"streetAddress": "Gatan 4", "locality": "Stockholm", "postalCode": "111 14"},
	                   {"type": "Folkbokföring", "streetAddress": "", "locality": "Stockholm", "postalCode": "111 15"}]}
	  ]
	}`), &doc); err != nil {
		t.Fatal(err)
	}
	_, err := register.Import(context.Background(), db, &doc)
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Invalid {
		t.Fatalf("err = %v, want an invalid-document error", err)
	}
	var got []string
	for _, f := range e.Fields {
		got = append(got, f.Field)
		if strings.Contains(f.Detail, "Gatan") || strings.Contains(f.Detail, "59.3") {
			t.Errorf("%s: %q repeats the address", f.Field, f.Detail)
		}
	}
	want := []string{
		"/organisations/0/address/longitude",   // beyond 180
		"/organisations/0/address/type",        // not an organisation's address type
		"/persons/0/addresses/0/type",          // not in SS 12000's code list
		"/persons/1/addresses/0/latitude",      // beyond 90
		"/persons/2/addresses/0/longitude",     // a latitude without it
		"/persons/3/addresses/1/streetAddress", // empty
		"/persons/3/addresses/1/type",          // Folkbokföring again: the first is one by default
	}
	if !slices.Equal(got, want) {
		t.Fatalf("problems at\n%v\nwant\n%v", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, table := range []string{"organisations", "organisation_addresses", "persons", "person_addresses"} {
		if n := count(t, db, table); n != 0 {
			t.Errorf("%s has %d rows after a rejected import, want 0", table, n)
		}
	}

	_, problems := register.DecodeDocument([]byte(`{"persons": [{"id": "x", "addresses": [{"latitude": "59.3"}]}]}`))
	if len(problems) != 1 || problems[0].Field != "/persons/0/addresses/0/latitude" || problems[0].Detail != "must be a number" {
		t.Fatalf("a latitude in quotes: %v", problems)
	}
}

// No read of the register shows an address, not even to the person themself or to staff with a
// need to know: the demo's children's homes, the protected pupil's among them, appear in none.
func TestRegisterReadsShowNoAddress(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	if _, err := demo.LoadRegister(ctx, db); err != nil {
		t.Fatal(err)
	}
	s := register.Store{DB: db}
	var answers []any
	read := func(v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		answers = append(answers, v)
	}
	for _, key := range []string{"elev-1", "elev-3", "vh-3"} { // elev-3 and vh-3: Skyddad folkbokföring
		id := demo.PersonID(key)
		read(s.Person(ctx, id, id, true))
		read(s.Me(ctx, id))
		read(s.Children(ctx, id))
	}
	read(s.Group(ctx, demo.GroupID("7a"), true))
	read(s.Schools(ctx))
	read(s.School(ctx, demo.OrgID("a")))
	read(s.SchoolStaff(ctx, demo.OrgID("a"), true))
	out, err := json.Marshal(answers)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := demo.Register()
	for _, p := range doc.Persons {
		for _, a := range p.Addresses {
			for _, leak := range []string{a.StreetAddress, a.PostalCode, "latitude", "streetAddress"} {
				if strings.Contains(string(out), leak) {
					t.Errorf("a read of the register shows %q", leak)
				}
			}
		}
	}
}
