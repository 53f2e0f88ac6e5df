package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/app"
	"github.com/skolflow/skolflow/policies"
	"github.com/skolflow/skolflow/register"
)

// BenchmarkAuthorization measures the authorization decision on a seeded register of -scale
// (school; city for the figure that matters), as a request makes it: the register's version
// read, and the decision over the Authorizer's snapshot of the register. The
// requests are a mix of what the platform answers all day: teachers, custodial guardians and
// principals reading a pupil's attendance, and guardians refused another family's child. -users
// (20) decide at once.
//
// The baseline, alternating with it (alternate: four rounds, each side first in two): bare
// primary-key reads of the pupil,
// one round trip each, with as many callers. Every decision is checked against the answer the
// mix expects; a wrong one fails the benchmark. It reports both, and the ratio of the rates.
//
//	make bench BENCH=Authorization SCALE=city
func BenchmarkAuthorization(b *testing.B) {
	ctx := context.Background()
	s := newStack(b, func(c *stackConfig) { c.seeded = true })
	authz, err := policies.New(ctx, s.db, area.Targets(app.Modules(area.Env{})))
	if err != nil {
		b.Fatal(err)
	}
	mix := authzMix(b, s)
	decisions, reads := alternate(b, *users, func(decide bool, _, i int) error {
		r := mix[i%len(mix)]
		if decide {
			return r.check(func(r policies.Request) (policies.Decision, error) { return authz.Decide(ctx, r) })
		}
		var one int
		return s.db.QueryRow(ctx, `SELECT 1 FROM persons WHERE id = $1`, r.ID).Scan(&one)
	})
	d, bare := latenciesOf(decisions), latenciesOf(reads)
	d.report(b, "")
	bare.report(b, "read-")
	b.ReportMetric(d.rate/bare.rate, "ratio")
}

// BenchmarkDecide measures one decision in-process, on one goroutine, over the preloaded
// snapshot of the register of -scale, with the outcomes checked: the time a request waits for
// authorization, without the machine's other work. p50-µs and p99-µs are the decision over the
// snapshot (DecideAt, given the register version the request read); the goal is p50 under 50 µs
// and p99 under 200 µs. with-version-p50-µs and with-version-p99-µs are Decide, which reads the
// version first (one round trip to PostgreSQL) so that a change holds on the very next request;
// the two are interleaved. It also reports the snapshot's memory: the live heap it adds once
// loaded (heap-MB, after a collection both sides), the process's resident set (rss-MB: the test
// process, with the stack's own API and its snapshot, the worker and the benchmark's snapshot),
// and its load time.
//
//	make bench BENCH=Decide SCALE=city BENCHTIME=20000x
func BenchmarkDecide(b *testing.B) {
	ctx := context.Background()
	s := newStack(b, func(c *stackConfig) { c.seeded = true })
	// The stack has loaded a snapshot of its own: what was garbage of the seeding and the stack
	// is collected before the benchmark's snapshot is loaded and measured.
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	authz, err := policies.New(ctx, s.db, area.Targets(app.Modules(area.Env{})))
	if err != nil {
		b.Fatal(err)
	}
	loaded := time.Since(start)
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	mix := authzMix(b, s)
	version, today, err := register.Version(ctx, s.db)
	if err != nil {
		b.Fatal(err)
	}
	at := register.AsOf{Version: version, Today: today}
	snapshot, withVersion := make([]time.Duration, b.N), make([]time.Duration, b.N)
	timed := func(lat []time.Duration, i int, decide func(policies.Request) (policies.Decision, error)) {
		t := time.Now()
		err := mix[i%len(mix)].check(decide)
		lat[i] = time.Since(t)
		if err != nil {
			b.Fatal(err)
		}
	}
	overSnapshot := func(r policies.Request) (policies.Decision, error) { return authz.DecideAt(ctx, r, at) }
	readingVersion := func(r policies.Request) (policies.Decision, error) { return authz.Decide(ctx, r) }
	b.ResetTimer()
	for i := range b.N {
		if i%2 == 0 {
			timed(snapshot, i, overSnapshot)
			timed(withVersion, i, readingVersion)
		} else {
			timed(withVersion, i, readingVersion)
			timed(snapshot, i, overSnapshot)
		}
	}
	b.StopTimer()
	µs := func(lat []time.Duration, p float64) float64 { return percentileMS(lat, p) * 1000 }
	b.ReportMetric(µs(snapshot, 0.5), "p50-µs")
	b.ReportMetric(µs(snapshot, 0.99), "p99-µs")
	b.ReportMetric(µs(withVersion, 0.5), "with-version-p50-µs")
	b.ReportMetric(µs(withVersion, 0.99), "with-version-p99-µs")
	b.ReportMetric((float64(after.HeapAlloc)-float64(before.HeapAlloc))/(1<<20), "heap-MB")
	b.ReportMetric(rssMB(b), "rss-MB")
	b.ReportMetric(loaded.Seconds(), "load-s")
	b.Logf("the snapshot of the %s register loaded in %v", *scale, loaded.Round(time.Millisecond))
	runtime.KeepAlive(authz) // held until its memory is read
}

// rssMB is this process's resident set, in MB, from /proc.
func rssMB(b *testing.B) float64 {
	b.Helper()
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				b.Fatal(err)
			}
			return float64(kb) / 1024
		}
	}
	b.Fatal("no VmRSS in /proc/self/status")
	return 0
}

// authzCase is a request of the mix and the answer it must get.
type authzCase struct {
	policies.Request
	allowed bool
}

// check decides the request with decide and fails unless the answer is the expected one.
func (c authzCase) check(decide func(policies.Request) (policies.Decision, error)) error {
	d, err := decide(c.Request)
	if err != nil {
		return err
	}
	if d.Allowed != c.allowed {
		return fmt.Errorf("%s %s by %s about %s: allowed %v, want %v", c.Method, c.Route, c.Person, c.ID, d.Allowed, c.allowed)
	}
	return nil
}

// authzMix is 1 000 requests to read a pupil's attendance, drawn from the register: by a
// teacher of the pupil's group, by a custodial guardian, by the principal of the pupil's school
// (all allowed), and by a guardian of another family (refused).
func authzMix(b *testing.B, s *stack) []authzCase {
	b.Helper()
	// 250 pupils drawn evenly by a hash of their id; for each, one teacher of one of their
	// groups, one custodial guardian, their school's principal, and a custodial guardian of the
	// next pupil drawn, who is not theirs.
	rows, err := s.db.Query(context.Background(), `
		WITH p AS (SELECT person_id, enroled_at, row_number() OVER (ORDER BY md5(person_id::text)) AS n
		           FROM enrolments ORDER BY md5(person_id::text) LIMIT 251),
		     g AS (SELECT p.n, p.person_id, (SELECT r.responsible_id FROM responsibles r
		             WHERE r.person_id = p.person_id AND r.relation_type = 'Vårdnadshavare' LIMIT 1) AS guardian FROM p)
		SELECT t.person_id::text, p.person_id::text, true FROM p, LATERAL (SELECT d.person_id FROM group_memberships m
		    JOIN group_assignments ga ON ga.group_id = m.group_id JOIN duties d ON d.id = ga.duty_id
		    WHERE m.person_id = p.person_id LIMIT 1) t
		UNION ALL SELECT g.guardian::text, g.person_id::text, true FROM g WHERE g.guardian IS NOT NULL
		UNION ALL SELECT d.person_id::text, p.person_id::text, true FROM p JOIN duties d ON d.duty_at = p.enroled_at AND d.duty_role = 'Rektor'
		UNION ALL SELECT other.guardian::text, g.person_id::text, false FROM g JOIN g other ON other.n = g.n + 1
		  WHERE other.guardian IS NOT NULL AND NOT EXISTS (SELECT 1 FROM responsibles r
		    WHERE r.person_id = g.person_id AND r.responsible_id = other.guardian)`)
	if err != nil {
		b.Fatal(err)
	}
	var out []authzCase
	var actor, pupil string
	var allowed bool
	if _, err := pgx.ForEachRow(rows, []any{&actor, &pupil, &allowed}, func() error {
		out = append(out, authzCase{Request: policies.Request{Person: actor, Method: "GET", Route: "/api/v1/persons/:personId/attendance",
			Target: "personId", ID: pupil, Params: map[string]string{"personId": pupil}}, allowed: allowed})
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	if len(out) < 100 {
		b.Fatalf("only %d requests drawn from the register", len(out))
	}
	return out
}

// BenchmarkAuthorizedRead measures the whole authorized read over HTTP at -users (20) clients:
// the token checked, the register version read and the decision made over the snapshot, the
// access-log row committed (group commit), and the pupil read and answered. The requests are the
// mix of BenchmarkAuthorization, each by its own person, here reading the pupil: the persons
// route allows the same teachers, guardians and principals as the attendance route, so the
// allowed ones answer 200 and the refused ones 404, and each answer is checked.
//
// The baseline, alternating with it (alternate: four rounds, each side first in two): a bare HTTP
// handler on this machine
// that reads the same person by primary key through the same pool and answers it as JSON, with
// as many clients. The goal is p99 within 2 × the baseline's p99 (p99-vs-bare).
//
//	make bench BENCH=AuthorizedRead SCALE=city BENCHTIME=20000x
func BenchmarkAuthorizedRead(b *testing.B) {
	ctx := context.Background()
	s := newStack(b, func(c *stackConfig) { c.seeded = true })
	mix := authzMix(b, s)
	tokens := map[string]string{}
	for _, c := range mix {
		if tokens[c.Person] != "" {
			continue
		}
		var name string
		if err := s.db.QueryRow(ctx, `SELECT principal_name FROM person_principal_names WHERE person_id = $1`, c.Person).Scan(&name); err != nil {
			b.Fatalf("the principal name of %s: %v", c.Person, err)
		}
		tok, _, err := s.issuer.Mint(name)
		if err != nil {
			b.Fatal(err)
		}
		tokens[c.Person] = tok
	}
	bareSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var id, marking string
		if err := s.db.QueryRow(r.Context(), `SELECT id::text, security_marking FROM persons WHERE id = $1`,
			strings.TrimPrefix(r.URL.Path, "/persons/")).Scan(&id, &marking); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"id": id, "securityMarking": marking})
	}))
	defer bareSrv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * *users}}
	defer client.CloseIdleConnections()
	get := func(url, token string) (int, error) {
		req, err := http.NewRequest("GET", url, nil)
		if err != nil {
			return 0, err
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		defer res.Body.Close()
		_, err = io.Copy(io.Discard, res.Body)
		return res.StatusCode, err
	}
	reads, bare := alternate(b, *users, func(authorized bool, _, i int) error {
		c := mix[i%len(mix)]
		if !authorized {
			status, err := get(bareSrv.URL+"/persons/"+c.ID, "")
			if err == nil && status != http.StatusOK {
				err = fmt.Errorf("the bare read answered %d", status)
			}
			return err
		}
		status, err := get(s.api.URL+"/api/v1/persons/"+c.ID, tokens[c.Person])
		if err != nil {
			return err
		}
		if want := map[bool]int{true: http.StatusOK, false: http.StatusNotFound}[c.allowed]; status != want {
			return fmt.Errorf("GET the pupil %s as %s: %d, want %d", c.ID, c.Person, status, want)
		}
		return nil
	})
	r, baseline := latenciesOf(reads), latenciesOf(bare)
	r.report(b, "")
	baseline.report(b, "bare-")
	b.ReportMetric(percentileMS(r.sorted, 0.99)/percentileMS(baseline.sorted, 0.99), "p99-vs-bare")
	b.ReportMetric(r.rate/baseline.rate, "ratio")
}
