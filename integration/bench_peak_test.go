package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/seed"
)

var (
	peakShare  = flag.Float64("share", 1, "BenchmarkMorningPeak: the share of the seeded register's classes that register")
	peakWindow = flag.Duration("window", 10*time.Second, "BenchmarkMorningPeak: the window the classes register in")
)

// absentShare is the share of pupils absent on the peak's morning.
const absentShare = 0.07

// BenchmarkMorningPeak is the morning: every class in -share of the seeded register (-scale)
// takes the register of its first lesson, the teachers starting evenly over -window, with 7 % of
// pupils absent. It measures the time from the first registration until every affected custodial
// guardian's notification is stored, and the registrations' latency, and extrapolates to the
// whole city at the same rate (one worker and one Temporal dev server on this machine; the
// notices are what bounds it, so the city's time is its absences over the notice rate).
//
// A morning is one run whatever b.N is (it is a whole morning, not an operation to repeat); use
// -count for more mornings, each on fresh lessons with other pupils absent.
//
//	make bench BENCH=MorningPeak SCALE=district BENCHTIME=1x
func BenchmarkMorningPeak(b *testing.B) {
	ctx := context.Background()
	s := newStack(b, func(c *stackConfig) { c.noDemo = true })
	sc, err := seed.ScaleNamed(*scale)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := seed.Seed(ctx, s.db, seed.Options{Scale: sc, Today: time.Now()}); err != nil {
		b.Fatal(err)
	}
	classes := peakClasses(b, s, *peakShare)
	lessons := peakLessons(b, s, classes)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

	b.ResetTimer()
	var mu sync.Mutex
	var wg sync.WaitGroup
	var latencies []time.Duration
	var absent []string
	start := time.Now()
	for i, c := range classes {
		body, absentees := c.register()
		absent = append(absent, absentees...)
		wg.Go(func() {
			time.Sleep(time.Duration(float64(*peakWindow) * float64(i) / float64(len(classes))))
			t0 := time.Now()
			req, _ := http.NewRequest("PUT", s.api.URL+"/api/v1/lessons/"+lessons[i]+"/attendance", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+c.token)
			req.Header.Set("Content-Type", "application/json")
			res, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Errorf("registration: %d", res.StatusCode)
			}
			mu.Lock()
			latencies = append(latencies, time.Since(t0))
			mu.Unlock()
		})
	}
	wg.Wait()
	var notices int // one per absent pupil and custodial guardian
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM responsibles WHERE person_id = ANY($1::uuid[])
		AND relation_type = 'Vårdnadshavare'`, absent).Scan(&notices); err != nil {
		b.Fatal(err)
	}
	const told = `FROM notifications n JOIN responsibles r ON r.responsible_id = n.recipient_id
		AND r.person_id = ANY($1::uuid[]) AND r.relation_type = 'Vårdnadshavare' WHERE n.purpose = 'absence.notice'`
	waitRows(b, s, `SELECT count(*) `+told, absent, notices)
	allTold := time.Since(start)
	b.StopTimer()

	// The rate notices were stored at, first to last: the worker's and server's own rate when the
	// registrations come faster than it (all told well after the window), otherwise only the
	// rate they came at.
	var first, last time.Time
	if err := s.db.QueryRow(ctx, `SELECT min(n.created_at), max(n.created_at) `+told, absent).Scan(&first, &last); err != nil {
		b.Fatal(err)
	}
	rate := float64(notices) / last.Sub(first).Seconds()
	city, _ := seed.ScaleNamed("city")
	cityNotices := float64(city.Pupils) * absentShare * float64(notices) / float64(len(absent))
	slices.Sort(latencies)
	b.ReportMetric(float64(len(classes)), "classes")
	b.ReportMetric(float64(len(absent)), "absent")
	b.ReportMetric(allTold.Seconds(), "all-told-s")
	b.ReportMetric(peakWindow.Seconds(), "window-s")
	b.ReportMetric(ms(latencies, 0.5), "reg-p50-ms")
	b.ReportMetric(ms(latencies, 0.99), "reg-p99-ms")
	b.ReportMetric(rate, "notices/s")
	b.ReportMetric(cityNotices/rate/60, "city-min")
	b.Logf("%d classes of %s over %v, %d absent: every guardian told after %v (%.1f notices/s stored, saturated: %v); "+
		"the city (%d pupils, 7 %% absent, %.0f notices) at that rate: %.1f min",
		len(classes), sc.Name, *peakWindow, len(absent), allTold.Round(time.Millisecond), rate, allTold > 2**peakWindow,
		city.Pupils, cityNotices, cityNotices/rate/60)
}

// peakClass is a class of the seeded register: a teacher of it, signed in, and its pupils.
type peakClass struct {
	group, teacher, token string
	pupils                []string
}

// peakAbsent holds the pupils absent on earlier mornings of this process. A seed gives the same
// pupils every time, and a pupil's absence day today (absence:<pupil>:<day>) lives on the shared
// Temporal server: a pupil absent again today would join that day, not start one.
var peakAbsent = struct {
	sync.Mutex
	seen map[string]bool
}{seen: map[string]bool{}}

// register is the class's register this morning: 7 % of pupils absent, chosen by a hash among
// those not absent on an earlier morning, the rest present.
func (c peakClass) register() (body []byte, absent []string) {
	peakAbsent.Lock()
	defer peakAbsent.Unlock()
	in := api.AttendanceInput{}
	for _, p := range c.pupils {
		h := fnv.New32a()
		fmt.Fprintf(h, "%s|%d", p, len(peakAbsent.seen))
		status := "present"
		if !peakAbsent.seen[p] && float64(h.Sum32()%1000) < absentShare*1000 {
			status, absent = "absent", append(absent, p)
		}
		in.Registrations = append(in.Registrations, api.Registration{Person: p, Status: status})
	}
	for _, p := range absent {
		peakAbsent.seen[p] = true
	}
	body, _ = json.Marshal(in)
	return body, absent
}

// peakClasses draws share of the seeded register's classes, in a fixed order, each with a
// teacher assigned to it and its pupils.
func peakClasses(b *testing.B, s *stack, share float64) []peakClass {
	b.Helper()
	ctx := context.Background()
	rows, err := s.db.Query(ctx, `SELECT g.id::text, t.person_id::text, t.principal_name,
		  ARRAY(SELECT m.person_id::text FROM group_memberships m WHERE m.group_id = g.id ORDER BY m.person_id)
		FROM groups g, LATERAL (SELECT d.person_id, pn.principal_name FROM group_assignments ga
		  JOIN duties d ON d.id = ga.duty_id JOIN person_principal_names pn ON pn.person_id = d.person_id
		  WHERE ga.group_id = g.id ORDER BY ga.assignment_role LIMIT 1) t
		WHERE g.group_type = 'Klass' AND EXISTS (SELECT 1 FROM group_memberships m WHERE m.group_id = g.id)
		ORDER BY md5(g.id::text)`)
	if err != nil {
		b.Fatal(err)
	}
	var all []peakClass
	var c peakClass
	var principal string
	if _, err := pgx.ForEachRow(rows, []any{&c.group, &c.teacher, &principal, &c.pupils}, func() error {
		tok, _, err := s.issuer.Mint(principal)
		c.token = tok
		all = append(all, c)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	n := max(1, int(float64(len(all))*share))
	if n > len(all) {
		n = len(all)
	}
	return all[:n]
}

// peakLessons writes, for each class, a first lesson that began a minute ago, taught by the
// class's teacher, and answers their ids.
func peakLessons(b *testing.B, s *stack, classes []peakClass) []string {
	b.Helper()
	ids := make([]string, len(classes))
	groups, teachers := make([]string, len(classes)), make([]string, len(classes))
	for i, c := range classes {
		ids[i], groups[i], teachers[i] = uuid.NewString(), c.group, c.teacher
	}
	start := time.Now().Add(-time.Minute)
	if _, err := s.db.Exec(context.Background(), `INSERT INTO lessons (id, group_id, school_id, teacher_id, start_time, end_time)
		SELECT l.id, l.g, g.organisation_id, l.t, $4::timestamptz, $4::timestamptz + interval '50 minutes'
		FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS l(id, g, t) JOIN groups g ON g.id = l.g`,
		ids, groups, teachers, start); err != nil {
		b.Fatal(err)
	}
	return ids
}

func ms(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return float64(sorted[int(p*float64(len(sorted)-1))].Microseconds()) / 1000
}
