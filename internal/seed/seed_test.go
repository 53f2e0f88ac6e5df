package seed

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/grading"
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
			if n := s.Pupils + s.Guardians + s.Staff + c.Children + c.OtherGuardians; len(r.Persons) != n {
				t.Errorf("%d persons, want pupils, guardians and staff, and the school choice's children from outside and their guardians: %d",
					len(r.Persons), n)
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
			// A term of grades for years 6-9 and the gymnasium: about 900 000 in the city.
			if s.Name == "city" && (c.Grades < 850_000 || c.Grades > 950_000) {
				t.Errorf("%d grades, want about 900 000", c.Grades)
			}
			if want := len(r.GradingPeriods); c.Grades == 0 || want != c.Schools {
				t.Errorf("%d grades and %d grading periods for %d schools, want grades and a period a school", c.Grades, want, c.Schools)
			}
			// Every school unit has a location and every child a home, in the city.
			if len(r.OrganisationAddresses) != s.Schools+s.Preschools || len(r.PersonAddresses) != s.Pupils+c.Children {
				t.Errorf("%d school addresses and %d homes, want one a school unit (%d) and one a child (%d)",
					len(r.OrganisationAddresses), len(r.PersonAddresses), s.Schools+s.Preschools, s.Pupils+c.Children)
			}
			var places []Place
			for _, a := range r.OrganisationAddresses {
				places = append(places, a.Place)
			}
			for _, a := range r.PersonAddresses {
				places = append(places, a.Place)
			}
			for _, p := range places {
				if p.Latitude < citySouth || p.Latitude > cityNorth || p.Longitude < cityWest || p.Longitude > cityEast || p.Street == "" {
					t.Fatalf("a place outside the city, or without a street: %+v", p)
				}
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
		{"pupils of years 6-9 and the gymnasium without one grade in each graded activity of their groups, or others with one", `
			SELECT count(*) FROM enrolments e JOIN group_memberships m ON m.person_id = e.person_id
			JOIN activity_groups ag ON ag.group_id = m.group_id JOIN activities a ON a.id = ag.activity_id
			WHERE a.graded <> (e.school_type = 'GY' OR e.school_year >= 6)
			   OR (SELECT count(*) FROM grades g WHERE g.student_id = e.person_id AND g.activity_id = a.id) <> a.graded::int`},
		{"grades not final, or of an uncertified teacher without a certified co-signer, or a certified one's with one", `
			SELECT count(*) FROM grades g JOIN syllabuses sy ON sy.id = g.syllabus_id
			WHERE g.signed_at IS NULL OR g.decided_by IS DISTINCT FROM 'teacher' OR g.signed_at < g.set_at
			   OR (EXISTS (SELECT 1 FROM teacher_certifications c WHERE c.person_id = g.grading_teacher AND c.subject_code = sy.subject_code))
			      = (g.co_signer IS NOT NULL)
			   OR (g.co_signer IS NOT NULL AND NOT EXISTS (SELECT 1 FROM teacher_certifications c
			        WHERE c.person_id = g.co_signer AND c.subject_code = sy.subject_code))`},
		{"activities not taught by a teacher of their group, or graded without a syllabus of their school type", `
			SELECT count(*) FROM activities a JOIN activity_groups ag ON ag.activity_id = a.id JOIN groups g ON g.id = ag.group_id
			JOIN activity_teachers at ON at.activity_id = a.id LEFT JOIN syllabuses sy ON sy.id = a.syllabus_id
			WHERE NOT EXISTS (SELECT 1 FROM group_assignments ga WHERE ga.group_id = ag.group_id AND ga.duty_id = at.duty_id
			    AND ga.assignment_role = 'Lärare')
			   OR (a.graded AND sy.school_type IS DISTINCT FROM g.school_type)`},
		{"schools with grades without one grading period of the term, unpublished and not started, opened by its principal", `
			SELECT count(*) FROM organisations o WHERE EXISTS (SELECT 1 FROM activities a WHERE a.organisation_id = o.id AND a.graded)
			  AND (SELECT count(*) FROM grading_periods p JOIN duties d ON d.person_id = p.opened_by AND d.duty_at = o.id
			         AND d.duty_role = 'Rektor'
			       WHERE p.school_unit_id = o.id AND p.published_at IS NULL AND p.run_id IS NULL
			         AND EXISTS (SELECT 1 FROM grades g WHERE g.period_id = p.id)) <> 1`},
		{"school units without a location", `SELECT count(*) FROM organisations o WHERE o.organisation_type = 'Skolenhet'
			AND NOT EXISTS (SELECT 1 FROM organisation_addresses a WHERE a.organisation_id = o.id AND a.latitude IS NOT NULL)`},
		{"pupils without a home (Folkbokföring) with its point", `SELECT count(*) FROM enrolments e WHERE NOT EXISTS
			(SELECT 1 FROM person_addresses a WHERE a.person_id = e.person_id AND a.address_type = 'Folkbokföring' AND a.latitude IS NOT NULL)`},
		{"pairs of children of the same custodial guardian with different homes", `SELECT count(*)
			FROM responsibles r1 JOIN responsibles r2 ON r2.responsible_id = r1.responsible_id AND r2.person_id <> r1.person_id
			JOIN person_addresses a1 ON a1.person_id = r1.person_id
			JOIN person_addresses a2 ON a2.person_id = r2.person_id AND a2.address_type = a1.address_type
			WHERE r1.relation_type = 'Vårdnadshavare' AND r2.relation_type = 'Vårdnadshavare'
			  AND (a1.street_address, a1.postal_code, a1.latitude, a1.longitude) IS DISTINCT FROM (a2.street_address, a2.postal_code, a2.latitude, a2.longitude)`},
		{"applications whose version 1 has not 1-5 distinct choices, each a school with seats in the round's type and year", `
			SELECT count(*) FROM applications a JOIN enrollment_rounds r ON r.id = a.round_id
			JOIN application_versions v ON v.application_id = a.id AND v.version = 1
			WHERE cardinality(v.choices) NOT BETWEEN 1 AND 5
			   OR (SELECT count(DISTINCT c) FROM unnest(v.choices) c) <> cardinality(v.choices)
			   OR EXISTS (SELECT 1 FROM unnest(v.choices) c WHERE NOT EXISTS (SELECT 1 FROM school_capacities k
			        WHERE k.school_id = c AND k.school_type = r.school_type AND k.school_year = r.school_year AND k.capacity > 0))`},
		{"applications without one version, or not written by a custodial guardian of the child", `
			SELECT count(*) FROM applications a WHERE a.version <> 1
			   OR (SELECT count(*) FROM application_versions v WHERE v.application_id = a.id) <> 1
			   OR NOT EXISTS (SELECT 1 FROM application_versions v JOIN responsibles r ON r.responsible_id = v.applied_by
			        AND r.person_id = a.child_id AND r.relation_type = 'Vårdnadshavare' WHERE v.application_id = a.id)`},
		{"applications whose status is not the other custodial guardian's answer (complete alone)", `
			SELECT count(*) FROM applications a JOIN application_versions v ON v.application_id = a.id
			WHERE (SELECT count(*) FROM responsibles r WHERE r.person_id = a.child_id AND r.relation_type = 'Vårdnadshavare')
			      - 1 <> (SELECT count(*) FROM application_consents k JOIN responsibles r ON r.responsible_id = k.guardian_id
			               AND r.person_id = a.child_id AND r.relation_type = 'Vårdnadshavare'
			             WHERE k.application_id = a.id AND k.version = 1 AND k.guardian_id <> v.applied_by)
			   OR (a.status, a.agreed_version) IS DISTINCT FROM (CASE WHEN EXISTS (SELECT 1 FROM application_consents k
			        WHERE k.application_id = a.id AND k.answer = 'refuse') THEN ('incomplete'::text, NULL::int) ELSE ('complete'::text, 1) END)`},
		{"applicants without a home (Folkbokföring) with its point", `SELECT count(*) FROM applications a WHERE NOT EXISTS
			(SELECT 1 FROM person_addresses h WHERE h.person_id = a.child_id AND h.address_type = 'Folkbokföring' AND h.latitude IS NOT NULL)`},
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
	// The grading period's process plans what the seed graded: every graded activity, its teacher,
	// and for an uncertified teacher the co-signer who signed its grades.
	rows, err := db.Query(ctx, `SELECT p.id::text, a.id::text, at_d.person_id::text, coalesce(min(g.co_signer::text), '')
		FROM grading_periods p JOIN grades g ON g.period_id = p.id JOIN activities a ON a.id = g.activity_id
		JOIN activity_teachers at ON at.activity_id = a.id JOIN duties at_d ON at_d.id = at.duty_id
		GROUP BY 1, 2, 3 ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]grading.ActivityPlan{}
	var period, activity, teacher, cosigner string
	if _, err := pgx.ForEachRow(rows, []any{&period, &activity, &teacher, &cosigner}, func() error {
		if want[period] == nil {
			want[period] = map[string]grading.ActivityPlan{}
		}
		want[period][activity] = grading.ActivityPlan{ActivityID: activity, Teacher: teacher, Certified: cosigner == "", CoSigner: cosigner}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("no grading period with grades")
	}
	for period, activities := range want {
		plan, err := grading.Store{DB: db}.Plan(ctx, period)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Activities) != len(activities) {
			t.Errorf("period %s: the process plans %d activities, the seed graded %d", period, len(plan.Activities), len(activities))
		}
		for _, a := range plan.Activities {
			w := activities[a.ActivityID]
			if a.Teacher != w.Teacher || a.Certified != w.Certified || (!a.Certified && a.CoSigner != w.CoSigner) {
				t.Errorf("activity %s: the process plans %+v, the seed graded %+v", a.ActivityID, a, w)
				break
			}
		}
	}

	// The city's two rounds, open, by the huvudman's officer, each with 100-110 % of its
	// applicants in seats.
	rows, err = db.Query(ctx, `SELECT r.name, r.school_type, r.school_year, r.status, r.closes_at > $1 AND r.publishes_at > r.closes_at,
		  d.duty_role, (SELECT count(*) FROM applications a WHERE a.round_id = r.id),
		  (SELECT sum(k.capacity) FROM school_capacities k WHERE k.school_type = r.school_type AND k.school_year = r.school_year)
		FROM enrollment_rounds r JOIN duties d ON d.person_id = r.created_by AND d.duty_at = r.organiser_id
		JOIN organisations o ON o.id = r.organiser_id AND o.organisation_type = 'Huvudman' ORDER BY r.name`, wednesday)
	if err != nil {
		t.Fatal(err)
	}
	type roundRow struct {
		name, schoolType  string
		year              int
		status            string
		open              bool
		by                string
		applicants, seats int
	}
	var rounds []roundRow
	var rr roundRow
	if _, err := pgx.ForEachRow(rows, []any{&rr.name, &rr.schoolType, &rr.year, &rr.status, &rr.open, &rr.by, &rr.applicants, &rr.seats},
		func() error { rounds = append(rounds, rr); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(rounds) != 2 || rounds[0].name != "Skolval förskoleklass" || rounds[1].name != "Skolval åk 7" {
		t.Fatalf("rounds %+v, want Skolval förskoleklass and Skolval åk 7", rounds)
	}
	for i, want := range []roundRow{{"Skolval förskoleklass", "FKLASS", 0, "open", true, "Övrig arbetsledning", 18, 0},
		{"Skolval åk 7", "GR", 7, "open", true, "Övrig arbetsledning", 21, 0}} {
		got := rounds[i]
		if ratio := float64(got.seats) / float64(got.applicants); ratio < 1 || ratio > 1.1 {
			t.Errorf("%s: %d seats for %d applicants, want 100-110 %%", got.name, got.seats, got.applicants)
		}
		got.seats = 0
		if got != want {
			t.Errorf("round %+v, want %+v", got, want)
		}
	}

	var version int64
	if err := db.QueryRow(ctx, "SELECT version FROM register_version").Scan(&version); err != nil || version != 1 {
		t.Errorf("register version %d (%v), want 1: a seed is a change of the register", version, err)
	}

	for _, table := range []string{"organisations", "organisation_addresses", "persons", "person_principal_names",
		"person_addresses", "responsibles", "duties", "teacher_certifications", "groups", "group_memberships",
		"group_assignments", "school_years", "terms", "enrolments", "lessons", "contact_preferences", "syllabuses",
		"activities", "activity_groups", "activity_teachers", "grading_periods", "grades",
		"school_capacities", "enrollment_rounds", "applications", "application_versions", "application_consents"} {
		var hashes [2]string
		for i, db := range dbs {
			// Every column but the times the database keeps of when a row was written (SS 12000's meta).
			row := "(to_jsonb(t) - 'meta_created' - 'meta_modified')::text"
			if err := db.QueryRow(ctx, "SELECT count(*) || ':' || md5(coalesce(string_agg("+row+", '|' ORDER BY "+row+"), '')) FROM "+table+" t").
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
	sum, err := Seed(ctx, db, o)
	if err != nil {
		t.Fatal(err)
	}
	c := sum.Counts
	seeded := c.Pupils + c.Guardians + c.Staff + c.Children + c.OtherGuardians
	if _, err := Seed(ctx, db, o); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("seeding a seeded register: %v, want ErrNotEmpty", err)
	}
	o.Replace = true
	if _, err := Seed(ctx, db, o); err != nil {
		t.Fatalf("replacing a seed: %v", err)
	}
	var persons int
	if err := db.QueryRow(ctx, "SELECT count(*) FROM persons").Scan(&persons); err != nil || persons != seeded {
		t.Fatalf("%d persons after replacing (%v), want one seed's", persons, err)
	}

	if _, err := db.Exec(ctx, `INSERT INTO persons (id, given_name, family_name) VALUES (gen_random_uuid(), 'Real', 'Person')`); err != nil {
		t.Fatal(err)
	}
	if _, err := Seed(ctx, db, o); !errors.Is(err, ErrNotSeeded) {
		t.Fatalf("replacing a register with someone a seed did not make: %v, want ErrNotSeeded", err)
	}
	if err := db.QueryRow(ctx, "SELECT count(*) FROM persons").Scan(&persons); err != nil || persons != seeded+1 {
		t.Fatalf("%d persons after a refused replace (%v): the register was touched", persons, err)
	}
}
