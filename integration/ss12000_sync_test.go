package integration

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/app"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/internal/pgtest"
	"github.com/skolflow/skolflow/ss12000"
)

// failing fails every request whose path contains fail, as a source that breaks half-way would.
type failing struct {
	next http.RoundTripper
	fail string
}

func (f failing) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.fail != "" && strings.Contains(r.URL.Path, f.fail) {
		return nil, errors.New("the source went away")
	}
	return f.next.RoundTrip(r)
}

// sameRegister fails t unless the synced register holds as many rows of each synced table as
// its source.
func sameRegister(t *testing.T, what string, src, synced *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	for _, table := range []string{"organisations", "persons", "responsibles", "enrolments", "duties", "groups",
		"group_memberships", "placements", "syllabuses", "activities", "activity_groups", "activity_teachers"} {
		var a, b int
		if err := src.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&a); err != nil {
			t.Fatal(err)
		}
		if err := synced.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&b); err != nil {
			t.Fatal(err)
		}
		if a != b {
			t.Errorf("%s: the source has %d %s, the synced register %d", what, a, table, b)
		}
	}
}

// syncSource is a stack whose SS 12000 server the sync reads, as the learning platform's client:
// granted everything, protected persons too, for what the sync cannot see would go.
func syncSource(t *testing.T) *stack {
	src := newStack(t)
	platform := demo.Clients()[1]
	platform.Protected = true
	if err := ss12000.RegisterClient(context.Background(), src.db, platform); err != nil {
		t.Fatal(err)
	}
	return src
}

// A register synced from another Skolflow's SS 12000 server, in its own database: the first run
// reads everything; a change, a deletion and a protection added at the source reach it on the
// next run, which reads only what changed; a source that fails half-way writes nothing, and the
// run after it completes.
func TestSS12000SyncKeepsARegisterInStep(t *testing.T) {
	src, target := syncSource(t), pgtest.New(t)
	ctx := context.Background()
	// A syllabus no activity holds on to, which the source will delete and make again.
	gymnasiearbete := uuid.NewString()
	if _, err := src.db.Exec(ctx, `INSERT INTO syllabuses (id, school_type, subject_code, subject_name, course_code)
		VALUES ($1, 'GY', 'GYAR', 'Gymnasiearbete', 'GYARNAT')`, gymnasiearbete); err != nil {
		t.Fatal(err)
	}
	source := ss12000.NewSource(ctx, src.api.URL+api.StandardPrefix, src.api.URL+"/dev/oidc/token", "larplattform", demo.ClientSecret)
	same := func(what string) { t.Helper(); sameRegister(t, what, src.db, target) }
	first, err := source.Run(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Full || first.Read < 50 || !first.Changed {
		t.Fatalf("the first run: %+v", first)
	}
	same("after the first run")
	var marking, family string
	if err := target.QueryRow(ctx, `SELECT security_marking FROM persons WHERE id = $1`, src.id("elev-3")).Scan(&marking); err != nil {
		t.Fatal(err)
	}
	if marking != "Skyddad folkbokföring" {
		t.Fatalf("the protected pupil synced as %q", marking)
	}

	// A change, a deletion and a protection added at the source.
	for _, sql := range []string{
		`UPDATE persons SET family_name = 'Synkesson' WHERE id = '` + src.id("elev-1") + `'`,
		`DELETE FROM placements WHERE child_id = '` + src.id("barn-1") + `'`,
		`UPDATE persons SET security_marking = 'Skyddad folkbokföring' WHERE id = '` + src.id("elev-2") + `'`,
		`DELETE FROM group_memberships WHERE person_id = '` + src.id("elev-2") + `' AND group_id = '` + demo.GroupID("7b") + `'`,
		// larare-a1 no longer teaches Svenska 7A: no one teaches 7A in an activity any more.
		`DELETE FROM activity_teachers WHERE activity_id = '` + demo.ActivityID("sv7a") + `'`,
		// A syllabus deleted and made again since: it stays.
		`DELETE FROM syllabuses WHERE id = '` + gymnasiearbete + `'`,
		`INSERT INTO syllabuses (id, school_type, subject_code, subject_name, course_code) VALUES ('` + gymnasiearbete + `', 'GY', 'GYAR', 'Gymnasiearbete', 'GYARNAT')`,
	} {
		if _, err := src.db.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	var version int64
	if err := target.QueryRow(ctx, `SELECT version FROM register_version`).Scan(&version); err != nil {
		t.Fatal(err)
	}

	// Half-way, the source fails: nothing is written.
	broken := source
	broken.HTTP = &http.Client{Transport: failing{next: source.HTTP.Transport, fail: "/groups"}}
	if _, err := broken.Run(ctx, target); err == nil {
		t.Fatal("a source that failed half-way synced")
	}
	if err := target.QueryRow(ctx, `SELECT family_name FROM persons WHERE id = $1`, src.id("elev-1")).Scan(&family); err != nil {
		t.Fatal(err)
	}
	if family == "Synkesson" {
		t.Fatal("a run that failed half-way wrote the persons it had read")
	}

	next, err := source.Run(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	if next.Full || next.Read >= first.Read || next.Deleted != 1 || !next.Changed {
		t.Fatalf("the next run: %+v, after %+v", next, first)
	}
	same("after a change, a deletion and a protection")
	if err := target.QueryRow(ctx, `SELECT family_name FROM persons WHERE id = $1`, src.id("elev-1")).Scan(&family); err != nil {
		t.Fatal(err)
	}
	if err := target.QueryRow(ctx, `SELECT security_marking FROM persons WHERE id = $1`, src.id("elev-2")).Scan(&marking); err != nil {
		t.Fatal(err)
	}
	var after int64
	if err := target.QueryRow(ctx, `SELECT version FROM register_version`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	// The protection holds on the next request everywhere: the register version moved.
	if family != "Synkesson" || marking != "Skyddad folkbokföring" || after <= version {
		t.Fatalf("synced: family name %q, marking %q, register version %d after %d", family, marking, after, version)
	}
	var teaches, syllabus int
	if err := target.QueryRow(ctx, `SELECT (SELECT count(*) FROM group_assignments WHERE group_id = $1 AND assignment_role = 'Lärare'),
		(SELECT count(*) FROM syllabuses WHERE id = $2)`, demo.GroupID("7a"), gymnasiearbete).Scan(&teaches, &syllabus); err != nil {
		t.Fatal(err)
	}
	if teaches != 0 || syllabus != 1 {
		t.Fatalf("after the sync, 7A has %d teachers by activity (want 0), and the syllabus made again is there %d times (want 1)", teaches, syllabus)
	}
	// Nothing changed since: a run reads little and changes nothing.
	if idle, err := source.Run(ctx, target); err != nil || idle.Changed || idle.Deleted != 0 {
		t.Fatalf("a run with nothing new: %+v, %v", idle, err)
	}
}

// The scheduled sync: a worker whose settings name a source register (SKOLFLOW_SYNC_FROM) creates
// the sync's schedule at start, and its runs (SyncRegister, every SKOLFLOW_SYNC_EVERY) keep the
// register in step with no one running them: the first run loads everything, and a change at
// the source arrives with a later run, which reads from the last run's watermark.
func TestSS12000ScheduledSync(t *testing.T) {
	src, target := syncSource(t), pgtest.New(t)
	ctx := context.Background()
	// The synced platform's worker, on the source's Temporal, with its own queue and database.
	cfg := src.timings.settings("sync-" + randomHex())
	ss12000.SyncFrom.Set(&cfg, src.api.URL+api.StandardPrefix)
	ss12000.SyncTokenURL.Set(&cfg, src.api.URL+"/dev/oidc/token")
	ss12000.SyncClientID.Set(&cfg, "larplattform")
	ss12000.SyncClientSecret.Set(&cfg, demo.ClientSecret)
	ss12000.SyncEvery.Set(&cfg, 2*time.Second)
	log := zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))
	w := app.NewWorkerWith(src.temporal, cfg, app.Activities(cfg, target),
		app.Modules(area.Env{DB: target, Temporal: src.temporal, TaskQueue: cfg.TaskQueue, Log: log, Config: cfg}))
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	if err := app.EnsureSchedules(ctx, src.temporal, cfg); err != nil {
		t.Fatal(err)
	}
	schedule := src.temporal.ScheduleClient().GetHandle(ctx, ss12000.SyncScheduleID)
	t.Cleanup(func() { _ = schedule.Delete(context.Background()) })

	// run waits for the first scheduled run that started after after, and answers its result.
	run := func(after time.Time) ss12000.SyncResult {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		for time.Now().Before(deadline) {
			d, err := schedule.Describe(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range d.Info.RecentActions {
				if a.ActualTime.After(after) && a.StartWorkflowResult != nil {
					var res ss12000.SyncResult
					wf := a.StartWorkflowResult
					if err := src.temporal.GetWorkflow(ctx, wf.WorkflowID, wf.FirstExecutionRunID).Get(ctx, &res); err != nil {
						t.Fatalf("the scheduled run %s: %v", wf.WorkflowID, err)
					}
					return res
				}
			}
			time.Sleep(200 * time.Millisecond)
		}
		t.Fatal("no scheduled run started within a minute")
		return ss12000.SyncResult{}
	}
	first := run(time.Time{})
	if !first.Full || !first.Changed || first.Read < 50 {
		t.Fatalf("the first scheduled run: %+v", first)
	}
	sameRegister(t, "after the first scheduled run", src.db, target)

	if _, err := src.db.Exec(ctx, `UPDATE persons SET family_name = 'Schemasson' WHERE id = $1`, src.id("elev-1")); err != nil {
		t.Fatal(err)
	}
	changed := time.Now() // committed: a run that starts from now reads it
	later := run(changed)
	var family string
	if err := target.QueryRow(ctx, `SELECT family_name FROM persons WHERE id = $1`, src.id("elev-1")).Scan(&family); err != nil {
		t.Fatal(err)
	}
	// The change is in by the first run that started after it (or by one that started earlier
	// and read it: then this run has nothing new).
	if later.Full || family != "Schemasson" {
		t.Fatalf("a scheduled run after a change: %+v; the family name synced is %q", later, family)
	}
}
