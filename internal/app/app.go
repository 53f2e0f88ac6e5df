// Package app wires Skolflow's parts together for each subcommand: `api`, `worker` and `dev`.
//
// Start-up failures that a setting can fix come back as *config.SettingError naming the setting;
// cmd/skolflow prints them as one line and exits with code 2.
package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/auth"
	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/policies"
	"github.com/skolflow/skolflow/store"
	"github.com/skolflow/skolflow/web"
)

// temporalDialTimeout bounds how long start-up waits for Temporal before giving up.
const temporalDialTimeout = 10 * time.Second

// deps are the connections every mode shares.
type deps struct {
	cfg      config.Config
	log      *zap.Logger
	db       *pgxpool.Pool
	temporal client.Client
	metrics  *Metrics
	authz    *policies.Authorizer
	verifier *auth.Verifier
	dev      *api.DevMode
	web      *web.Web

	stopWatch func() // stops the authorization's change listener; nil until startAuth
}

func (d *deps) close() {
	if d.stopWatch != nil {
		d.stopWatch()
	}
	if d.temporal != nil {
		d.temporal.Close()
	}
	if d.db != nil {
		d.db.Close()
	}
}

// connect opens PostgreSQL and Temporal, reporting which setting to fix when either fails.
func connect(ctx context.Context, cfg config.Config, log *zap.Logger) (*deps, error) {
	d := &deps{cfg: cfg, log: log}
	m, err := NewMetrics()
	if err != nil {
		return nil, err
	}
	d.metrics = m
	if d.db, err = store.Open(ctx, cfg.DatabaseURL); err != nil {
		return nil, &config.SettingError{Name: "DATABASE_URL", Reason: "cannot connect to PostgreSQL: " + rootCause(err)}
	}
	if d.temporal, err = DialTemporal(ctx, cfg, log, m, temporalDialTimeout); err != nil {
		d.close()
		return nil, &config.SettingError{Name: "TEMPORAL_ADDRESS", Reason: fmt.Sprintf("cannot reach Temporal at %s: %s", cfg.TemporalAddress, rootCause(err))}
	}
	return d, nil
}

// RunAPI serves the HTTP API until ctx ends, then lets in-flight requests finish.
func RunAPI(ctx context.Context, cfg config.Config, log *zap.Logger) error {
	if cfg.OIDCIssuer == "" {
		return &config.SettingError{Name: "SKOLFLOW_OIDC_ISSUER", Reason: "required: the URL of the OIDC issuer whose tokens the API accepts"}
	}
	d, err := connect(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer d.close()
	if err := d.startAuth(ctx, cfg.OIDCIssuer); err != nil {
		return err
	}
	srv, err := listen(d, api.NewRouter(d.apiDeps()))
	if err != nil {
		return err
	}
	stop := d.runServices(ctx)
	defer stop()
	<-ctx.Done()
	return srv.shutdown(cfg.ShutdownTimeout)
}

// RunWorker polls the task queue until ctx ends, then drains running activities.
func RunWorker(ctx context.Context, cfg config.Config, log *zap.Logger) error {
	d, err := connect(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer d.close()
	if err := EnsureSchedules(ctx, d.temporal, cfg); err != nil {
		return err
	}
	w := NewWorker(d.temporal, cfg, d.db)
	if err := w.Start(); err != nil {
		return err
	}
	log.Info("worker started", zap.String("task_queue", cfg.TaskQueue))
	srv, err := listen(d, api.NewOpsRouter(d.apiDeps()))
	if err != nil {
		w.Stop()
		return err
	}
	<-ctx.Done()
	w.Stop() // drains: running activities get cfg.ShutdownTimeout to finish
	log.Info("worker stopped")
	return srv.shutdown(cfg.ShutdownTimeout)
}

// startAuth loads the authorization snapshot and readies sign-in with issuer (bearer tokens for
// the API, the code flow for the web pages), and keeps both in step with the other instances
// (the register's changes, the sessions' changes) until close, which waits for the listeners
// to stop before the pool closes.
func (d *deps) startAuth(ctx context.Context, issuer string) error {
	a, err := policies.New(ctx, d.db, area.Targets(d.modules()))
	if err != nil {
		return fmt.Errorf("loading authorization: %w", err)
	}
	d.authz, d.verifier = a, auth.NewVerifier(issuer, d.cfg.OIDCAudience)
	if d.web, err = NewWeb(d.cfg, d.log, d.db, issuer, d.modules()); err != nil {
		return err
	}
	watchCtx, stop := context.WithCancel(ctx)
	var watching sync.WaitGroup
	watching.Go(func() { a.Watch(watchCtx, d.log) })
	watching.Go(func() { d.web.Watch(watchCtx, d.log) })
	d.stopWatch = func() { stop(); watching.Wait() }
	return nil
}

// NewWeb makes the web pages of the modules, signing in at issuer as the client the settings
// name.
func NewWeb(cfg config.Config, log *zap.Logger, db *pgxpool.Pool, issuer string, modules []area.Module) (*web.Web, error) {
	var areas []web.Area
	for _, m := range modules {
		if m.Web.Name != "" {
			areas = append(areas, m.Web)
		}
	}
	return web.New(web.Deps{
		Log: log, DB: db, Issuer: issuer, PublicURL: cfg.PublicURL,
		SignIn:     auth.NewClient(issuer, cfg.OIDCClientID, cfg.OIDCClientSecret, cfg.PublicURL+"/signin/callback"),
		SessionTTL: cfg.SessionTTL, SessionIdle: cfg.SessionIdle,
		Areas: areas,
	})
}

func (d *deps) apiDeps() api.Deps {
	return api.Deps{
		Log:       d.log,
		DB:        d.db,
		Temporal:  d.temporal,
		Registry:  d.metrics.Registry,
		TaskQueue: d.cfg.TaskQueue,
		Verifier:  d.verifier,
		Authz:     d.authz,
		Dev:       d.dev,
		Modules:   d.modules(),
		Web:       d.webPages(),
	}
}

// webPages are the web pages, nil before startAuth (the worker serves none).
func (d *deps) webPages() api.Web {
	if d.web == nil {
		return nil
	}
	return d.web
}

// httpServer is the API's listener and server.
type httpServer struct {
	srv  *http.Server
	addr string // the address actually bound
	log  *zap.Logger
	done chan error
}

// listen binds cfg.HTTPAddr first, so a taken port is a start-up error naming the setting, and
// then serves handler in the background.
func listen(d *deps, handler http.Handler) (*httpServer, error) {
	ln, err := net.Listen("tcp", d.cfg.HTTPAddr)
	if err != nil {
		reason := rootCause(err)
		if errors.Is(err, syscall.EADDRINUSE) {
			reason = d.cfg.HTTPAddr + " is already in use"
		}
		return nil, &config.SettingError{Name: "SKOLFLOW_HTTP_ADDR", Reason: reason}
	}
	s := &httpServer{
		srv:  &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second},
		addr: ln.Addr().String(),
		log:  d.log,
		done: make(chan error, 1),
	}
	go func() { s.done <- s.srv.Serve(ln) }()
	d.log.Info("http listening", zap.String("addr", s.addr))
	return s, nil
}

// shutdown stops accepting connections and waits up to timeout for in-flight requests.
func (s *httpServer) shutdown(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if serveErr := <-s.done; !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	s.log.Info("http stopped")
	return err
}

// rootCause returns the innermost error's message: "connection refused" rather than a chain
// that may repeat the connection string.
func rootCause(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

// runServices runs every area's services (area.Module.Services), such as the absence outbox's
// dispatcher, until stop, which waits for each to end (a round in flight finishes first).
func (d *deps) runServices(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	// How far behind the absence days are: operators alert on a growing outbox.
	_ = d.metrics.Registry.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "skolflow_absence_outbox_rows",
		Help: "Absences the register has recorded that the absence days have not yet been told of (-1: the database could not be read).",
	}, func() float64 {
		var n int64
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := d.db.QueryRow(ctx, `SELECT count(*) FROM absence_outbox`).Scan(&n); err != nil {
			return -1
		}
		return float64(n)
	}))
	var running sync.WaitGroup
	for _, m := range d.modules() {
		for _, run := range m.Services {
			running.Go(func() { run(ctx) })
		}
	}
	return func() {
		cancel()
		running.Wait()
	}
}
