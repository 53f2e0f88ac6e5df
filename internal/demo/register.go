package demo

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/register"
)

// RegisterJSON is the demo register: a huvudman with two compulsory schools (GR), an upper
// secondary school (GY) and a preschool, their principals, an administrator, teachers, a special
// needs teacher, a huvudman-level officer, pupils (two with a protection marking; elev-1, in
// year 7, signs in herself), custodial guardians and a non-custodial responsible adult. People
// who sign in have the principal name <key>@skolflow.test; `skolflow dev` mints tokens for them.
//
// Every school unit has a Besöksadress with its location in Stockholm, and every child a
// Folkbokföring address with coordinates near their school, shared by siblings: the homes
// placement by proximity measures from. The protected pupils have one too, which no read of the
// API shows.
//
//go:embed register.json
var RegisterJSON []byte

// namespace is the UUID namespace of the demo register's ids: a person's id is the name-based
// (SHA-1) UUID of "person:<key>", an organisation's of "org:<key>", a group's of "group:<key>".
var namespace = uuid.MustParse("6f1d3c7a-0b5e-4c1e-9a53-2d4b8f0e7a10")

// PersonID is the id of the demo person with key, e.g. "elev-1" or "larare-a1".
func PersonID(key string) string { return uuid.NewSHA1(namespace, []byte("person:"+key)).String() }

// OrgID is the id of a demo organisation: "huvudman", "a", "b", "c" (the upper secondary
// school) or "fs".
func OrgID(key string) string { return uuid.NewSHA1(namespace, []byte("org:"+key)).String() }

// GroupID is the id of a demo group: "7a", "ma7", "7b", "b7", "na1a" or "fs-humlan".
func GroupID(key string) string { return uuid.NewSHA1(namespace, []byte("group:"+key)).String() }

// ActivityID is the id of a demo teaching activity (SS 12000 Activity): "ma7" (graded by
// larare-a2, who is certified in no subject, so larare-a1 co-signs), "sv7a", "en7b", "ma1c"
// and "gyar" (courses at the upper secondary school).
func ActivityID(key string) string { return uuid.NewSHA1(namespace, []byte("activity:"+key)).String() }

// SyllabusID is the id of a demo syllabus: "gr-ma", "gr-sv", "gr-en", "gy-ma1c" or "gy-gyar".
func SyllabusID(key string) string { return uuid.NewSHA1(namespace, []byte("syllabus:"+key)).String() }

// DutyID is the id of a demo staff member's duty, by the person's key.
func DutyID(key string) string { return uuid.NewSHA1(namespace, []byte("duty:"+key)).String() }

// Register decodes the demo register.
func Register() (*register.Document, error) {
	var d register.Document
	dec := json.NewDecoder(bytes.NewReader(RegisterJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("demo register: %w", err)
	}
	return &d, nil
}

// LoadRegister imports the demo register; a second load changes nothing.
func LoadRegister(ctx context.Context, db *pgxpool.Pool) (register.ImportResult, error) {
	d, err := Register()
	if err != nil {
		return register.ImportResult{}, err
	}
	return register.Import(ctx, db, d)
}
