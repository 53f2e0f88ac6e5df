package seed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/register"
)

var (
	// ErrNotEmpty refuses to seed on top of a register: a seed only ever fills an empty one,
	// or, asked to replace, one an earlier seed made.
	ErrNotEmpty = errors.New("the register is not empty")
	// ErrNotSeeded refuses to replace a register with anyone in it a seed did not make: a real
	// register is never wiped by a seed, --replace or not.
	ErrNotSeeded = errors.New("the register holds people no seed made")
)

// table is one table's COPY: its columns, and its rows one at a time.
type table struct {
	name string
	cols []string
	n    int
	row  func(i int) []any
}

// TableLoad is how long one table's COPY took.
type TableLoad struct {
	Table string
	Rows  int64
	Took  time.Duration
}

// load writes r in one transaction, through COPY, table by table so that every reference
// points at rows already written, and bumps the register version as every change to the
// register does, so that API instances reload what they cached.
func load(ctx context.Context, db *pgxpool.Pool, r *Register, replace bool) ([]TableLoad, error) {
	var loads []TableLoad
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if err := makeRoom(ctx, tx, replace); err != nil {
			return err
		}
		for _, t := range r.tables() {
			start := time.Now()
			n, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromSlice(t.n, func(i int) ([]any, error) {
				return t.row(i), nil
			}))
			if err != nil {
				return fmt.Errorf("copy into %s: %w", t.name, err)
			}
			loads = append(loads, TableLoad{t.name, n, time.Since(start)})
		}
		return register.Changed(ctx, tx)
	})
	return loads, err
}

// registerTables are what a seed writes. Emptying them empties, through their foreign keys,
// whatever refers to the people and schools in them: lessons' attendance, notifications,
// tasks, processes' records.
const registerTables = `organisations, organisation_addresses, persons, person_principal_names,
	person_addresses, responsibles, duties, teacher_certifications, groups, group_memberships,
	group_assignments, school_years, terms, enrolments, placements, lessons, contact_preferences,
	syllabuses, activities, activity_groups, activity_teachers, grading_periods, grades,
	school_capacities, enrollment_rounds, applications, application_versions, application_consents`

// makeRoom checks, with the register locked against writers, that it is empty, or empties it
// when asked to replace a register that a seed made.
func makeRoom(ctx context.Context, tx pgx.Tx, replace bool) error {
	if _, err := tx.Exec(ctx, "LOCK TABLE organisations, persons IN SHARE ROW EXCLUSIVE MODE"); err != nil {
		return err
	}
	var empty, seeded bool
	err := tx.QueryRow(ctx, `SELECT NOT EXISTS (SELECT 1 FROM organisations) AND NOT EXISTS (SELECT 1 FROM persons),
		  NOT EXISTS (SELECT 1 FROM persons p WHERE NOT EXISTS (SELECT 1 FROM person_principal_names n
		    WHERE n.person_id = p.id AND n.principal_name LIKE '%@' || $1))`, Domain).Scan(&empty, &seeded)
	switch {
	case err != nil:
		return err
	case empty:
		return nil
	case !replace:
		return ErrNotEmpty
	case !seeded:
		return ErrNotSeeded
	}
	_, err = tx.Exec(ctx, "TRUNCATE "+registerTables+" CASCADE")
	return err
}

// analyze gives the planner the new tables' statistics at once, rather than when autovacuum
// gets round to them: the first benchmark after a seed should not run on plans for empty tables.
func analyze(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, "ANALYZE "+registerTables)
	return err
}

// tables lists r's tables in the order they are loaded.
func (r *Register) tables() []table {
	return append([]table{
		{"organisations", []string{"id", "display_name", "organisation_type", "organisation_code", "parent_organisation_id",
			"school_unit_code", "school_types", "municipality_code"}, len(r.Organisations), func(i int) []any {
			o := r.Organisations[i]
			return []any{pg(o.ID), o.Name, o.Type, null(o.Code), pgRef(o.Parent), null(o.SchoolUnitCode), o.SchoolTypes, o.Municipality}
		}},
		{"organisation_addresses", addressColumns("organisation_id"), len(r.OrganisationAddresses), func(i int) []any {
			a := r.OrganisationAddresses[i]
			return append([]any{pg(a.Org), a.Type}, a.Place.row()...)
		}},
		{"persons", []string{"id", "given_name", "family_name", "civic_no", "birth_date", "security_marking"}, len(r.Persons), func(i int) []any {
			p := r.Persons[i]
			return []any{pg(p.ID), p.GivenName, p.Family, p.CivicNo, p.BirthDate, p.SecurityMarking}
		}},
		{"person_principal_names", []string{"principal_name", "person_id"}, len(r.Persons), func(i int) []any {
			p := r.Persons[i]
			return []any{PrincipalName(p.Key), pg(p.ID)}
		}},
		{"person_addresses", addressColumns("person_id"), len(r.PersonAddresses), func(i int) []any {
			a := r.PersonAddresses[i]
			return append([]any{pg(a.Person), a.Type}, a.Place.row()...)
		}},
		{"responsibles", []string{"person_id", "responsible_id", "relation_type", "start_date"}, len(r.Responsibles), func(i int) []any {
			x := r.Responsibles[i]
			return []any{pg(x.Child), pg(x.Adult), x.Relation, x.Start}
		}},
		{"duties", []string{"id", "person_id", "duty_at", "duty_role", "signature", "start_date"}, len(r.Duties), func(i int) []any {
			d := r.Duties[i]
			return []any{pg(d.ID), pg(d.Person), pg(d.At), d.Role, d.Signature, d.Start}
		}},
		{"teacher_certifications", []string{"person_id", "subject_code"}, len(r.Certifications), func(i int) []any {
			c := r.Certifications[i]
			return []any{pg(c.Person), c.Subject}
		}},
		{"groups", []string{"id", "display_name", "group_type", "school_type", "organisation_id", "start_date"}, len(r.Groups), func(i int) []any {
			g := r.Groups[i]
			return []any{pg(g.ID), g.Name, g.Type, g.SchoolType, pg(g.Org), g.Start}
		}},
		{"group_memberships", []string{"group_id", "person_id", "start_date"}, len(r.Memberships), func(i int) []any {
			m := r.Memberships[i]
			return []any{pg(m.Group), pg(m.Person), m.Start}
		}},
		{"group_assignments", []string{"group_id", "duty_id", "assignment_role", "start_date"}, len(r.Assignments), func(i int) []any {
			a := r.Assignments[i]
			return []any{pg(a.Group), pg(a.Duty), a.Role, a.Start}
		}},
		{"school_years", []string{"id", "organisation_id", "display_name", "start_date", "end_date"}, len(r.SchoolYears), func(i int) []any {
			y := r.SchoolYears[i]
			return []any{pg(y.ID), pg(y.Org), y.Name, y.Start, y.End}
		}},
		{"terms", []string{"id", "school_year_id", "display_name", "start_date", "end_date"}, len(r.Terms), func(i int) []any {
			t := r.Terms[i]
			return []any{pg(t.ID), pg(t.Year), t.Name, t.Start, t.End}
		}},
		{"enrolments", []string{"id", "person_id", "enroled_at", "school_type", "school_year", "start_date"}, len(r.Enrolments), func(i int) []any {
			e := r.Enrolments[i]
			return []any{pg(e.ID), pg(e.Person), pg(e.At), e.SchoolType, e.SchoolYear, e.Start}
		}},
		{"lessons", []string{"id", "group_id", "school_id", "teacher_id", "subject_code", "start_time", "end_time"}, len(r.Lessons), func(i int) []any {
			l := r.Lessons[i]
			return []any{pg(l.ID), pg(l.Group), pg(l.School), pg(l.Teacher), l.Subject, l.Start, l.End}
		}},
		{"contact_preferences", []string{"person_id", "language", "email", "channels"}, len(r.Contacts), func(i int) []any {
			c := r.Contacts[i]
			return []any{pg(c.Person), c.Language, null(c.Email), c.Channels}
		}},
	}, append(r.gradingTables(), r.enrollmentTables()...)...)
}

// addressColumns are the columns of an address table whose owner's id is in owner.
func addressColumns(owner string) []string {
	return []string{owner, "address_type", "street_address", "locality", "postal_code", "latitude", "longitude"}
}

// row is the place's columns of addressColumns, after the owner and the type.
func (p Place) row() []any {
	return []any{p.Street, p.Locality, p.PostalCode, p.Latitude, p.Longitude}
}

// pg is an id as pgx writes it without reflection, which matters over millions of values.
func pg(u uuid.UUID) pgtype.UUID { return pgtype.UUID{Bytes: u, Valid: true} }

func pgRef(u *uuid.UUID) pgtype.UUID {
	if u == nil {
		return pgtype.UUID{}
	}
	return pg(*u)
}

// null is s, or SQL NULL for "".
func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}
