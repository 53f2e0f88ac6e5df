package integration

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/workflows"
)

// users is how many people act at once in the round-trip benchmarks.
var users = flag.Int("users", 20, "concurrent users in the round-trip benchmarks")

// BenchmarkTaskCompletion measures the task-completion round trip a person waits for: HTTP, then
// sign-in and authorization, then the Update, the workflow and its activity, then the response.
// Each operation completes a different open task: a decision about a pupil of a school in the
// seeded register of -scale, given to one person by name. -users (20) people complete at once,
// each signed in as themselves: the principals of the register's schools first, then teachers,
// each completing their own tasks.
//
// The baseline, in the same run and alternating with it (alternate: four rounds, each side first
// in two), is a bare Update
// round trip from the client to a workflow that answers at once, with as many callers, each to a
// workflow of their own. Outcomes are checked: every task is completed, by its person, with the
// decision sent, and every Update answers what it was sent. It reports p50, p95 and p99 of each,
// their rates, and the ratio of the rates (the goal is at least 0.8).
//
//	make bench BENCH=TaskCompletion SCALE=district
func BenchmarkTaskCompletion(b *testing.B) {
	ctx := context.Background()
	s := newStack(b, func(c *stackConfig) {
		c.seeded = true
		c.workflows = []any{echo}
	})
	type person struct{ id, school, pupil, token string }
	rows, err := s.db.Query(ctx, `SELECT d.person_id::text, d.duty_at::text, p.pupil, pn.principal_name
		FROM duties d JOIN person_principal_names pn ON pn.person_id = d.person_id
		CROSS JOIN LATERAL (SELECT person_id::text AS pupil FROM enrolments e WHERE e.enroled_at = d.duty_at LIMIT 1) p
		WHERE d.duty_role IN ('Rektor', 'Lärare')
		ORDER BY d.duty_role = 'Rektor' DESC, md5(d.person_id::text || d.duty_at::text) LIMIT $1`, *users)
	if err != nil {
		b.Fatal(err)
	}
	var people []person
	var name string
	var p person
	if _, err := pgx.ForEachRow(rows, []any{&p.id, &p.school, &p.pupil, &name}, func() error {
		if p.token, _, err = s.issuer.Mint(name); err != nil {
			return err
		}
		people = append(people, p)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	if len(people) < *users {
		b.Fatalf("the %s register has %d principals and teachers with pupils, not %d", *scale, len(people), *users)
	}
	tasks := make([]string, b.N)
	parallel(b, b.N, func(i int) error {
		who := people[i%len(people)]
		_, tasks[i] = startDecision(b, s, workflows.DecisionInput{SchoolID: who.school, PupilID: who.pupil,
			DecidedBy: workflows.Assignee{PersonID: who.id}})
		return nil
	})
	echoes := make([]string, len(people))
	for w := range echoes {
		echoes[w] = fmt.Sprintf("bench-echo-%s-%d", s.queue, w)
		if _, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: echoes[w], TaskQueue: s.queue}, echo); err != nil {
			b.Fatal(err)
		}
	}
	httpClient := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * len(people)}}
	defer httpClient.CloseIdleConnections()
	body, _ := json.Marshal(api.TaskCompletionRequest{Payload: map[string]any{"decision": "granted"}})

	// Operation i is on worker i mod users: the person task i was given to.
	completions, updates := alternate(b, len(people), func(viaHTTP bool, w, i int) error {
		if viaHTTP {
			var out workflows.TaskOutcome
			return apiCall(httpClient, "POST", s.api.URL+"/api/v1/tasks/"+tasks[i]+"/complete", people[w].token, body, &out)
		}
		h, err := s.temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID: echoes[w], UpdateName: "echo", Args: []any{i}, WaitForStage: client.WorkflowUpdateStageCompleted})
		if err != nil {
			return err
		}
		var v int
		if err := h.Get(ctx, &v); err != nil {
			return err
		}
		if v != i {
			return fmt.Errorf("the echo answered %d to %d", v, i)
		}
		return nil
	})
	var done int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM tasks WHERE id = ANY($1::uuid[]) AND state = 'completed'
		AND completed_by = assignee_id AND result->>'decision' = 'granted'`, tasks).Scan(&done); err != nil {
		b.Fatal(err)
	}
	if done != b.N {
		b.Fatalf("%d of %d tasks completed by their person with the decision sent", done, b.N)
	}
	mine, bare := latenciesOf(completions), latenciesOf(updates)
	mine.report(b, "")
	bare.report(b, "update-")
	b.ReportMetric(mine.rate/bare.rate, "ratio")
	b.Logf("%d people, %d tasks each way: completion %.0f/s, p50 %.1f ms, p99 %.1f ms; bare Update %.0f/s, p50 %.1f ms, p99 %.1f ms; ratio %.2f",
		len(people), b.N, mine.rate, percentileMS(mine.sorted, 0.5), percentileMS(mine.sorted, 0.99),
		bare.rate, percentileMS(bare.sorted, 0.5), percentileMS(bare.sorted, 0.99), mine.rate/bare.rate)
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

// latenciesOf is an alternating phase's round trips, sorted, and its rate over its rounds.
func latenciesOf(p phaseRun) latencies {
	l := slices.Clone(p.Lat)
	slices.Sort(l)
	return latencies{sorted: l, rate: float64(len(l)) / p.Elapsed.Seconds()}
}

// report reports the percentiles and the rate, their names prefixed.
func (l latencies) report(b *testing.B, prefix string) {
	at := func(p float64) float64 { return percentileMS(l.sorted, p) }
	b.ReportMetric(at(0.50), prefix+"p50-ms")
	b.ReportMetric(at(0.95), prefix+"p95-ms")
	b.ReportMetric(at(0.99), prefix+"p99-ms")
	b.ReportMetric(l.rate, prefix+"per-s")
}
