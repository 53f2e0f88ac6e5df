package integration

import (
	"context"
	"flag"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/seed"
	"github.com/skolflow/skolflow/policies"
)

// scale is the register the city-scale benchmarks seed: school, district or city.
var scale = flag.String("scale", "school", "the seeded register of BenchmarkAuthorization: school, district or city")

// BenchmarkAuthorization measures the authorization decision on a seeded register of -scale
// (school; city for the figure that matters): the Authorizer's snapshot of duties and
// organisations, and the relationship facts read from the register for each request. The
// requests are a mix of what the platform answers all day: teachers, mentors, custodial
// guardians and principals reading a pupil's attendance, and guardians refused another family's
// child. -users (20) decide at once.
//
// In the same run the limit: the same number of bare primary-key reads of the pupil, one round
// trip each, with as many callers. It reports both, and the ratio of the rates.
//
//	make bench BENCH=Authorization SCALE=city
func BenchmarkAuthorization(b *testing.B) {
	ctx := context.Background()
	s := newStack(b, func(c *stackConfig) { c.noDemo = true })
	sc, err := seed.ScaleNamed(*scale)
	if err != nil {
		b.Fatal(err)
	}
	seeded, err := seed.Seed(ctx, s.db, seed.Options{Scale: sc, Today: time.Now()})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	authz, err := policies.New(ctx, s.db)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %s (%d rows) in %v; the authorization snapshot loaded in %v",
		sc.Name, seeded.Rows, seeded.Total().Round(time.Millisecond), time.Since(start).Round(time.Millisecond))

	requests := authzMix(b, s)
	var allowed atomic.Int64
	var next atomic.Int64
	decisions := measure(b, func() error {
		r := requests[int(next.Add(1))%len(requests)]
		d, err := authz.Decide(ctx, r)
		if d.Allowed {
			allowed.Add(1)
		}
		return err
	})
	next.Store(0)
	reads := measure(b, func() error {
		r := requests[int(next.Add(1))%len(requests)]
		var one int
		return s.db.QueryRow(ctx, `SELECT 1 FROM persons WHERE id = $1`, r.ID).Scan(&one)
	})
	decisions.report(b, "")
	reads.report(b, "read-")
	b.ReportMetric(decisions.rate/reads.rate, "ratio")
	b.ReportMetric(float64(allowed.Load())/float64(b.N), "allowed-share")
}

// authzMix is 1 000 requests to read a pupil's attendance, drawn from the register: by a
// teacher of the pupil's group, by a custodial guardian, by the principal of the pupil's school
// (all allowed), and by a guardian of another family (refused).
func authzMix(b *testing.B, s *stack) []policies.Request {
	b.Helper()
	rows, err := s.db.Query(context.Background(), `
		(SELECT d.person_id::text, m.person_id::text FROM group_memberships m
		   JOIN group_assignments ga ON ga.group_id = m.group_id JOIN duties d ON d.id = ga.duty_id
		   ORDER BY md5(m.person_id::text || d.id::text) LIMIT 250)
		UNION ALL
		(SELECT r.responsible_id::text, r.person_id::text FROM responsibles r WHERE r.relation_type = 'Vårdnadshavare'
		   ORDER BY md5(r.person_id::text) LIMIT 250)
		UNION ALL
		(SELECT d.person_id::text, e.person_id::text FROM enrolments e
		   JOIN duties d ON d.duty_at = e.enroled_at AND d.duty_role = 'Rektor'
		   ORDER BY md5(e.person_id::text) LIMIT 250)
		UNION ALL
		(SELECT r.responsible_id::text, e.person_id::text FROM responsibles r
		   JOIN enrolments e ON e.person_id <> r.person_id AND md5(e.person_id::text) < md5(r.person_id::text)
		   WHERE r.relation_type = 'Vårdnadshavare' ORDER BY md5(r.responsible_id::text || e.person_id::text) LIMIT 250)`)
	if err != nil {
		b.Fatal(err)
	}
	var out []policies.Request
	var actor, pupil string
	if _, err := pgx.ForEachRow(rows, []any{&actor, &pupil}, func() error {
		out = append(out, policies.Request{Person: actor, Method: "GET", Route: "/api/v1/persons/:personId/attendance",
			Target: "personId", ID: pupil, Params: map[string]string{"personId": pupil}})
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	if len(out) < 100 {
		b.Fatalf("only %d requests drawn from the register", len(out))
	}
	return out
}
