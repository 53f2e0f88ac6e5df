package seed

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/pgtest"
	"github.com/skolflow/skolflow/register"
)

// wednesday is the day the tests seed for: lessons fall on 23-27 November 2026.
var wednesday = time.Date(2026, time.November, 25, 10, 0, 0, 0, register.SchoolDay)

func scale(t *testing.T, name string) Scale {
	t.Helper()
	s, err := ScaleNamed(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Every scale meets its headline numbers exactly, with about 1 % protected, valid and unique
// civic numbers, and a timetable in which no teacher is in two places at once.
func TestScalesMeetTheirNumbers(t *testing.T) {
	for _, s := range Scales {
		if s.Name == "city" && testing.Short() {
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			r, err := Generate(s, wednesday)
			if err != nil {
				t.Fatal(err)
			}
			c := r.Counts()
			got := Scale{Name: s.Name, Schools: c.Schools, Preschools: c.Preschools, Pupils: c.Pupils, Guardians: c.Guardians, Staff: c.Staff}
			if got != s {
				t.Errorf("counts %+v, want %+v", got, s)
			}
			if len(r.Persons) != s.Pupils+s.Guardians+s.Staff {
				t.Errorf("%d persons, want pupils, guardians and staff: %d", len(r.Persons), s.Pupils+s.Guardians+s.Staff)
			}
			if avg := float64(s.Pupils) / float64(c.Classes); avg < 22 || avg > 28 {
				t.Errorf("%.1f pupils a class, want about 25", avg)
			}
			if s.Name != "school" { // too few people for a share
				if share := float64(c.Protected) / float64(len(r.Persons)); share < 0.007 || share > 0.013 {
					t.Errorf("%.2f %% protected, want about 1 %%", 100*share)
				}
			}
			civic := map[string]bool{}
			for _, p := range r.Persons {
				if _, _, err := register.ParseCivicNo(p.CivicNo); err != nil || civic[p.CivicNo] {
					t.Fatalf("%s: civic number %s: invalid (%v) or given twice", p.Key, p.CivicNo, err)
				}
				civic[p.CivicNo] = true
			}
			monday := time.Date(2026, time.November, 23, 0, 0, 0, 0, register.SchoolDay)
			busy := map[[2]any]bool{}
			for _, l := range r.Lessons {
				k := [2]any{l.Teacher, l.Start}
				if busy[k] {
					t.Fatalf("a teacher has two lessons at %v", l.Start)
				}
				busy[k] = true
				if l.Start.Before(monday) || !l.Start.Before(monday.AddDate(0, 0, 5)) {
					t.Fatalf("a lesson at %v, not Monday to Friday of the week", l.Start)
				}
			}
		})
	}
}

// Seeding is deterministic: the same scale for the same week gives equal registers, whatever
// the day of the week.
func TestGenerateIsDeterministic(t *testing.T) {
	s := scale(t, "district")
	a, err := Generate(s, wednesday)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(s, wednesday.AddDate(0, 0, 2)) // Friday
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two seeds of the same scale and week differ")
	}
}

// The school scale loads into a fresh database: every table as generated, the rules of the
// register hold, and two databases seeded alike hold the same rows.
func TestSeedSchool(t *testing.T) {
	ctx := context.Background()
	s := scale(t, "school")
	dbs := []*pgxpool.Pool{pgtest.New(t), pgtest.New(t)}
	for _, db := range dbs {
		sum, err := Seed(ctx, db, Options{Scale: s, Today: wednesday})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Counts.Pupils != s.Pupils || sum.Rows == 0 {
			t.Fatalf("summary %+v", sum)
		}
	}
	db := dbs[0]
	checks := []struct {
		what  string
		query string // counts what breaks the rule
	}{
		{"pupils without 1 or 2 custodial guardians", `SELECT count(*) FROM enrolments e
			WHERE (SELECT count(*) FROM responsibles r WHERE r.person_id = e.person_id AND r.relation_type = 'Vårdnadshavare') NOT IN (1, 2)`},
		{"pupils not in exactly one class and its teaching groups", `SELECT count(*) FROM enrolments e
			WHERE (SELECT count(*) FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.person_id = e.person_id AND g.group_type = 'Klass') <> 1
			   OR (SELECT count(*) FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.person_id = e.person_id AND g.group_type = 'Undervisning') <> 5`},
		{"pupils in a group of another school", `SELECT count(*) FROM group_memberships m JOIN groups g ON g.id = m.group_id
			JOIN enrolments e ON e.person_id = m.person_id WHERE e.enroled_at <> g.organisation_id`},
		{"persons without a principal name at the seed's domain", `SELECT count(*) FROM persons p WHERE NOT EXISTS
			(SELECT 1 FROM person_principal_names n WHERE n.person_id = p.id AND n.principal_name LIKE '%@seed.skolflow.test')`},
		{"guardians without contact preferences", `SELECT count(DISTINCT r.responsible_id) FROM responsibles r
			WHERE NOT EXISTS (SELECT 1 FROM contact_preferences c WHERE c.person_id = r.responsible_id)`},
		{"school units without one principal", `SELECT count(*) FROM organisations o WHERE o.organisation_type = 'Skolenhet'
			AND (SELECT count(*) FROM duties d WHERE d.duty_at = o.id AND d.duty_role = 'Rektor') <> 1`},
		{"classes without a mentor", `SELECT count(*) FROM groups g WHERE g.group_type = 'Klass' AND NOT EXISTS
			(SELECT 1 FROM group_assignments a WHERE a.group_id = g.id AND a.assignment_role = 'Mentor')`},
		{"lessons not taught by a teacher of their group", `SELECT count(*) FROM lessons l WHERE NOT EXISTS
			(SELECT 1 FROM group_assignments a JOIN duties d ON d.id = a.duty_id
			 WHERE a.group_id = l.group_id AND a.assignment_role = 'Lärare' AND d.person_id = l.teacher_id)`},
		{"teaching groups without 30 lessons a week between them per class", `SELECT count(*) FROM groups c WHERE c.group_type = 'Klass'
			AND (SELECT count(*) FROM lessons l JOIN groups g ON g.id = l.group_id
			     WHERE g.organisation_id = c.organisation_id AND g.display_name LIKE c.display_name || ' %') <> 30`},
	}
	for _, c := range checks {
		var n int
		if err := db.QueryRow(ctx, c.query).Scan(&n); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		if n != 0 {
			t.Errorf("%d %s", n, c.what)
		}
	}
	var version int64
	if err := db.QueryRow(ctx, "SELECT version FROM register_version").Scan(&version); err != nil || version != 1 {
		t.Errorf("register version %d (%v), want 1: a seed is a change of the register", version, err)
	}

	for _, table := range []string{"organisations", "persons", "person_principal_names", "responsibles", "duties",
		"teacher_certifications", "groups", "group_memberships", "group_assignments", "school_years", "terms",
		"enrolments", "lessons", "contact_preferences"} {
		var hashes [2]string
		for i, db := range dbs {
			if err := db.QueryRow(ctx, "SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM "+table+" t").
				Scan(&hashes[i]); err != nil {
				t.Fatal(err)
			}
		}
		if hashes[0] != hashes[1] {
			t.Errorf("%s differs between two seeds of the same scale: %s and %s", table, hashes[0], hashes[1])
		}
	}
}

// A seed never writes over a register: it refuses one that is not empty, replaces one a seed
// made only when asked, and never replaces one with people a seed did not make.
func TestSeedRefusesARegister(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	o := Options{Scale: scale(t, "school"), Today: wednesday}
	if _, err := Seed(ctx, db, o); err != nil {
		t.Fatal(err)
	}
	if _, err := Seed(ctx, db, o); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("seeding a seeded register: %v, want ErrNotEmpty", err)
	}
	o.Replace = true
	if _, err := Seed(ctx, db, o); err != nil {
		t.Fatalf("replacing a seed: %v", err)
	}
	var persons int
	if err := db.QueryRow(ctx, "SELECT count(*) FROM persons").Scan(&persons); err != nil || persons != 250+360+42 {
		t.Fatalf("%d persons after replacing (%v), want one seed's", persons, err)
	}

	if _, err := db.Exec(ctx, `INSERT INTO persons (id, given_name, family_name) VALUES (gen_random_uuid(), 'Real', 'Person')`); err != nil {
		t.Fatal(err)
	}
	if _, err := Seed(ctx, db, o); !errors.Is(err, ErrNotSeeded) {
		t.Fatalf("replacing a register with someone a seed did not make: %v, want ErrNotSeeded", err)
	}
	if err := db.QueryRow(ctx, "SELECT count(*) FROM persons").Scan(&persons); err != nil || persons != 250+360+42+1 {
		t.Fatalf("%d persons after a refused replace (%v): the register was touched", persons, err)
	}
}
