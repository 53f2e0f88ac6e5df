package integration

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/app"
	"github.com/skolflow/skolflow/policies"
)

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
	s := newStack(b, func(c *stackConfig) { c.seeded = true })
	start := time.Now()
	authz, err := policies.New(ctx, s.db, area.Targets(app.Modules(area.Env{})))
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("the authorization snapshot of the %s register loaded in %v", *scale, time.Since(start).Round(time.Millisecond))

	requests := authzMix(b, s)
	var allowed atomic.Int64
	var next atomic.Int64
	b.ResetTimer()
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
	// 250 pupils drawn evenly by a hash of their id; for each, one teacher of one of their
	// groups, one custodial guardian, their school's principal, and a custodial guardian of the
	// next pupil drawn, who is not theirs.
	rows, err := s.db.Query(context.Background(), `
		WITH p AS (SELECT person_id, enroled_at, row_number() OVER (ORDER BY md5(person_id::text)) AS n
		           FROM enrolments ORDER BY md5(person_id::text) LIMIT 251),
		     g AS (SELECT p.n, p.person_id, (SELECT r.responsible_id FROM responsibles r
		             WHERE r.person_id = p.person_id AND r.relation_type = 'Vårdnadshavare' LIMIT 1) AS guardian FROM p)
		SELECT t.person_id::text, p.person_id::text FROM p, LATERAL (SELECT d.person_id FROM group_memberships m
		    JOIN group_assignments ga ON ga.group_id = m.group_id JOIN duties d ON d.id = ga.duty_id
		    WHERE m.person_id = p.person_id LIMIT 1) t
		UNION ALL SELECT g.guardian::text, g.person_id::text FROM g WHERE g.guardian IS NOT NULL
		UNION ALL SELECT d.person_id::text, p.person_id::text FROM p JOIN duties d ON d.duty_at = p.enroled_at AND d.duty_role = 'Rektor'
		UNION ALL SELECT other.guardian::text, g.person_id::text FROM g JOIN g other ON other.n = g.n + 1
		  WHERE other.guardian IS NOT NULL AND NOT EXISTS (SELECT 1 FROM responsibles r
		    WHERE r.person_id = g.person_id AND r.responsible_id = other.guardian)`)
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
