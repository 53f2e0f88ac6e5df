package integration

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/app"
	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/internal/pgtest"
)

// stack is one test's platform: its own database, task queue, worker and API server.
type stack struct {
	t        *testing.T
	db       *pgxpool.Pool
	temporal client.Client
	api      *httptest.Server
	queue    string
}

// timings compress a school day into seconds.
var timings = api.Timings{AbsenceNoticeWindow: 2 * time.Second, AbsenceDayLength: 20 * time.Second}

func newStack(t *testing.T) *stack {
	t.Helper()
	log := zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))
	metrics, err := app.NewMetrics()
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{
		TemporalAddress:   temporalServer.FrontendHostPort(),
		TemporalNamespace: "default",
		TaskQueue:         "test-" + randomHex(),
		ShutdownTimeout:   5 * time.Second,
	}
	c, err := app.DialTemporal(context.Background(), cfg, log, metrics, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	db := pgtest.New(t)
	w := app.NewWorker(c, cfg, db)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	srv := newHTTPServer(t, api.Deps{
		Log: log, DB: db, Temporal: c, Registry: metrics.Registry, TaskQueue: cfg.TaskQueue, Timings: timings,
	})
	return &stack{t: t, db: db, temporal: c, api: srv, queue: cfg.TaskQueue}
}

// newHTTPServer serves the real router over real HTTP on a loopback port.
func newHTTPServer(t *testing.T, d api.Deps) *httptest.Server {
	srv := httptest.NewServer(api.NewRouter(d))
	t.Cleanup(srv.Close)
	return srv
}

// do sends a request with an optional JSON body and decodes the JSON answer into out (if not nil).
func (s *stack) do(method, path string, body any, out any) *http.Response {
	s.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			s.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.api.URL+path, r)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			s.t.Fatalf("%s %s: %d %s: %v", method, path, res.StatusCode, data, err)
		}
	}
	return res
}

// eventually polls cond every 100 ms until it holds or timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
