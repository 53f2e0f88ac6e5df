package register

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Snapshot is what authorization asks of the register, held in memory: the persons and their
// protection markings, where each is enrolled, placed or on duty, custody, group membership,
// who teaches and mentors each group, the duties and the organisations. Everything "in force"
// is in force on AsOf.Today, and all of it was read in one transaction at register version
// AsOf.Version: a decision over it is the one the database would give at that version, without
// a query. The Authorizer takes a new Snapshot whenever the register's version or the date
// moves (see policies/authorizer.go for when it looks).
//
// A Snapshot is immutable once loaded, and safe for concurrent use.
type Snapshot struct {
	AsOf    AsOf
	Duties  []ActiveDuty
	Parents map[string]string // organisation -> its parent ("" for none)
	Roots   []string          // the huvudmän

	persons map[string]personEntry // by id
	custody map[string][]string    // child -> custodial guardians in force
	groupOf map[string][]string    // person -> the groups they are a member of today
	groups  map[string]groupEntry  // by id
}

type personEntry struct {
	protected bool
	orgs      []string // enrolled, placed or on duty today
}

type groupEntry struct {
	org               string
	teachers, mentors []string // persons with such an assignment in force, through a duty in force
}

// LoadSnapshot reads the register into a Snapshot, in one read-only transaction.
func LoadSnapshot(ctx context.Context, db *pgxpool.Pool) (*Snapshot, error) {
	s := &Snapshot{persons: map[string]personEntry{}, custody: map[string][]string{},
		groupOf: map[string][]string{}, groups: map[string]groupEntry{}}
	err := pgx.BeginTxFunc(ctx, db, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, "SELECT version, current_date::text FROM register_version").Scan(&s.AsOf.Version, &s.AsOf.Today); err != nil {
			return err
		}
		// Every id is kept once, however many relations name it: a city's register names each
		// person and group many times over, and a string read from a row is a copy of its own.
		ids := map[string]string{}
		intern := func(id string) string {
			if same, ok := ids[id]; ok {
				return same
			}
			ids[id] = id
			return id
		}
		var a, b, c string
		var flag bool
		steps := []struct {
			query string
			scan  []any
			row   func()
		}{
			{`SELECT id::text, security_marking FROM persons`, []any{&a, &b}, func() {
				s.persons[intern(a)] = personEntry{protected: Protected(b)}
			}},
			{`SELECT e.person_id::text, e.enroled_at::text FROM enrolments e WHERE ` + Active("e") + `
			  UNION SELECT pl.child_id::text, pl.placed_at::text FROM placements pl WHERE ` + Active("pl") + `
			  UNION SELECT d.person_id::text, d.duty_at::text FROM duties d WHERE ` + Active("d"), []any{&a, &b}, func() {
				p := s.persons[a]
				p.orgs = append(p.orgs, intern(b))
				s.persons[intern(a)] = p
			}},
			{`SELECT r.person_id::text, r.responsible_id::text FROM responsibles r WHERE ` + HasCustody("r") + ` AND ` + Active("r"),
				[]any{&a, &b}, func() { s.custody[intern(a)] = append(s.custody[a], intern(b)) }},
			{`SELECT m.person_id::text, m.group_id::text FROM group_memberships m WHERE ` + Active("m"),
				[]any{&a, &b}, func() { s.groupOf[intern(a)] = append(s.groupOf[a], intern(b)) }},
			{`SELECT id::text, organisation_id::text FROM groups`, []any{&a, &b}, func() {
				g := s.groups[a]
				g.org = intern(b)
				s.groups[intern(a)] = g
			}},
			{`SELECT a.group_id::text, d.person_id::text, a.assignment_role = 'Mentor' FROM group_assignments a
			  JOIN duties d ON d.id = a.duty_id
			  WHERE a.assignment_role IN ('Lärare', 'Mentor') AND ` + Active("a") + ` AND ` + Active("d"), []any{&a, &b, &flag}, func() {
				g := s.groups[a]
				if flag {
					g.mentors = append(g.mentors, intern(b))
				} else {
					g.teachers = append(g.teachers, intern(b))
				}
				s.groups[intern(a)] = g
			}},
			{`SELECT person_id::text, duty_role, duty_at::text FROM duties d WHERE ` + Active("d"), []any{&a, &b, &c}, func() {
				s.Duties = append(s.Duties, ActiveDuty{PersonID: intern(a), Role: intern(b), OrgID: intern(c)})
			}},
		}
		for _, step := range steps {
			rows, err := tx.Query(ctx, step.query)
			if err != nil {
				return err
			}
			if _, err := pgx.ForEachRow(rows, step.scan, func() error { step.row(); return nil }); err != nil {
				return err
			}
		}
		var err error
		s.Parents, s.Roots, err = orgTree(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Person answers how viewer relates to person, as FactsAboutPerson would at s.AsOf.
func (s *Snapshot) Person(person, viewer string) PersonFacts {
	p, ok := s.persons[person]
	if !ok {
		return PersonFacts{}
	}
	f := PersonFacts{AsOf: s.AsOf, Exists: true, Protected: p.protected, Orgs: p.orgs,
		Custodian: slices.Contains(s.custody[person], viewer)}
	for _, g := range s.groupOf[person] {
		entry := s.groups[g]
		f.Teacher = f.Teacher || slices.Contains(entry.teachers, viewer)
		f.Mentor = f.Mentor || slices.Contains(entry.mentors, viewer)
	}
	return f
}

// Group answers how viewer relates to group, as FactsAboutGroup would at s.AsOf.
func (s *Snapshot) Group(group, viewer string) GroupFacts {
	g, ok := s.groups[group]
	if !ok {
		return GroupFacts{}
	}
	return GroupFacts{AsOf: s.AsOf, Exists: true, Org: g.org,
		Teacher: slices.Contains(g.teachers, viewer), Mentor: slices.Contains(g.mentors, viewer)}
}
