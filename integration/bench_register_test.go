package integration

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/register"
)

// teachers is how many teachers take the register at once in BenchmarkRegistration.
var teachers = flag.Int("teachers", 50, "concurrent teachers in BenchmarkRegistration, each registering their own lessons")

// BenchmarkRegistration measures whole-class attendance registration over HTTP on the seeded
// register of -scale: one operation is one teacher taking the register of one lesson of their
// class (about 25 pupils) in one PUT, with sign-in (the dev issuer's JWT, verified per request),
// Casbin authorization and the access log, the register checks and the write, and the absence
// handed to the outbox for the one absent pupil. -teachers (50) teachers of as many classes
// register at once, each their own lessons, a fresh lesson every time; a register with fewer
// classes has as many teachers as classes.
//
// The baseline, in the same run and alternating with it (alternate: four rounds, each side first
// in two), does the
// handler's own write through bare pgx, with the same teachers at once on the same pool: for a
// lesson of its own, one transaction sending attendance.WriteBatch, the statement Register sends
// (the whole class in one unnest upsert) and, for the absent pupil, the outbox insert and its
// wake-up. Its absences are other pupils of the same classes, so they too start absence days and
// notices, as the measured side's do. It reports
//
//   - reg/s, p50-ms, p95-ms, p99-ms: registrations over HTTP (ns/op is both phases);
//   - raw-reg/s, raw-p50-ms, raw-p99-ms: the baseline; raw-frac, reg/s over raw-reg/s (the goal
//     is at least 0.5), and p99-vs-raw, p99-ms over raw-p99-ms (the goal is at most 2);
//   - notice-p50-ms, notice-p95-ms: from an absent pupil's attendance row (its registered_at) to
//     each custodial guardian's notification row (its created_at), both on the database's clock,
//     for the measured side's absences. This includes the absence day's notice window, 2 s in the
//     integration stack (timings in stack_test.go), during which the day collects further missed
//     lessons on purpose. notice/s is how many were stored per second from the first absence
//     registered to the last notification. When the worker falls behind the registrations,
//     notice latency grows with b.N: it is a backlog, not a steady state.
//
// Outcomes are checked: every row of both sides is in the database, as many absent as asked, and
// every custodial guardian of an absent pupil, of either side, has their notice.
//
// A pupil is absent at most once today in a process (absentToday), so every absence starts its
// own absence day and gives a first notice: each class's pupils take turns, one absent per
// lesson while the class has pupils left, spread evenly when it has more lessons than pupils.
// One pupil per lesson is late by 5 minutes; the rest are present. Lessons began 2 minutes ago or
// earlier (10 s apart within a class, never before midnight).
//
// Setup and the notice wait take minutes at large b.N; give -timeout room:
//
//	make bench BENCH=Registration BENCHTIME=2000x SCALE=city
func BenchmarkRegistration(b *testing.B) {
	ctx := context.Background()
	s := newStack(b, func(c *stackConfig) { c.seeded = true })
	classes := seededClasses(b, s, *teachers)
	nt := len(classes)
	if nt < *teachers {
		b.Logf("the %s register has %d classes: %d teachers register, not %d", *scale, nt, nt, *teachers)
	}
	// A class's k-th lessons alternate between the sides, so each side has its share of the
	// class's pupils absent.
	all := benchRegisters(classes, 2*nt*((b.N+nt-1)/nt))
	httpRegs, rawRegs := make([]benchRegister, b.N), make([]benchRegister, b.N)
	for i := range b.N {
		k, c := i/nt, i%nt
		httpRegs[i], rawRegs[i] = all[2*k*nt+c], all[(2*k+1)*nt+c]
	}
	httpLessons := benchLessons(b, s, classes, httpRegs)
	rawLessons := benchLessons(b, s, classes, rawRegs)
	// Each teacher has their own keep-alive connection, as each browser would.
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 2 * nt, MaxIdleConnsPerHost: 2 * nt}}
	defer client.CloseIdleConnections()

	// Operation i is on worker i mod nt: the teacher of class i mod nt, whose lessons they are.
	measured, raw := alternate(b, nt, func(viaHTTP bool, t, i int) error {
		if viaHTTP {
			return httpLessons[i].put(client, s.api.URL, classes[t].token)
		}
		return rawLessons[i].write(ctx, s, classes[t].teacher)
	})
	for _, side := range []struct {
		name    string
		lessons []benchLesson
	}{{"registered over HTTP", httpLessons}, {"written bare", rawLessons}} {
		wantRows, wantAbsent := 0, 0
		for _, l := range side.lessons {
			wantRows += len(l.regs)
			if l.absent != "" {
				wantAbsent++
			}
		}
		var rows, absent int
		if err := s.db.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE status = 'absent') FROM attendance
			WHERE lesson_id = ANY($1::uuid[])`, lessonIDs(side.lessons)).Scan(&rows, &absent); err != nil {
			b.Fatal(err)
		}
		if rows != wantRows || absent != wantAbsent {
			b.Fatalf("%s: %d attendance rows with %d absent, want %d with %d", side.name, rows, absent, wantRows, wantAbsent)
		}
	}
	rate := float64(len(measured.Ops)) / measured.Elapsed.Seconds()
	rawRate := float64(len(raw.Ops)) / raw.Elapsed.Seconds()
	var withAbsence, allPresent []time.Duration
	for k, i := range measured.Ops {
		if httpLessons[i].absent != "" {
			withAbsence = append(withAbsence, measured.Lat[k])
		} else {
			allPresent = append(allPresent, measured.Lat[k])
		}
	}
	b.Logf("HTTP: %d registrations by %d teachers in %v (%.0f/s); p50 %.1f ms, p99 %.1f ms; "+
		"p50 %.1f ms of the %d with an absent pupil, %.1f ms of the %d without",
		b.N, nt, measured.Elapsed.Round(time.Millisecond), rate, percentileMS(measured.Lat, 0.5), percentileMS(measured.Lat, 0.99),
		percentileMS(withAbsence, 0.5), len(withAbsence), percentileMS(allPresent, 0.5), len(allPresent))
	b.Logf("bare: %d in %v (%.0f/s); p50 %.1f ms, p99 %.1f ms; HTTP is %.2f of bare, its p99 %.2f×",
		b.N, raw.Elapsed.Round(time.Millisecond), rawRate, percentileMS(raw.Lat, 0.5), percentileMS(raw.Lat, 0.99),
		rate/rawRate, percentileMS(measured.Lat, 0.99)/percentileMS(raw.Lat, 0.99))
	notices, noticeRate := noticeLatencies(b, s, httpLessons)
	noticeLatencies(b, s, rawLessons) // the baseline's absences are told too: the same work

	b.ReportMetric(rate, "reg/s")
	b.ReportMetric(percentileMS(measured.Lat, 0.50), "p50-ms")
	b.ReportMetric(percentileMS(measured.Lat, 0.95), "p95-ms")
	b.ReportMetric(percentileMS(measured.Lat, 0.99), "p99-ms")
	b.ReportMetric(rawRate, "raw-reg/s")
	b.ReportMetric(percentileMS(raw.Lat, 0.50), "raw-p50-ms")
	b.ReportMetric(percentileMS(raw.Lat, 0.99), "raw-p99-ms")
	b.ReportMetric(rate/rawRate, "raw-frac")
	b.ReportMetric(percentileMS(measured.Lat, 0.99)/percentileMS(raw.Lat, 0.99), "p99-vs-raw")
	if len(notices) > 0 {
		b.ReportMetric(percentileMS(notices, 0.50), "notice-p50-ms")
		b.ReportMetric(percentileMS(notices, 0.95), "notice-p95-ms")
		b.ReportMetric(noticeRate, "notice/s")
	}
}

// benchRegister is the register a teacher takes for one lesson.
type benchRegister struct {
	regs   []attendance.Registration
	body   []byte // the PUT's JSON
	absent string // the absent pupil, or ""
}

// benchRegisters makes the registers of n lessons: lesson i is of class i%len(classes), and its
// k-th. A class's pupils take turns being absent, one a lesson, spread evenly when the class has
// more lessons than pupils; a pupil absent earlier today is present instead (absentToday).
func benchRegisters(classes []seededClass, n int) []benchRegister {
	nt := len(classes)
	perClass := (n + nt - 1) / nt
	out := make([]benchRegister, n)
	for i := range out {
		c, k := classes[i%nt], i/nt
		size := len(c.pupils)
		turn := k * size / perClass
		var r benchRegister
		if (k == 0 || turn != (k-1)*size/perClass) && claimAbsent(c.pupils[turn]) {
			r.absent = c.pupils[turn]
		}
		late := c.pupils[(turn+1)%size]
		for _, p := range c.pupils {
			reg := attendance.Registration{Person: p, Status: "present"}
			switch p {
			case r.absent:
				reg.Status = "absent"
			case late:
				reg.Status, reg.MinutesLate = "late", 5
			}
			r.regs = append(r.regs, reg)
		}
		r.body, _ = json.Marshal(attendance.RegistrationInput{Registrations: r.regs})
		out[i] = r
	}
	return out
}

// benchLesson is one lesson, when it starts, and the register its teacher takes for it.
type benchLesson struct {
	id    string
	start time.Time
	benchRegister
}

// benchLessons writes a fresh lesson for each register, of the class the register is for, taught
// by the class's teacher: the class's k-th began 2 minutes and k×10 s ago (never before midnight).
func benchLessons(b *testing.B, s *stack, classes []seededClass, registers []benchRegister) []benchLesson {
	b.Helper()
	nt := len(classes)
	now := time.Now().Truncate(time.Second)
	groups, teachers, starts := make([]string, len(registers)), make([]string, len(registers)), make([]time.Time, len(registers))
	for i := range registers {
		c, k := classes[i%nt], i/nt
		groups[i], teachers[i] = c.group, c.teacher
		starts[i] = startedBefore(now, 2*time.Minute+time.Duration(k)*10*time.Second)
	}
	ids := seededLessons(b, s, groups, teachers, starts)
	lessons := make([]benchLesson, len(registers))
	for i, r := range registers {
		lessons[i] = benchLesson{id: ids[i], start: starts[i], benchRegister: r}
	}
	return lessons
}

// put takes the lesson's register over HTTP as the teacher whose token is given.
func (l benchLesson) put(client *http.Client, base, token string) error {
	return apiCall(client, "PUT", base+"/api/v1/lessons/"+l.id+"/attendance", token, l.body, nil)
}

// write does what Register writes for the lesson's register, through bare pgx: the rows as the
// handler makes them, settled for pupils with nothing reported, and attendance.WriteBatch in one
// transaction. It reads nothing first: the register's checks are the handler's own work.
func (l benchLesson) write(ctx context.Context, s *stack, teacher string) error {
	lesson := attendance.Lesson{ID: l.id, Start: l.start, End: l.start.Add(40 * time.Minute)}
	rows := make([]attendance.Row, len(l.regs))
	for i, r := range l.regs {
		rows[i] = r.Row(lesson.Minutes())
	}
	pupils := make([]attendance.Pupil, len(rows)) // members; none reported, none absent before
	for i := range pupils {
		pupils[i].Member = true
	}
	attendance.Settle(rows, pupils, lesson.Minutes())
	tell, kinds := attendance.Tell(rows, pupils)
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		return tx.SendBatch(ctx, attendance.WriteBatch(lesson, rows, teacher, tell, kinds)).Close()
	})
}

// phaseRun is one side of an alternating run: the operations it did, in the order of Lat, each
// one's latency, and its wall time over the rounds.
type phaseRun struct {
	Ops     []int
	Lat     []time.Duration
	Elapsed time.Duration
}

// alternate runs b.N operations each way, the measured one and its baseline, on workers at once
// (operation i on worker i mod workers), in four rounds of a quarter of them: the measured side
// goes first in odd rounds, the baseline in even ones, so that the machine's state weighs on both
// alike. op(measured, w, i) does operation i on worker w. The timer runs over the rounds alone.
func alternate(b *testing.B, workers int, op func(measured bool, w, i int) error) (measured, baseline phaseRun) {
	const rounds = 4
	run := func(m bool, round int) {
		work := make([][]int, workers)
		for i := range b.N {
			if i*rounds/b.N == round {
				work[i%workers] = append(work[i%workers], i)
			}
		}
		elapsed, lat, err := benchRun(work, func(w, i int) error { return op(m, w, i) })
		if err != nil {
			b.Fatal(err)
		}
		side := &baseline
		if m {
			side = &measured
		}
		for _, w := range work {
			for _, i := range w {
				side.Ops, side.Lat = append(side.Ops, i), append(side.Lat, lat[i])
			}
		}
		side.Elapsed += elapsed
	}
	b.ResetTimer()
	for r := range rounds {
		run(r%2 == 1, r)
		run(r%2 == 0, r)
	}
	b.StopTimer()
	return measured, baseline
}

// benchRun runs, on one goroutine per worker at once, op(w, i) for every i of work[w], and
// returns the wall time and each op's latency by i (0 for an i not in work). It stops at the
// first error.
func benchRun(work [][]int, op func(w, i int) error) (time.Duration, []time.Duration, error) {
	n := 0
	for _, w := range work {
		for _, i := range w {
			n = max(n, i+1)
		}
	}
	latencies := make([]time.Duration, n)
	var failed atomic.Bool
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for w, ops := range work {
		wg.Go(func() {
			for _, i := range ops {
				if failed.Load() {
					return
				}
				t := time.Now()
				if err := op(w, i); err != nil {
					once.Do(func() { first = err })
					failed.Store(true)
					return
				}
				latencies[i] = time.Since(t)
			}
		})
	}
	wg.Wait()
	return time.Since(start), latencies, first
}

// noticeLatencies waits for each absent pupil's custodial guardians' notifications, and answers
// the time from the attendance row to each notification row, sorted, and the notices stored per
// second from the first absence registered to the last notification.
func noticeLatencies(b *testing.B, s *stack, lessons []benchLesson) ([]time.Duration, float64) {
	b.Helper()
	ctx := context.Background()
	ids := lessonIDs(lessons)
	var want int // one per absent pupil and custodial guardian
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM attendance a JOIN responsibles r ON r.person_id = a.person_id
		AND r.relation_type = $2 WHERE a.lesson_id = ANY($1::uuid[]) AND a.status = 'absent'`, ids, register.Custody).Scan(&want); err != nil {
		b.Fatal(err)
	}
	// The notice of a pupil's absence day names the process absence:<pupil>:<day>, the day of the
	// lesson; each pupil is absent once, so it is the notice of this absence.
	const query = `SELECT (extract(epoch FROM n.created_at - a.registered_at) * 1000000)::bigint,
		  (extract(epoch FROM max(n.created_at) OVER () - min(a.registered_at) OVER ()) * 1000000)::bigint
		FROM attendance a JOIN lessons l ON l.id = a.lesson_id
		JOIN responsibles r ON r.person_id = a.person_id AND r.relation_type = 'Vårdnadshavare'
		JOIN notifications n ON n.recipient_id = r.responsible_id AND n.purpose = 'absence.notice'
		  AND n.process_id = 'absence:' || a.person_id || ':' || to_char(l.start_time AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD')
		WHERE a.lesson_id = ANY($1::uuid[]) AND a.status = 'absent'`
	// The worker may be far behind the registrations: wait as long as notices keep coming.
	const stall = time.Minute
	var micros []int64
	var span int64
	progress := time.Now()
	for {
		rows, err := s.db.Query(ctx, query, ids)
		if err != nil {
			b.Fatal(err)
		}
		before := len(micros)
		micros = micros[:0]
		var us int64
		if _, err := pgx.ForEachRow(rows, []any{&us, &span}, func() error {
			micros = append(micros, us)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		if len(micros) >= want {
			break
		}
		if len(micros) > before {
			progress = time.Now()
		} else if time.Since(progress) > stall {
			b.Fatalf("%d of %d guardians' notifications stored, none for %v", len(micros), want, stall)
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Exactly one for each: a guardian told twice would hide one not told.
	var told int
	if err := s.db.QueryRow(ctx, `SELECT count(DISTINCT (r.responsible_id, a.person_id)) FROM attendance a
		JOIN lessons l ON l.id = a.lesson_id
		JOIN responsibles r ON r.person_id = a.person_id AND r.relation_type = 'Vårdnadshavare'
		JOIN notifications n ON n.recipient_id = r.responsible_id AND n.purpose = 'absence.notice'
		  AND n.process_id = 'absence:' || a.person_id || ':' || to_char(l.start_time AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD')
		WHERE a.lesson_id = ANY($1::uuid[]) AND a.status = 'absent'`, ids).Scan(&told); err != nil {
		b.Fatal(err)
	}
	if len(micros) != want || told != want {
		b.Fatalf("%d notices to %d guardians, want one to each of %d custodial guardians", len(micros), told, want)
	}
	got := make([]time.Duration, len(micros))
	for i, us := range micros {
		got[i] = time.Duration(us) * time.Microsecond
	}
	slices.Sort(got)
	return got, float64(len(got)) / (time.Duration(span) * time.Microsecond).Seconds()
}

func lessonIDs(lessons []benchLesson) []string {
	ids := make([]string, len(lessons))
	for i, l := range lessons {
		ids[i] = l.id
	}
	return ids
}

// percentileMS is the p-quantile of sorted (or not yet sorted) durations, in milliseconds.
func percentileMS(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	if !slices.IsSorted(d) {
		d = slices.Clone(d)
		slices.Sort(d)
	}
	return float64(d[int(p*float64(len(d)-1))].Microseconds()) / 1000
}
