package integration

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/app"
	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/internal/pgtest"
	"github.com/skolflow/skolflow/store"
)

// PostgreSQL going away makes /readyz answer 503 naming it while /healthz still answers, and
// readiness comes back by itself when the database returns; no restart.
func TestReadinessFollowsPostgres(t *testing.T) {
	dbURL := pgtest.NewURL(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newProxy(t, u.Host)
	u.Host = proxy.addr
	db, err := store.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)

	metrics, _ := app.NewMetrics()
	cfg := config.Config{TemporalAddress: temporalServer.FrontendHostPort(), TemporalNamespace: "default"}
	c, err := app.DialTemporal(context.Background(), cfg, zap.NewNop(), metrics, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	s := &stack{t: t}
	srv := newHTTPServer(t, api.Deps{Log: zap.NewNop(), DB: db, Temporal: c, Registry: metrics.Registry})
	s.api = srv

	var ready map[string]any
	if res := s.do("GET", "/readyz", nil, &ready); res.StatusCode != http.StatusOK {
		t.Fatalf("/readyz with everything up = %d %v", res.StatusCode, ready)
	}

	proxy.down()
	var p api.Problem
	res := s.do("GET", "/readyz", nil, &p)
	if res.StatusCode != http.StatusServiceUnavailable || p.Checks["postgres"] != "down" || p.Checks["temporal"] != "up" {
		t.Fatalf("/readyz with PostgreSQL down = %d %+v, want 503 naming postgres", res.StatusCode, p)
	}
	if !strings.Contains(p.Detail, "postgres") {
		t.Errorf("detail %q does not name postgres", p.Detail)
	}
	if res := s.do("GET", "/healthz", nil, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("/healthz with PostgreSQL down = %d, want 200", res.StatusCode)
	}

	proxy.up()
	eventually(t, 10*time.Second, "readiness to recover", func() bool {
		return s.do("GET", "/readyz", nil, nil).StatusCode == http.StatusOK
	})
}

// temporalBehindProxy answers a Temporal client that reaches the dev server's frontend through a
// proxy, the proxy already cut (down, as an outage of the frontend would), and the metrics the
// client reports to.
func temporalBehindProxy(t *testing.T, namespace string) (*proxy, client.Client, *app.Metrics) {
	t.Helper()
	frontend := newProxy(t, temporalServer.FrontendHostPort())
	metrics, err := app.NewMetrics()
	if err != nil {
		t.Fatal(err)
	}
	c, err := app.DialTemporal(context.Background(), config.Config{TemporalAddress: frontend.addr, TemporalNamespace: namespace},
		zap.NewNop(), metrics, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	frontend.down()
	return frontend, c, metrics
}

// proxy forwards TCP to a target and can cut every connection and refuse new ones, as a
// database outage would.
type proxy struct {
	t      *testing.T
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	p := &proxy{t: t, target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.down)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", p.target)
			if err != nil {
				in.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, in, out)
			p.mu.Unlock()
			go func() { io.Copy(out, in); out.Close() }()
			go func() { io.Copy(in, out); in.Close() }()
		}
	}()
}

func (p *proxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *proxy) up() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.serve(ln)
}
