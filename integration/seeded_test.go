package integration

import (
	"context"
	"errors"
	"flag"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/pgtest"
	"github.com/skolflow/skolflow/internal/seed"
	"github.com/skolflow/skolflow/register"
)

// scale is the seeded register every benchmark runs on: school, district or city.
var scale = flag.String("scale", "school", "the seeded register the benchmarks run on: "+seed.ScaleNames())

// seededRegisters are the registers this process seeded, one database per scale, made on first
// use and dropped when the process ends (TestMain). Seeding the city takes half a minute, and the
// benchmarks add only their own lessons, attendance and processes to it, so they share it.
var seededRegisters = struct {
	sync.Mutex
	urls  map[string]string // scale name → database URL
	drops []func() error
}{urls: map[string]string{}}

// seededURL answers the URL of the database holding the seeded register of -scale, seeding it on
// first use.
func seededURL(tb testing.TB) string {
	tb.Helper()
	seededRegisters.Lock()
	defer seededRegisters.Unlock()
	if url, ok := seededRegisters.urls[*scale]; ok {
		return url
	}
	sc, err := seed.ScaleNamed(*scale)
	if err != nil {
		tb.Fatal(err)
	}
	url, drop, err := pgtest.NewShared()
	if err != nil {
		tb.Fatal(err)
	}
	seededRegisters.drops = append(seededRegisters.drops, drop)
	sum, err := seed.Seed(context.Background(), pgtest.Open(tb, url), seed.Options{Scale: sc, Today: time.Now()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Logf("seeded the %s register: %d rows in %v", sc.Name, sum.Rows, sum.Total().Round(time.Millisecond))
	seededRegisters.urls[*scale] = url
	return url
}

// dropSeeded drops the seeded registers' databases.
func dropSeeded() error {
	seededRegisters.Lock()
	defer seededRegisters.Unlock()
	var errs []error
	for _, drop := range seededRegisters.drops {
		errs = append(errs, drop())
	}
	return errors.Join(errs...)
}

// seededClass is a class of the seeded register: a teacher of it, signed in, and its pupils.
type seededClass struct {
	group, teacher, token string
	principal             string // the teacher's principal name, to sign in to the pages with
	pupils                []string
}

// seededClasses answers the first n classes of the seeded register (all of them if n is 0), in
// a fixed order that mixes schools, each with a teacher assigned to it and its pupils.
func seededClasses(b *testing.B, s *stack, n int) []seededClass {
	b.Helper()
	limit := any(nil)
	if n > 0 {
		limit = n
	}
	rows, err := s.db.Query(context.Background(), `SELECT g.id::text, t.person_id::text, t.principal_name,
		  ARRAY(SELECT m.person_id::text FROM group_memberships m WHERE m.group_id = g.id ORDER BY m.person_id)
		FROM groups g, LATERAL (SELECT d.person_id, pn.principal_name FROM group_assignments ga
		  JOIN duties d ON d.id = ga.duty_id JOIN person_principal_names pn ON pn.person_id = d.person_id
		  WHERE ga.group_id = g.id ORDER BY ga.assignment_role LIMIT 1) t
		WHERE g.group_type = 'Klass' AND EXISTS (SELECT 1 FROM group_memberships m WHERE m.group_id = g.id)
		ORDER BY md5(g.id::text) LIMIT $1`, limit)
	if err != nil {
		b.Fatal(err)
	}
	var all []seededClass
	var c seededClass
	var principal string
	if _, err := pgx.ForEachRow(rows, []any{&c.group, &c.teacher, &principal, &c.pupils}, func() error {
		tok, _, err := s.issuer.Mint(principal)
		c.token, c.principal = tok, principal
		all = append(all, c)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	if len(all) == 0 {
		b.Fatal("the seeded register has no classes")
	}
	return all
}

// seededLessons writes lessons of 40 minutes, lesson i of group groups[i] taught by teachers[i]
// and begun at starts[i], and answers their ids.
func seededLessons(b *testing.B, s *stack, groups, teachers []string, starts []time.Time) []string {
	b.Helper()
	ids := make([]string, len(groups))
	for i := range ids {
		ids[i] = uuid.NewString()
	}
	if _, err := s.db.Exec(context.Background(), `INSERT INTO lessons (id, group_id, school_id, teacher_id, start_time, end_time)
		SELECT l.id, l.g, g.organisation_id, l.t, l.s, l.s + interval '40 minutes'
		FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[]) AS l(id, g, t, s) JOIN groups g ON g.id = l.g`,
		ids, groups, teachers, starts); err != nil {
		b.Fatal(err)
	}
	return ids
}

// absentToday holds the pupils of the seeded registers who were absent in an earlier benchmark
// of this process. A seed gives the same pupils every time, and a pupil's absence day
// (absence:<pupil>:<day>) lives on the shared Temporal server: a pupil absent again today would
// join that day instead of starting one, and the benchmark would wait for a notice never sent.
var absentToday = struct {
	sync.Mutex
	seen map[string]bool
}{seen: map[string]bool{}}

// claimAbsent marks pupil absent today and answers true, unless they were absent before.
func claimAbsent(pupil string) bool {
	absentToday.Lock()
	defer absentToday.Unlock()
	if absentToday.seen[pupil] {
		return false
	}
	absentToday.seen[pupil] = true
	return true
}

// absentSoFar is how many pupils have been absent today in this process.
func absentSoFar() int {
	absentToday.Lock()
	defer absentToday.Unlock()
	return len(absentToday.seen)
}

// noticesOf waits until every custodial guardian of the absent pupils has the notice of the
// pupil's absence day on day (YYYY-MM-DD), fails b unless each has exactly one, and answers how
// many notices that is and when the first and the last were stored (the database's clock).
func noticesOf(b *testing.B, s *stack, absent []string, day string) (n int, first, last time.Time) {
	b.Helper()
	ctx := context.Background()
	days := make([]string, len(absent))
	for i, p := range absent {
		days[i] = "absence:" + p + ":" + day
	}
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM responsibles WHERE person_id = ANY($1::uuid[])
		AND relation_type = $2`, absent, register.Custody).Scan(&n); err != nil {
		b.Fatal(err)
	}
	// A join with the days, not process_id = ANY($1): PostgreSQL's generic plan for a prepared
	// statement walks the whole array for every row, and a city's morning has ten thousand days.
	const notices = `FROM notifications JOIN unnest($1::text[]) AS d(id) ON process_id = d.id WHERE purpose = 'absence.notice'`
	waitRows(b, s, `SELECT count(*) `+notices, days, n)
	// Exactly one for each: a guardian told twice is as wrong as one not told.
	var stored, told int
	if err := s.db.QueryRow(ctx, `SELECT min(created_at), max(created_at), count(*), count(DISTINCT (process_id, recipient_id)) `+notices,
		days).Scan(&first, &last, &stored, &told); err != nil {
		b.Fatal(err)
	}
	if stored != n || told != n {
		b.Fatalf("%d notices to %d guardians, want one to each of %d custodial guardians", stored, told, n)
	}
	return n, first, last
}
