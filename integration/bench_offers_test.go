package integration

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"
	"golang.org/x/sync/errgroup"

	"github.com/skolflow/skolflow/enrollment"
	"github.com/skolflow/skolflow/workflows"
)

// BenchmarkOffers measures the publication of the city's placement rounds: every child placed
// is offered its place (enrollment.PublishActivity, as the round's process runs it: the offers
// recorded in one transaction, then one offer process started for each, eight at a time), and
// each offer process registers itself, finds the child's custodial guardians and opens each a
// task to answer, stored in their inbox and told to them (their email and SMS sent to the
// stack's mailbox as well). The clock runs from the publication until every guardian's
// notification of the offer is stored. Each seeded round (year 7, then förskoleklass) is placed
// first, untimed, with a fixed seed, and published once.
//
// In the same run, on each round's same children, the limit: one bare workflow per child,
// started by an activity eight at a time as the offers are, that finds the guardians and tells
// each the same notification (workflows.Notify, with its deliveries) without the offer around it
// (no process record, no task). The phases alternate: the measured one goes first for year 7 and
// last for förskoleklass. Every phase's outcome is checked: one notification per guardian of
// every child placed (and to the officers for a child without one), and one task per answerer.
// It reports offers-s (the year-7 round's guardians all told), notices/s and bare-notices/s over
// both rounds, and the ratio.
//
//	make bench BENCH=Offers BENCHTIME=1x SCALE=city
func BenchmarkOffers(b *testing.B) {
	ctx := context.Background()
	var temporalClient client.Client
	var queue string
	s := newStack(b, func(c *stackConfig) {
		c.seeded = true
		c.workflows = []any{benchPublish, benchBarePublish, bareOffer}
		c.activities = map[string]any{"BarePublish": func(ctx context.Context, p bareRoundPublication) error {
			g, gctx := errgroup.WithContext(ctx)
			g.SetLimit(8) // as enrollment's startOffers
			for _, child := range p.Children {
				g.Go(func() error {
					_, err := temporalClient.ExecuteWorkflow(gctx, client.StartWorkflowOptions{ID: "bare-offer:" + child + ":" + p.Round + ":" + p.Run,
						TaskQueue: queue}, bareOffer, bareOfferInput{Child: child, School: p.Schools[child]})
					return err
				})
			}
			return g.Wait()
		}}
	})
	temporalClient, queue = s.temporal, s.queue
	store := enrollment.Store{DB: s.db}
	var total, bareTotal offerPhase
	var year7 time.Duration
	for i, name := range []string{"Skolval åk 7", "Skolval förskoleklass"} {
		var round string
		if err := s.db.QueryRow(ctx, `SELECT id::text FROM enrollment_rounds WHERE name = $1`, name).Scan(&round); err != nil {
			b.Fatal(err)
		}
		// Untimed: the round placed, and no offers of an earlier run.
		if _, err := s.db.Exec(ctx, `DELETE FROM offers WHERE round_id = $1`, round); err != nil {
			b.Fatal(err)
		}
		if _, err := store.Place(ctx, round, 1); err != nil {
			b.Fatal(err)
		}
		want := expectedOfferNotices(b, s, round)
		measured := func() offerPhase { return publishOffers(b, s, round, want) }
		bare := func() offerPhase { return publishBareOffers(b, s, round, want, fmt.Sprint(i)) }
		var m, base offerPhase
		if i%2 == 0 {
			m, base = measured(), bare()
		} else {
			base, m = bare(), measured()
		}
		b.Logf("%s: %d children placed, %d notices: offers all told in %v (%.0f/s); bare in %v (%.0f/s)",
			name, want.children, want.notices, m.told.Round(time.Millisecond), m.rate(), base.told.Round(time.Millisecond), base.rate())
		if i == 0 {
			year7 = m.told
		}
		total.add(m)
		bareTotal.add(base)
	}
	b.ReportMetric(year7.Seconds(), "offers-s")
	b.ReportMetric(total.rate(), "notices/s")
	b.ReportMetric(bareTotal.rate(), "bare-notices/s")
	b.ReportMetric(total.rate()/bareTotal.rate(), "ratio")
}

// offerPhase is one phase's publication: the notices stored and the time until the last was.
type offerPhase struct {
	children, notices, tasks int
	told                     time.Duration
}

func (p offerPhase) rate() float64 { return float64(p.notices) / p.told.Seconds() }

func (p *offerPhase) add(q offerPhase) {
	p.children, p.notices, p.told = p.children+q.children, p.notices+q.notices, p.told+q.told
}

// expectedOfferNotices counts what publishing the placed round tells: each custodial guardian of
// each child placed at a school, or the organiser's officers for a child without one, and the
// tasks: one per guardian, or one for the officers.
func expectedOfferNotices(b *testing.B, s *stack, round string) offerPhase {
	b.Helper()
	var p offerPhase
	if err := s.db.QueryRow(context.Background(), `WITH placed AS (
		  SELECT p.child_id, (SELECT count(*) FROM responsibles r WHERE r.person_id = p.child_id AND r.relation_type = 'Vårdnadshavare'
		    AND r.start_date <= current_date AND (r.end_date IS NULL OR r.end_date >= current_date)) AS guardians
		  FROM round_placements p WHERE p.round_id = $1 AND p.school_id IS NOT NULL),
		officers AS (SELECT count(DISTINCT d.person_id) AS n FROM duties d JOIN enrollment_rounds r ON r.organiser_id = d.duty_at
		  WHERE r.id = $1 AND d.duty_role = 'Övrig arbetsledning' AND d.start_date <= current_date AND (d.end_date IS NULL OR d.end_date >= current_date))
		SELECT count(*), coalesce(sum(CASE WHEN guardians > 0 THEN guardians ELSE (SELECT n FROM officers) END), 0),
		  coalesce(sum(greatest(guardians, 1)), 0) FROM placed`, round).Scan(&p.children, &p.notices, &p.tasks); err != nil {
		b.Fatal(err)
	}
	if p.children == 0 {
		b.Fatal("the seeded round placed no child")
	}
	if p.notices != p.tasks {
		b.Fatal("a child placed has no custodial guardian: the bare side tells guardians alone")
	}
	return p
}

// noticesSince counts the notifications of the processes whose ids match $1[1] stored from $1[2].
const noticesSince = `FROM notifications WHERE process_id LIKE ($1::text[])[1] AND purpose = 'task.assigned'
	AND created_at >= ($1::text[])[2]::timestamptz`

// publishOffers publishes the round as its process does and waits for every notice.
func publishOffers(b *testing.B, s *stack, round string, want offerPhase) offerPhase {
	b.Helper()
	ctx := context.Background()
	got, start := timePhase(b, s, "offer:%:"+round, want, func() error {
		_, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "bench-publish:" + round, TaskQueue: s.queue}, benchPublish, round)
		return err
	})
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM tasks WHERE kind = $2 AND process_id LIKE $1 AND created_at >= $3`,
		"offer:%:"+round, enrollment.KindAnswer, start).Scan(&got.tasks); err != nil {
		b.Fatal(err)
	}
	if got.tasks != want.tasks {
		b.Fatalf("the offers opened %d tasks, want %d", got.tasks, want.tasks)
	}
	return got
}

// timePhase runs a phase: from now, as the database's clock says, it starts the publication and
// waits for every notice of the processes whose ids match like, and answers the phase and its
// start. A phase that told more or fewer than want fails.
func timePhase(b *testing.B, s *stack, like string, want offerPhase, publish func() error) (offerPhase, time.Time) {
	b.Helper()
	ctx := context.Background()
	var start time.Time
	if err := s.db.QueryRow(ctx, `SELECT now()`).Scan(&start); err != nil {
		b.Fatal(err)
	}
	args := []string{like, start.Format(time.RFC3339Nano)}
	b.StartTimer()
	if err := publish(); err != nil {
		b.Fatal(err)
	}
	waitRows(b, s, `SELECT count(*) `+noticesSince, args, want.notices)
	b.StopTimer()
	got := offerPhase{children: want.children}
	var last time.Time
	if err := s.db.QueryRow(ctx, `SELECT count(*), max(created_at) `+noticesSince, args).Scan(&got.notices, &last); err != nil {
		b.Fatal(err)
	}
	if got.notices != want.notices {
		b.Fatalf("%s told %d, want %d", like, got.notices, want.notices)
	}
	got.told = last.Sub(start)
	return got, start
}

// publishBareOffers tells the same guardians the same notice by bare workflows, and waits for them.
func publishBareOffers(b *testing.B, s *stack, round string, want offerPhase, run string) offerPhase {
	b.Helper()
	ctx := context.Background()
	p := bareRoundPublication{Round: round, Run: run, Schools: map[string]string{}}
	rows, err := s.db.Query(ctx, `SELECT child_id::text, school_id::text FROM round_placements WHERE round_id = $1 AND school_id IS NOT NULL
		ORDER BY child_id`, round)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var child, school string
		if err := rows.Scan(&child, &school); err != nil {
			b.Fatal(err)
		}
		p.Children, p.Schools[child] = append(p.Children, child), school
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	got, _ := timePhase(b, s, "bare-offer:%:"+round+":"+run, want, func() error {
		_, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "bench-bare-publish:" + round + ":" + run, TaskQueue: s.queue},
			benchBarePublish, p)
		return err
	})
	return got
}

// benchPublish publishes a placed round's offers as its process does: PublishActivity, on the
// process's activity options.
func benchPublish(ctx workflow.Context, round string) (int, error) {
	ao := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 10 * time.Minute})
	return enrollment.PublishActivity.Start(ao, enrollment.RoundPublication{RoundID: round, AnswerDue: time.Hour,
		DeliveryDeadline: time.Minute}).Result(ctx)
}

// bareRoundPublication is the bare side's publication: the round's placed children and their schools.
type bareRoundPublication struct {
	Round, Run string
	Children   []string
	Schools    map[string]string
}

// benchBarePublish starts the bare workflows from an activity, as PublishActivity starts the offers.
func benchBarePublish(ctx workflow.Context, p bareRoundPublication) error {
	ao := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 10 * time.Minute})
	return workflow.ExecuteActivity(ao, "BarePublish", p).Get(ctx, nil)
}

// bareOfferInput is a bare offer: the child and the school.
type bareOfferInput struct{ Child, School string }

// bareOffer is the limit an offer process is measured against: the child's guardians, and each
// told the notification an offer's task tells (workflows.Notify, its deliveries beside), without
// the offer around it. A child without guardians tells the organiser's officers, as the offer's
// role task does; the seeded register has none.
func bareOffer(ctx workflow.Context, in bareOfferInput) error {
	guardians, err := enrollment.GuardiansActivity.Local(ctx, in.Child)
	if err != nil {
		return err
	}
	id := workflow.GetInfo(ctx).WorkflowExecution.ID
	due := workflow.Now(ctx).Add(time.Hour).Format(time.RFC3339)
	var sending workflows.Beside
	for _, g := range guardians {
		req := workflows.NotifyRequest{ProcessID: id, Recipient: g, Purpose: "task.assigned", Occasion: id + "#" + g,
			Params: map[string]string{"kind": enrollment.KindAnswer, "pupil": in.Child, "school": in.School, "dueAt": due}}
		sending.Go(ctx, func(ctx workflow.Context) { _, _ = workflows.Notify(ctx, req, time.Minute) })
	}
	return workflows.Finish(ctx, sending.Idle)
}
