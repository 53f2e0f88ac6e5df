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
// Each operation completes a different open task; -users (20) complete at once. It reports p50,
// p95 and p99 per round trip.
//
//	make bench BENCH=TaskCompletion
func BenchmarkTaskCompletion(b *testing.B) {
	s := newStack(b)
	tasks := make([]string, b.N)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := range tasks {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			_, tasks[i] = startDecision(b, s, workflows.DecisionInput{})
		})
	}
	wg.Wait()
	token := s.as("rektor-a").token
	var next atomic.Int64
	measure(b, func() error {
		task := tasks[next.Add(1)-1]
		c := &stack{t: b, api: s.api, token: token}
		var out workflows.TaskOutcome
		if r := c.do("POST", "/api/v1/tasks/"+task+"/complete",
			api.TaskCompletionRequest{Payload: map[string]any{"decision": "granted"}}, &out); r.StatusCode != 200 {
			return fmt.Errorf("status %d", r.StatusCode)
		}
		return nil
	})
}

// BenchmarkBareUpdate is the limit to compare with: an Update round trip to a workflow that
// answers at once, on the same server, from the client, with -users callers.
func BenchmarkBareUpdate(b *testing.B) {
	s := newStack(b, func(c *stackConfig) { c.workflows = []any{echo} })
	ids := make([]string, *users)
	for i := range ids {
		ids[i] = fmt.Sprintf("bench-echo-%d-%d", time.Now().UnixNano(), i)
		if _, err := s.temporal.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: ids[i], TaskQueue: s.queue}, echo); err != nil {
			b.Fatal(err)
		}
	}
	var next atomic.Int64
	measure(b, func() error {
		id := ids[next.Add(1)%int64(*users)]
		h, err := s.temporal.UpdateWorkflow(context.Background(), client.UpdateWorkflowOptions{
			WorkflowID: id, UpdateName: "echo", Args: []any{1}, WaitForStage: client.WorkflowUpdateStageCompleted})
		if err != nil {
			return err
		}
		var v int
		return h.Get(context.Background(), &v)
	})
}

// echo answers every Update at once, until cancelled.
func echo(ctx workflow.Context) error {
	if err := workflow.SetUpdateHandler(ctx, "echo", func(ctx workflow.Context, v int) (int, error) { return v, nil }); err != nil {
		return err
	}
	return workflow.Await(ctx, func() bool { return false })
}

// measure runs op b.N times over *users goroutines and reports latency percentiles.
func measure(b *testing.B, op func() error) {
	latencies := make([]time.Duration, b.N)
	var next atomic.Int64
	b.ResetTimer()
	var wg sync.WaitGroup
	for range *users {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				start := time.Now()
				if err := op(); err != nil {
					b.Error(err)
					return
				}
				latencies[i] = time.Since(start)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(latencies)
	at := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
