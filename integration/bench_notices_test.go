package integration

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/workflows"
)

// BenchmarkAbsenceNotices measures how many absence days a second the worker and the Temporal
// server carry from a missed lesson to the guardian's stored notification: b.N pupils, each with
// one custodial guardian, miss a lesson at once (16 callers signal-with-start their days, with
// no notice window), and the clock stops when the last notification row is stored.
//
// In the same run, on the same server, worker and database, the limit: b.N bare workflows that
// each run one activity writing one row. It reports notices/s, bare/s and their ratio.
//
//	make bench BENCH=AbsenceNotices BENCHTIME=1000x
func BenchmarkAbsenceNotices(b *testing.B) {
	ctx := context.Background()
	var db *pgxpool.Pool // the stack's, once it is made; no workflow runs before
	s := newStack(b, func(c *stackConfig) {
		c.workflows = []any{bareOneActivity}
		c.activities = map[string]any{"BareWrite": func(ctx context.Context, key string) error {
			_, err := db.Exec(ctx, `INSERT INTO bench_rows (key) VALUES ($1) ON CONFLICT DO NOTHING`, key)
			return err
		}}
	})
	db = s.db
	if _, err := s.db.Exec(ctx, `CREATE TABLE bench_rows (key text PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())`); err != nil {
		b.Fatal(err)
	}
	var pupils []string
	for _, c := range benchClasses(b, s, (b.N+classSize-1)/classSize) {
		pupils = append(pupils, c.pupils...)
	}
	pupils = pupils[:b.N]
	day := time.Now().In(register.SchoolDay).Format(time.DateOnly)
	lesson := "00000000-0000-4000-8000-" + fmt.Sprintf("%012x", time.Now().UnixNano()&0xffffffffffff)

	b.ResetTimer()
	start := time.Now()
	parallel(b, len(pupils), func(i int) error {
		in := workflows.AbsenceDayInput{StudentID: pupils[i], Day: day, DayLength: time.Minute, DeliveryDeadline: time.Minute,
			TaskDue: time.Hour, ReachBy: time.Hour}
		_, err := workflows.ReportLessonMissed(ctx, s.temporal, s.queue, in, workflows.LessonMissed{LessonID: lesson})
		return err
	})
	waitRows(b, s, `SELECT count(*) FROM notifications WHERE purpose = 'absence.notice' AND recipient_id IN
		(SELECT responsible_id FROM responsibles WHERE person_id = ANY($1::uuid[]))`, pupils, b.N)
	notices := time.Since(start)
	b.StopTimer()

	keys := make([]string, b.N)
	start = time.Now()
	parallel(b, b.N, func(i int) error {
		keys[i] = fmt.Sprintf("bare-%s-%d", s.queue, i)
		_, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: keys[i], TaskQueue: s.queue}, bareOneActivity, keys[i])
		return err
	})
	waitRows(b, s, `SELECT count(*) FROM bench_rows WHERE key = ANY($1)`, keys, b.N)
	bare := time.Since(start)

	noticeRate, bareRate := float64(b.N)/notices.Seconds(), float64(b.N)/bare.Seconds()
	b.ReportMetric(noticeRate, "notices/s")
	b.ReportMetric(bareRate, "bare/s")
	b.ReportMetric(noticeRate/bareRate, "ratio")
	b.Logf("%d absence days to stored notices in %v (%.1f/s); %d one-activity workflows in %v (%.1f/s)",
		b.N, notices.Round(time.Millisecond), noticeRate, b.N, bare.Round(time.Millisecond), bareRate)
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

// waitRows waits until query, given ids, counts want rows; it fails b after ten minutes.
func waitRows(b *testing.B, s *stack, query string, ids []string, want int) {
	b.Helper()
	deadline := time.Now().Add(10 * time.Minute)
	for {
		var n int
		if err := s.db.QueryRow(context.Background(), query, ids).Scan(&n); err != nil {
			b.Fatal(err)
		}
		if n >= want {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d rows after ten minutes", n, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
