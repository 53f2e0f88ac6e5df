package integration

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/register"
)

// BenchmarkAbsenceNotices measures how many absence days a second the worker and the Temporal
// server carry from a missed lesson to the guardians' stored notifications: b.N pupils of the
// seeded register of -scale, none absent earlier today in this process, miss a lesson (16
// callers signal-with-start their days, with no notice window), and a phase's clock stops at the
// last custodial guardian's notification row (those who chose email are sent one too).
//
// The baseline, on the same server, worker and database: bare workflows that each run one local
// activity writing the same row an absence day writes first, its notice (the worker's own
// StoreAbsenceNotice), with as many callers. The two alternate in four rounds of a quarter each
// (AB BA AB BA), and each phase waits until every process it started has closed (a day closes once
// its deliveries are done) before the next begins: no phase's leftover work falls on another.
//
// Outcomes are checked: every custodial guardian of every absent pupil has exactly one notice,
// and every bare workflow its row. It reports days/s (absence days told a second), notices/s
// (notifications stored a second), bare/s, and the ratio of days/s to bare/s.
//
//	make bench BENCH=AbsenceNotices BENCHTIME=1000x SCALE=district
func BenchmarkAbsenceNotices(b *testing.B) {
	ctx := context.Background()
	s := newStack(b, func(c *stackConfig) {
		c.seeded = true
		c.workflows = []any{bareNotice}
	})
	pupils := unclaimedPupils(b, s, b.N)
	day := time.Now().In(register.SchoolDay).Format(time.DateOnly)
	lesson := "00000000-0000-4000-8000-" + fmt.Sprintf("%012x", time.Now().UnixNano()&0xffffffffffff)
	bareIDs := make([]string, b.N)
	for i := range bareIDs {
		bareIDs[i] = fmt.Sprintf("bench-bare:%s:%d", s.queue, i)
	}

	var days, bare time.Duration
	var notices int
	dayPhase := func(quarter []int) {
		ps, ids := make([]string, len(quarter)), make([]string, len(quarter))
		for k, i := range quarter {
			ps[k], ids[k] = pupils[i], absence.AbsenceDayID(pupils[i], day)
		}
		start := time.Now()
		parallel(b, len(ps), func(k int) error {
			in := absence.AbsenceDayInput{StudentID: ps[k], Day: day, DayLength: time.Millisecond, DeliveryDeadline: time.Minute,
				TaskDue: time.Hour, ReachBy: time.Hour}
			_, err := absence.ReportLessonMissed(ctx, s.temporal, s.queue, in, absence.LessonMissed{LessonID: lesson})
			return err
		})
		n, _, last := noticesOf(b, s, ps, day)
		days += last.Sub(start) // to the last notice's row, not to the poll that saw it
		notices += n
		closeAll(b, s, ids)
	}
	barePhase := func(quarter []int) {
		ids := make([]string, len(quarter))
		start := time.Now()
		parallel(b, len(quarter), func(k int) error {
			i := quarter[k]
			ids[k] = bareIDs[i]
			notice := absence.AbsenceNotice{ProcessID: bareIDs[i], Sequence: 1, StudentID: pupils[i], Day: day, LessonIDs: []string{lesson}}
			_, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: bareIDs[i], TaskQueue: s.queue}, bareNotice, notice)
			return err
		})
		const rows = `FROM absence_notices JOIN unnest($1::text[]) AS k(id) ON process_id = k.id`
		waitRows(b, s, `SELECT count(*) `+rows, ids, len(ids))
		var done time.Time
		if err := s.db.QueryRow(ctx, `SELECT max(created_at) `+rows, ids).Scan(&done); err != nil {
			b.Fatal(err)
		}
		bare += done.Sub(start)
		closeAll(b, s, ids)
	}
	b.ResetTimer()
	for r := range 4 {
		var quarter []int
		for i := r * b.N / 4; i < (r+1)*b.N/4; i++ {
			quarter = append(quarter, i)
		}
		if len(quarter) == 0 {
			continue
		}
		if r%2 == 0 {
			dayPhase(quarter)
			barePhase(quarter)
		} else {
			barePhase(quarter)
			dayPhase(quarter)
		}
	}
	b.StopTimer()

	// Exactly one notice for each custodial guardian of each pupil, and one row for each bare
	// workflow: a duplicate is as wrong as a gap.
	dayIDs := make([]string, b.N)
	for i, p := range pupils {
		dayIDs[i] = absence.AbsenceDayID(p, day)
	}
	var told, distinct, bareRows int
	if err := s.db.QueryRow(ctx, `SELECT count(*), count(DISTINCT (process_id, recipient_id)) FROM notifications
		JOIN unnest($1::text[]) AS d(id) ON process_id = d.id WHERE purpose = 'absence.notice'`, dayIDs).Scan(&told, &distinct); err != nil {
		b.Fatal(err)
	}
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM absence_notices JOIN unnest($1::text[]) AS k(id) ON process_id = k.id`,
		bareIDs).Scan(&bareRows); err != nil {
		b.Fatal(err)
	}
	if told != notices || distinct != notices || bareRows != b.N {
		b.Fatalf("%d notices (%d guardians told), want one for each of %d custodial guardians; %d bare rows, want %d",
			told, distinct, notices, bareRows, b.N)
	}

	dayRate, bareRate := float64(b.N)/days.Seconds(), float64(b.N)/bare.Seconds()
	b.ReportMetric(dayRate, "days/s")
	b.ReportMetric(float64(notices)/days.Seconds(), "notices/s")
	b.ReportMetric(bareRate, "bare/s")
	b.ReportMetric(dayRate/bareRate, "ratio")
	b.Logf("%d absence days to %d stored notices in %v (%.1f days/s); %d one-local-activity workflows in %v (%.1f/s)",
		b.N, notices, days.Round(time.Millisecond), dayRate, b.N, bare.Round(time.Millisecond), bareRate)
}

// closeAll waits until every process of ids has closed, and fails b unless each completed.
func closeAll(b *testing.B, s *stack, ids []string) {
	b.Helper()
	parallel(b, len(ids), func(k int) error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		return s.temporal.GetWorkflow(ctx, ids[k], "").Get(ctx, nil)
	})
}

// unclaimedPupils answers n pupils of the seeded register, drawn in a fixed order, who were not
// absent earlier today in this process, and claims them (absentToday).
func unclaimedPupils(b *testing.B, s *stack, n int) []string {
	b.Helper()
	rows, err := s.db.Query(context.Background(), `SELECT DISTINCT person_id::text, md5(person_id::text) FROM enrolments ORDER BY 2`)
	if err != nil {
		b.Fatal(err)
	}
	var pupils []string
	var p, hash string
	if _, err := pgx.ForEachRow(rows, []any{&p, &hash}, func() error {
		if len(pupils) < n && claimAbsent(p) {
			pupils = append(pupils, p)
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	if len(pupils) < n {
		b.Fatalf("the %s register has %d pupils not absent earlier today, not %d: choose a larger -scale or a smaller -benchtime",
			*scale, len(pupils), n)
	}
	return pupils
}

// bareNotice is the limit an absence day is measured against: a workflow that writes the row an
// absence day writes first, its notice, with the same local activity.
func bareNotice(ctx workflow.Context, n absence.AbsenceNotice) error {
	_, err := absence.StoreAbsenceNoticeActivity.Local(ctx, n)
	return err
}

// parallel runs op(0..n-1) on 16 goroutines and fails b at the first error.
func parallel(b *testing.B, n int, op func(i int) error) {
	b.Helper()
	work := make([][]int, 16)
	for i := range n {
		work[i%16] = append(work[i%16], i)
	}
	if _, _, err := benchRun(work, func(_, i int) error { return op(i) }); err != nil {
		b.Fatal(err)
	}
}

// waitRows waits until query, given ids, counts want rows, as long as rows keep coming: it fails
// b when none has come for two minutes (a whole city's morning is a backlog of many minutes). It
// asks five times a second: the polling is the benchmark's own load on PostgreSQL (at 50 a second
// it was 3-4 % of the machine, in a profile), and the benchmarks take their end from the rows'
// timestamps, not from the poll that saw them.
func waitRows(b *testing.B, s *stack, query string, ids []string, want int) {
	b.Helper()
	const stall = 2 * time.Minute
	seen, progress := -1, time.Now()
	for {
		var n int
		if err := s.db.QueryRow(context.Background(), query, ids).Scan(&n); err != nil {
			b.Fatal(err)
		}
		if n >= want {
			return
		}
		if n > seen {
			seen, progress = n, time.Now()
		} else if time.Since(progress) > stall {
			b.Fatalf("%d of %d rows, and none for %v", n, want, stall)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
