package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/register"
)

// teachers is how many teachers take the register at once in BenchmarkRegistration.
var teachers = flag.Int("teachers", 50, "concurrent teachers in BenchmarkRegistration, each registering their own lessons")

// classSize is the number of pupils in each teacher's class, and so the rows of one registration.
const classSize = 25

// BenchmarkRegistration measures whole-class attendance registration over HTTP: one operation is
// one teacher taking the register of one lesson of their class (25 pupils) in one PUT, with
// sign-in (the dev issuer's JWT, verified per request), Casbin authorization and the access log,
// the register checks and the write, and the absence day started for the one absent pupil.
// -teachers (50) teachers register at once, each their own lessons, a fresh lesson every time.
//
// In the same run, after the HTTP phase, the same rows for as many fresh lessons are written by a
// bare pgx batched upsert (the handler's own statement, 25 in a batch, one transaction per
// lesson) on the same pool with the same concurrency: the raw limit. It reports
//
//   - reg/s, p50-ms, p95-ms, p99-ms: registrations over HTTP (ns/op is this phase alone);
//   - raw-reg/s, raw-p50-ms, raw-p99-ms: the bare upserts, and raw-frac, reg/s over raw-reg/s
//     (the aim is at least 0.33, with p99 under 100 ms);
//   - notice-p50-ms, notice-p95-ms: from an absent pupil's attendance row (its registered_at) to
//     the custodial guardian's notification row (its created_at), both on the database's clock.
//     This includes the absence day's notice window, 2 s in the integration stack (timings in
//     stack_test.go), during which the day collects further missed lessons on purpose. The
//     notices are waited for after the HTTP phase, before the raw one; notice/s is how many were
//     stored per second from the first absence registered to the last notice. When the worker
//     falls behind the registrations, notice latency grows with b.N: it is a backlog, not a
//     steady state.
//
// The data is made for the run at school A of the demo register: -teachers teachers (principal
// names bench-larare-<n>, outside the demo's), each teaching one group of 25 pupils, each pupil
// enrolled with one custodial guardian (no channels chosen: the notification is in-app only).
// Every id is new: the tests share one Temporal server, and an absence day is
// absence:<pupil>:<day>. A pupil is absent at most once, so every absence gives a first notice:
// with up to 25 lessons per class every lesson has one absent pupil; beyond that the class's 25
// absences are spread evenly over its lessons. One pupil per lesson is late by 5 minutes; the
// rest are present. Lessons began 2 minutes ago or earlier (10 s apart within a class).
//
// Setup and the notice wait take minutes at large b.N; give -timeout room:
//
//	make bench BENCH=Registration BENCHTIME=2000x
//	scripts/with-postgres.sh postgres go test ./integration -run '^$' -bench Registration -benchtime 2000x -timeout 30m
func BenchmarkRegistration(b *testing.B) {
	ctx := context.Background()
	s := newStack(b)
	nt := *teachers
	classes := benchClasses(b, s, nt)
	httpLessons := benchLessons(b, s, classes, b.N)
	rawLessons := benchLessons(b, s, classes, b.N)
	work := make([][]int, nt) // teacher t registers lessons t, t+nt, ...: their own class's
	for i := range b.N {
		work[i%nt] = append(work[i%nt], i)
	}
	tokens := make([]string, nt)
	for t, c := range classes {
		tok, _, err := s.issuer.Mint(c.principal)
		if err != nil {
			b.Fatal(err)
		}
		tokens[t] = tok
	}
	// Each teacher has their own keep-alive connection, as each browser would.
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 2 * nt, MaxIdleConnsPerHost: 2 * nt}}
	defer client.CloseIdleConnections()

	b.ResetTimer()
	elapsed, latencies, err := benchRun(work, func(t, i int) error {
		return httpLessons[i].put(client, s.api.URL, tokens[t])
	})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	var rows, absences int
	if err := s.db.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE status = 'absent') FROM attendance
		WHERE lesson_id = ANY($1::uuid[])`, lessonIDs(httpLessons)).Scan(&rows, &absences); err != nil {
		b.Fatal(err)
	}
	wantAbsences := 0
	for _, l := range httpLessons {
		if l.absent != "" {
			wantAbsences++
		}
	}
	if rows != b.N*classSize || absences != wantAbsences {
		b.Fatalf("%d attendance rows with %d absent, want %d with %d", rows, absences, b.N*classSize, wantAbsences)
	}
	rate := float64(b.N) / elapsed.Seconds()
	var withAbsence, allPresent []time.Duration
	for i, l := range httpLessons {
		if l.absent != "" {
			withAbsence = append(withAbsence, latencies[i])
		} else {
			allPresent = append(allPresent, latencies[i])
		}
	}
	b.Logf("HTTP: %d registrations by %d teachers in %v (%.0f/s); p50 %.1f ms, p99 %.1f ms; "+
		"p50 %.1f ms of the %d with an absent pupil, %.1f ms of the %d without",
		b.N, nt, elapsed.Round(time.Millisecond), rate, percentileMS(latencies, 0.5), percentileMS(latencies, 0.99),
		percentileMS(withAbsence, 0.5), len(withAbsence), percentileMS(allPresent, 0.5), len(allPresent))
	notices, noticeRate := noticeLatencies(b, s, httpLessons, wantAbsences)

	rawElapsed, rawLatencies, err := benchRun(work, func(t, i int) error {
		return rawLessons[i].upsert(ctx, s, classes[t].teacher)
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM attendance WHERE lesson_id = ANY($1::uuid[])`,
		lessonIDs(rawLessons)).Scan(&rows); err != nil || rows != b.N*classSize {
		b.Fatalf("%d raw attendance rows, want %d (%v)", rows, b.N*classSize, err)
	}

	rawRate := float64(b.N) / rawElapsed.Seconds()
	b.ReportMetric(rate, "reg/s")
	b.ReportMetric(percentileMS(latencies, 0.50), "p50-ms")
	b.ReportMetric(percentileMS(latencies, 0.95), "p95-ms")
	b.ReportMetric(percentileMS(latencies, 0.99), "p99-ms")
	b.ReportMetric(rawRate, "raw-reg/s")
	b.ReportMetric(percentileMS(rawLatencies, 0.50), "raw-p50-ms")
	b.ReportMetric(percentileMS(rawLatencies, 0.99), "raw-p99-ms")
	b.ReportMetric(rate/rawRate, "raw-frac")
	if len(notices) > 0 {
		b.ReportMetric(percentileMS(notices, 0.50), "notice-p50-ms")
		b.ReportMetric(percentileMS(notices, 0.95), "notice-p95-ms")
		b.ReportMetric(noticeRate, "notice/s")
	}
	b.Logf("raw: %.0f/s, p99 %.1f ms; HTTP is %.2f of raw", rawRate, percentileMS(rawLatencies, 0.99), rate/rawRate)
}

// benchClass is one teacher and the group they teach.
type benchClass struct {
	teacher, principal, group string
	pupils                    []string
}

// benchClasses imports n teachers of school A, each teaching a group of classSize pupils, each
// pupil enrolled at the school with one custodial guardian. Every id is new, so the pupils'
// absence days are the run's own; the principal names are bench-larare-<n>, outside the demo's.
func benchClasses(b *testing.B, s *stack, n int) []benchClass {
	b.Helper()
	school, start := demo.OrgID("a"), "2020-08-01"
	year := 7
	d := &register.Document{}
	classes := make([]benchClass, n)
	for t := range classes {
		c := benchClass{teacher: uuid.NewString(), principal: fmt.Sprintf("bench-larare-%d@%s", t, demo.UserDomain),
			group: uuid.NewString()}
		duty := uuid.NewString()
		d.Persons = append(d.Persons, register.Person{ID: c.teacher, GivenName: "Lärare", FamilyName: fmt.Sprintf("Bänk %d", t),
			SecurityMarking: "Ingen", EduPersonPrincipalNames: []string{c.principal}})
		d.Duties = append(d.Duties, register.Duty{ID: duty, Person: c.teacher, DutyAt: school, DutyRole: "Lärare", StartDate: start})
		d.Groups = append(d.Groups, register.Group{ID: c.group, DisplayName: fmt.Sprintf("Bänk %d", t), GroupType: "Undervisning",
			SchoolType: ptr("GR"), Organisation: school, StartDate: start})
		d.GroupAssignments = append(d.GroupAssignments, register.GroupAssignment{Group: c.group, Duty: duty,
			AssignmentRole: "Lärare", StartDate: start})
		for p := range classSize {
			pupil, guardian := uuid.NewString(), uuid.NewString()
			c.pupils = append(c.pupils, pupil)
			d.Persons = append(d.Persons,
				register.Person{ID: pupil, GivenName: fmt.Sprintf("Elev %d", p), FamilyName: fmt.Sprintf("Bänk %d", t), SecurityMarking: "Ingen"},
				register.Person{ID: guardian, GivenName: fmt.Sprintf("Vårdnadshavare %d", p), FamilyName: fmt.Sprintf("Bänk %d", t), SecurityMarking: "Ingen"})
			d.Responsibles = append(d.Responsibles, register.Responsible{Person: pupil, Responsible: guardian, RelationType: register.Custody})
			d.Enrolments = append(d.Enrolments, register.Enrolment{ID: uuid.NewString(), Person: pupil, EnroledAt: school,
				SchoolType: "GR", SchoolYear: &year, StartDate: start})
			d.GroupMemberships = append(d.GroupMemberships, register.GroupMembership{Group: c.group, Person: pupil, StartDate: start})
		}
		classes[t] = c
	}
	if _, err := register.Import(context.Background(), s.db, d); err != nil {
		b.Fatalf("importing the benchmark's register: %+v", err)
	}
	return classes
}

// benchLesson is one lesson and the register its teacher takes for it.
type benchLesson struct {
	id     string
	regs   []api.Registration
	body   []byte // the PUT's JSON
	absent string // the absent pupil, or ""
}

// benchLessons imports, as school A's administrator, n lessons that began in the last minutes:
// lesson i is of class i%len(classes). It returns them with their registers.
func benchLessons(b *testing.B, s *stack, classes []benchClass, n int) []benchLesson {
	b.Helper()
	nt := len(classes)
	perClass := (n + nt - 1) / nt
	now := time.Now().Truncate(time.Second)
	lessons := make([]benchLesson, n)
	doc := api.LessonImport{}
	flush := func() {
		var res struct{ Inserted int }
		if r := s.as("admin-a").do("POST", "/api/v1/schools/"+demo.OrgID("a")+"/lessons", doc, &res); r.StatusCode != 200 ||
			res.Inserted != len(doc.Lessons) {
			b.Fatalf("importing %d lessons: %d, %d inserted", len(doc.Lessons), r.StatusCode, res.Inserted)
		}
		doc.Lessons = doc.Lessons[:0]
	}
	for i := range lessons {
		c, k := classes[i%nt], i/nt // the class's k-th lesson
		start := now.Add(-2*time.Minute - time.Duration(k)*10*time.Second)
		l := benchLesson{id: uuid.NewString()}
		// Spread the class's 25 absences over its lessons: one each, or one every few lessons.
		absent := k * classSize / perClass
		if k == 0 || absent != (k-1)*classSize/perClass {
			l.absent = c.pupils[absent]
		}
		late := c.pupils[(absent+1)%classSize]
		for _, p := range c.pupils {
			r := api.Registration{Person: p, Status: "present"}
			switch p {
			case l.absent:
				r.Status = "absent"
			case late:
				r.Status, r.MinutesLate = "late", 5
			}
			l.regs = append(l.regs, r)
		}
		var err error
		if l.body, err = json.Marshal(api.AttendanceInput{Registrations: l.regs}); err != nil {
			b.Fatal(err)
		}
		lessons[i] = l
		doc.Lessons = append(doc.Lessons, api.Lesson{ID: l.id, Group: c.group, Teacher: c.teacher, Start: start, End: start.Add(40 * time.Minute)})
		if len(doc.Lessons) == 500 {
			flush()
		}
	}
	if len(doc.Lessons) > 0 {
		flush()
	}
	return lessons
}

// put takes the lesson's register over HTTP as the teacher whose token is given.
func (l benchLesson) put(client *http.Client, base, token string) error {
	req, err := http.NewRequest("PUT", base+"/api/v1/lessons/"+l.id+"/attendance", bytes.NewReader(l.body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("PUT attendance of lesson %s: %d %s", l.id, res.StatusCode, data)
	}
	return nil
}

// upsert writes the lesson's rows as the handler computes them (40-minute lessons), with the
// handler's statement, batched in one transaction, and nothing else.
func (l benchLesson) upsert(ctx context.Context, s *stack, teacher string) error {
	const length = 40
	batch := &pgx.Batch{}
	for _, r := range l.regs {
		attended, invalid := length, 0
		switch r.Status {
		case "absent":
			attended, invalid = 0, length
		case "late":
			attended, invalid = length-r.MinutesLate, r.MinutesLate
		}
		batch.Queue(`INSERT INTO attendance (lesson_id, person_id, status, attended_minutes, valid_absence_minutes,
			  invalid_absence_minutes, registered_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (lesson_id, person_id) DO UPDATE SET status = EXCLUDED.status,
			  attended_minutes = EXCLUDED.attended_minutes, valid_absence_minutes = EXCLUDED.valid_absence_minutes,
			  invalid_absence_minutes = EXCLUDED.invalid_absence_minutes, registered_by = EXCLUDED.registered_by,
			  registered_at = now()`,
			l.id, r.Person, r.Status, attended, 0, invalid, teacher)
	}
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error { return tx.SendBatch(ctx, batch).Close() })
}

// benchRun runs, on one goroutine per worker at once, op(w, i) for every i of work[w], and
// returns the wall time and each op's latency by i. It stops at the first error.
func benchRun(work [][]int, op func(w, i int) error) (time.Duration, []time.Duration, error) {
	n := 0
	for _, w := range work {
		n += len(w)
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

// noticeLatencies waits for each absent pupil's guardian's notification, and answers the time
// from the attendance row to the notification row, sorted, and the notices stored per second
// from the first absence registered to the last notification.
func noticeLatencies(b *testing.B, s *stack, lessons []benchLesson, want int) ([]time.Duration, float64) {
	b.Helper()
	ctx := context.Background()
	ids := lessonIDs(lessons)
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
