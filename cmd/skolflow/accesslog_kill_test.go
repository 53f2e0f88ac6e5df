package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/auth"
	"github.com/skolflow/skolflow/internal/demo"
)

// The access log keeps up without losing a row: an API process killed (SIGKILL) while a batch
// of access-log rows is being written has sent no response whose row is missing. Teachers read
// a pupil at once, 16 at a time, each request with an id of its own; the test holds the log's
// table locked so that a batch is caught mid-write (it waits on the lock in PostgreSQL, which is
// the barrier), kills the process there, and, with the batch still uncommitted, finds the row of
// every response that reached a client.
func TestAnAPIKilledMidBatchSentNoResponseWithoutItsRow(t *testing.T) {
	ctx := context.Background()
	temporal, dbURL, db := demoPlatform(t)

	// An issuer of the API's own, as production has: discovery and keys over HTTP.
	mux := http.NewServeMux()
	issuerSrv := httptest.NewServer(mux)
	defer issuerSrv.Close()
	issuer, err := auth.NewDevIssuer(issuerSrv.URL, "skolflow", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(issuer.Discovery())
	})
	mux.HandleFunc("/jwks.json", func(w http.ResponseWriter, _ *http.Request) { _ = json.NewEncoder(w).Encode(issuer.JWKS()) })
	token, _, err := issuer.Mint("larare-a1@" + demo.UserDomain)
	if err != nil {
		t.Fatal(err)
	}

	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	api := exec.Command(binary, "api")
	api.Env = append(baseEnv(), "DATABASE_URL="+dbURL, "TEMPORAL_ADDRESS="+temporal.FrontendHostPort(),
		"SKOLFLOW_OIDC_ISSUER="+issuerSrv.URL, "SKOLFLOW_HTTP_ADDR="+addr, "SKOLFLOW_LOG_LEVEL=error")
	if err := api.Start(); err != nil {
		t.Fatal(err)
	}
	defer api.Process.Kill()
	base := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the API was not ready within 30 s")
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Readers, until the process is gone: every response that arrives is noted with its id.
	var (
		mu       sync.Mutex
		answered []string
		seq      atomic.Int64
		readers  sync.WaitGroup
		flowing  = make(chan struct{}) // closed once 200 responses have come
		flowOnce sync.Once
	)
	client := &http.Client{Timeout: time.Minute}
	pupil := demo.PersonID("elev-1")
	for w := range 16 {
		readers.Go(func() {
			for {
				id := fmt.Sprintf("kill-%d-%d", w, seq.Add(1))
				req, _ := http.NewRequest("GET", base+"/api/v1/persons/"+pupil, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("X-Request-Id", id)
				res, err := client.Do(req)
				if err != nil {
					return // the process is gone
				}
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					t.Errorf("GET the pupil: %d", res.StatusCode)
					return
				}
				mu.Lock()
				answered = append(answered, id)
				if len(answered) == 200 {
					flowOnce.Do(func() { close(flowing) })
				}
				mu.Unlock()
			}
		})
	}
	<-flowing

	// Hold the log's table: the next batch waits on the lock, mid-write.
	hold, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Rollback(ctx)
	if _, err := hold.Exec(ctx, `LOCK TABLE access_log IN EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	waiting := func() int {
		var n int
		if err := db.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO access_log%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for deadline := time.Now().Add(30 * time.Second); waiting() == 0; {
		if time.Now().After(deadline) {
			t.Fatal("no access-log batch waited on the lock within 30 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := api.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = api.Wait()
	readers.Wait()

	// Checked while the table is still held: the caught batch is not committed, and PostgreSQL
	// would commit it once released, dead client or not. Reads pass the lock.
	mu.Lock()
	defer mu.Unlock()
	rows, err := db.Query(ctx, `SELECT a.id FROM unnest($1::text[]) AS a(id)
		WHERE NOT EXISTS (SELECT 1 FROM access_log l WHERE l.request_id = a.id)`, answered)
	if err != nil {
		t.Fatal(err)
	}
	missing, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if err := hold.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Fatalf("%d of %d responses sent have no access-log row, e.g. %s", len(missing), len(answered), missing[0])
	}
	t.Logf("%d responses, each with its row; the process was killed with a batch waiting", len(answered))
}
