package integration

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/workflows"
)

// users is how many people act at once in the round-trip benchmarks.
var users = flag.Int("users", 20, "concurrent users in the round-trip benchmarks")

// BenchmarkTaskCompletion measures the task-completion round trip a person waits for: HTTP, then
// sign-in and authorization, then the Update, the workflow and its activity, then the response.
// Each operation completes a different open task: a principal's decision about a pupil of their
// school in the seeded register of -scale. -users (20) complete at once.
//
// In the same run, on the same server, the limit: a bare Update round trip, from the client, to
// a workflow that answers at once, with as many callers. It reports p50, p95 and p99 of each,
// their rates, and the ratio of the rates.
//
//	make bench BENCH=TaskCompletion SCALE=district
func BenchmarkTaskCompletion(b *testing.B) {
	s := newStack(b, func(c *stackConfig) {
		c.seeded = true
		c.workflows = []any{echo}
	})
	var school, pupil, principal string
	if err := s.db.QueryRow(context.Background(), `SELECT e.enroled_at::text, e.person_id::text, pn.principal_name
		FROM enrolments e JOIN duties d ON d.duty_at = e.enroled_at AND d.duty_role = 'Rektor'
		JOIN person_principal_names pn ON pn.person_id = d.person_id
		ORDER BY md5(e.person_id::text) LIMIT 1`).Scan(&school, &pupil, &principal); err != nil {
		b.Fatal(err)
	}
	tasks := make([]string, b.N)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := range tasks {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			_, tasks[i] = startDecision(b, s, workflows.DecisionInput{SchoolID: school, PupilID: pupil})
		})
	}
	wg.Wait()
	token, _, err := s.issuer.Mint(principal)
	if err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	b.ResetTimer()
	completions := measure(b, func() error {
		task := tasks[next.Add(1)-1]
		c := &stack{t: b, api: s.api, token: token}
		var out workflows.TaskOutcome
		if r := c.do("POST", "/api/v1/tasks/"+task+"/complete",
			api.TaskCompletionRequest{Payload: map[string]any{"decision": "granted"}}, &out); r.StatusCode != 200 {
			return fmt.Errorf("status %d", r.StatusCode)
		}
		return nil
	})

	ids := make([]string, *users)
	for i := range ids {
		ids[i] = fmt.Sprintf("bench-echo-%d-%d", time.Now().UnixNano(), i)
		if _, err := s.temporal.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: ids[i], TaskQueue: s.queue}, echo); err != nil {
			b.Fatal(err)
		}
	}
	next.Store(0)
	updates := measure(b, func() error {
		id := ids[next.Add(1)%int64(*users)]
		h, err := s.temporal.UpdateWorkflow(context.Background(), client.UpdateWorkflowOptions{
			WorkflowID: id, UpdateName: "echo", Args: []any{1}, WaitForStage: client.WorkflowUpdateStageCompleted})
		if err != nil {
			return err
		}
		var v int
		return h.Get(context.Background(), &v)
	})
	completions.report(b, "")
	updates.report(b, "update-")
	b.ReportMetric(completions.rate/updates.rate, "ratio")
}

// echo answers every Update at once, until cancelled.
func echo(ctx workflow.Context) error {
	if err := workflow.SetUpdateHandler(ctx, "echo", func(ctx workflow.Context, v int) (int, error) { return v, nil }); err != nil {
		return err
	}
	return workflow.Await(ctx, func() bool { return false })
}

// latencies are one phase's round trips, sorted, and its rate.
type latencies struct {
	sorted []time.Duration
	rate   float64 // operations a second
}

// measure runs op b.N times over *users goroutines and answers the latencies. The benchmark's
// timer runs during it, and only then: a benchmark that measures two phases (its figure and its
// limit) calls b.ResetTimer once after its setup, and b.N, when -benchtime is a duration, is
// sized by both phases together.
func measure(b *testing.B, op func() error) latencies {
	l := make([]time.Duration, b.N)
	var next atomic.Int64
	b.StartTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range *users {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				t0 := time.Now()
				if err := op(); err != nil {
					b.Error(err)
					return
				}
				l[i] = time.Since(t0)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(l)
	return latencies{sorted: l, rate: float64(b.N) / time.Since(start).Seconds()}
}

// report reports the percentiles and the rate, their names prefixed.
func (l latencies) report(b *testing.B, prefix string) {
	at := func(p float64) float64 { return percentileMS(l.sorted, p) }
	b.ReportMetric(at(0.50), prefix+"p50-ms")
	b.ReportMetric(at(0.95), prefix+"p95-ms")
	b.ReportMetric(at(0.99), prefix+"p99-ms")
	b.ReportMetric(l.rate, prefix+"per-s")
}
