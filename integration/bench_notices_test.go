package integration

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/register"
)

// BenchmarkAbsenceNotices measures how many absence days a second the worker and the Temporal
// server carry from a missed lesson to the guardians' stored notifications: b.N pupils of the
// seeded register of -scale, none absent earlier today in this process, miss a lesson at once
// (16 callers signal-with-start their days, with no notice window), and the clock stops when
// every custodial guardian's notification is stored (those who chose email are sent one too).
//
// In the same run, on the same server, worker and database, the limit: b.N bare workflows that
// each run one activity writing one row. It reports days/s (absence days told a second),
// notices/s (notifications stored a second), bare/s, and the ratio of days/s to bare/s.
//
//	make bench BENCH=AbsenceNotices BENCHTIME=1000x SCALE=district
func BenchmarkAbsenceNotices(b *testing.B) {
	ctx := context.Background()
	var db *pgxpool.Pool // the stack's, once it is made; no workflow runs before
	s := newStack(b, func(c *stackConfig) {
		c.seeded = true
		c.workflows = []any{bareOneActivity}
		c.activities = map[string]any{"BareWrite": func(ctx context.Context, key string) error {
			_, err := db.Exec(ctx, `INSERT INTO bench_rows (key) VALUES ($1) ON CONFLICT DO NOTHING`, key)
			return err
		}}
	})
	db = s.db
	if _, err := s.db.Exec(ctx, `CREATE TABLE IF NOT EXISTS bench_rows (key text PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())`); err != nil {
		b.Fatal(err)
	}
	pupils := unclaimedPupils(b, s, b.N)
	day := time.Now().In(register.SchoolDay).Format(time.DateOnly)
	lesson := "00000000-0000-4000-8000-" + fmt.Sprintf("%012x", time.Now().UnixNano()&0xffffffffffff)

	b.ResetTimer()
	start := time.Now()
	parallel(b, len(pupils), func(i int) error {
		in := absence.AbsenceDayInput{StudentID: pupils[i], Day: day, DayLength: time.Minute, DeliveryDeadline: time.Minute,
			TaskDue: time.Hour, ReachBy: time.Hour}
		_, err := absence.ReportLessonMissed(ctx, s.temporal, s.queue, in, absence.LessonMissed{LessonID: lesson})
		return err
	})
	notices, _, last := noticesOf(b, s, pupils, day)
	b.StopTimer()
	elapsed := last.Sub(start) // to the last notice's row, not to the poll that saw it

	keys := make([]string, b.N)
	start = time.Now()
	parallel(b, b.N, func(i int) error {
		keys[i] = fmt.Sprintf("bare-%s-%d", s.queue, i)
		_, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: keys[i], TaskQueue: s.queue}, bareOneActivity, keys[i])
		return err
	})
	const rows = `FROM bench_rows JOIN unnest($1::text[]) AS k(key) USING (key)` // as in noticesOf
	waitRows(b, s, `SELECT count(*) `+rows, keys, b.N)
	var done time.Time
	if err := s.db.QueryRow(ctx, `SELECT max(at) `+rows, keys).Scan(&done); err != nil {
		b.Fatal(err)
	}
	bare := done.Sub(start)

	dayRate, bareRate := float64(b.N)/elapsed.Seconds(), float64(b.N)/bare.Seconds()
	b.ReportMetric(dayRate, "days/s")
	b.ReportMetric(float64(notices)/elapsed.Seconds(), "notices/s")
	b.ReportMetric(bareRate, "bare/s")
	b.ReportMetric(dayRate/bareRate, "ratio")
	b.Logf("%d absence days to %d stored notices in %v (%.1f days/s); %d one-activity workflows in %v (%.1f/s)",
		b.N, notices, elapsed.Round(time.Millisecond), dayRate, b.N, bare.Round(time.Millisecond), bareRate)
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

// bareOneActivity is the limit an absence day is measured against: a workflow that runs one
// activity writing one row.
func bareOneActivity(ctx workflow.Context, key string) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second}})
	return workflow.ExecuteActivity(ctx, "BareWrite", key).Get(ctx, nil)
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
