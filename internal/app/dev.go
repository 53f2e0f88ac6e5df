package app

import (
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"

	"go.uber.org/zap"

	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/auth"
	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/internal/devserver"
	"github.com/skolflow/skolflow/internal/mailsink"
	"github.com/skolflow/skolflow/ss12000"
	"github.com/skolflow/skolflow/store"
)

// devTokenTTL is how long a dev token lasts: a working day.
const devTokenTTL = 8 * time.Hour

// devServerStartTimeout covers the dev server's first start, which creates its SQLite state.
const devServerStartTimeout = 60 * time.Second

// RunDev runs the whole platform in one process tree, as `make run` does: it creates and
// migrates the database, starts the Temporal dev server as a child, runs the worker and the API
// in-process, loads the demo data, and prints where to go next to out. When ctx ends it stops
// everything it started, in reverse order.
func RunDev(ctx context.Context, cfg config.Config, log *zap.Logger, out io.Writer) error {
	if err := store.EnsureDatabase(ctx, cfg.DatabaseURL); err != nil {
		return &config.SettingError{Name: "DATABASE_URL", Reason: "cannot prepare the database: " + rootCause(err)}
	}
	if err := migrate(ctx, cfg, log); err != nil {
		return err
	}

	// The demo's subscribers run on this machine: their callbacks may name it, unless the
	// operator named the hosts allowed.
	if len(ss12000.CallbackHosts.In(cfg)) == 0 {
		ss12000.CallbackHosts.Set(&cfg, []string{"localhost", "127.0.0.1"})
	}

	temporal, err := startTemporal(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		if err := temporal.Stop(10 * time.Second); err != nil {
			log.Warn("the temporal server stopped with an error", zap.Error(err))
		}
		log.Info("the temporal server stopped")
	}()

	d, err := connect(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer d.close()
	// The dev issuer signs in anyone the register names under the demo domain: never run it on
	// a database that holds a real register.
	var real bool
	if err := d.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM person_principal_names WHERE principal_name NOT LIKE '%@' || $1)`,
		demo.UserDomain).Scan(&real); err != nil {
		return err
	}
	if real {
		return &config.SettingError{Name: "DATABASE_URL", Reason: "holds a register that is not the demo's; `skolflow dev` runs only on a database of its own"}
	}
	imported, err := demo.LoadRegister(ctx, d.db)
	if err != nil {
		return fmt.Errorf("loading the demo register: %w", err)
	}
	log.Info("demo register loaded", zap.Bool("changed", imported.Changed))
	if err := demo.LoadContacts(ctx, d.db); err != nil {
		return fmt.Errorf("loading the demo contacts: %w", err)
	}
	if err := demo.LoadClients(ctx, d.db); err != nil {
		return fmt.Errorf("registering the demo clients: %w", err)
	}
	// The local mailbox: an SMTP server the platform's mail goes to, shown at /dev/mail, which
	// also stands in for the SMS gateway.
	mailbox, err := mailsink.Start(cfg.SMTPAddr)
	if err != nil {
		return &config.SettingError{Name: "SKOLFLOW_SMTP_ADDR", Reason: "cannot run the local mailbox: " + rootCause(err)}
	}
	defer mailbox.Close()
	if cfg.SMSGatewayURL == "" {
		cfg.SMSGatewayURL = "http://" + cfg.HTTPAddr + "/dev/sms"
		d.cfg = cfg
	}
	issuerURL := "http://" + cfg.HTTPAddr + "/dev/oidc"
	issuer, err := auth.NewDevIssuer(issuerURL, cfg.OIDCAudience, devTokenTTL)
	if err != nil {
		return err
	}
	issuer.Clients = demo.ClientSecrets()
	d.dev = &api.DevMode{Issuer: issuer, UserDomain: demo.UserDomain, Mailbox: mailbox}
	// Tokens the dev issuer mints are verified as any issuer's: discovery and JWKS over HTTP.
	if err := d.startAuth(ctx, issuerURL); err != nil {
		return err
	}
	if err := EnsureSchedules(ctx, d.temporal, cfg); err != nil {
		return err
	}
	w := NewWorker(d.temporal, cfg, d.db)
	if err := w.Start(); err != nil {
		return err
	}
	defer w.Stop()
	srv, err := listen(d, api.NewRouter(d.apiDeps()))
	if err != nil {
		return err
	}
	stop := d.runServices(ctx)
	defer stop()
	demoData, err := demo.Load(ctx, d.temporal, d.db, demo.Options{
		TaskQueue:    cfg.TaskQueue,
		NoticeWindow: absence.NoticeWindow.In(cfg),
		DayLength:    absence.DayLength.In(cfg),
		Deadline:     cfg.DeliveryDeadline,
		TaskDue:      absence.TaskDue.In(cfg),
		ReachCutoff:  absence.ReachCutoff.In(cfg),
		Today:        time.Now(),
	})
	if err != nil {
		_ = srv.shutdown(cfg.ShutdownTimeout)
		return fmt.Errorf("loading demo data: %w", err)
	}
	printWelcome(out, cfg, demoData)

	<-ctx.Done()
	log.Info("stopping")
	return srv.shutdown(cfg.ShutdownTimeout)
}

// migrate applies the schema, for `skolflow migrate up` and `skolflow dev`.
func migrate(ctx context.Context, cfg config.Config, log *zap.Logger) error {
	pool, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return &config.SettingError{Name: "DATABASE_URL", Reason: "cannot connect to PostgreSQL: " + rootCause(err)}
	}
	defer pool.Close()
	applied, err := store.Migrate(ctx, pool)
	if err != nil {
		return err
	}
	log.Info("schema up to date", zap.Strings("applied", applied))
	return nil
}

// startTemporal starts the Temporal server `skolflow dev` runs as its child: the CLI's dev
// server, or with SKOLFLOW_TEMPORAL_SERVER=postgres Temporal Server persisting in the databases
// temporal and temporal_visibility beside Skolflow's own.
func startTemporal(ctx context.Context, cfg config.Config) (*devserver.Server, error) {
	if cfg.TemporalServer == "postgres" {
		return devserver.StartPostgres(ctx, devserver.PostgresOptions{
			ServerBinary: cfg.TemporalServerBinary, SQLToolBinary: cfg.TemporalSQLToolBinary,
			DataDir: cfg.DataDir, DatabaseURL: cfg.DatabaseURL,
			Database: "temporal", Visibility: "temporal_visibility",
			Address: cfg.TemporalAddress, Namespace: cfg.TemporalNamespace, Retention: 7 * 24 * time.Hour,
		}, devServerStartTimeout)
	}
	return devserver.Start(ctx, devserver.Options{
		Binary:    cfg.TemporalBinary,
		DataDir:   cfg.DataDir,
		Address:   cfg.TemporalAddress,
		UIPort:    cfg.TemporalUIPort,
		Namespace: cfg.TemporalNamespace,
	}, devServerStartTimeout)
}

// Migrate is `skolflow migrate up`.
func Migrate(ctx context.Context, cfg config.Config, log *zap.Logger) error {
	return migrate(ctx, cfg, log)
}

func printWelcome(out io.Writer, cfg config.Config, d demo.Data) {
	base := "http://" + cfg.HTTPAddr
	fmt.Fprintf(out, `
Skolflow is running.

  Web pages       %[1]s/         (sign in with one click as a guardian, teacher or principal)
  API             %[1]s/api/v1   (OpenAPI document: %[1]s/api/v1/openapi.yaml)
  Health          %[1]s/healthz  %[1]s/readyz  %[1]s/metrics
  Temporal        %[2]s
  Demo users      %[1]s/dev/users   (who is who: principals, teachers, guardians, ...)
  Mailbox         %[1]s/dev/mail    (the email and SMS the platform sent)

Sign in as a demo user (here the class teacher and mentor of 7A) and call the API:

  TOKEN=$(curl -s -X POST %[1]s/dev/token -H 'Content-Type: application/json' \
    -d '{"user":"larare-a1"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
  curl -s -H "Authorization: Bearer $TOKEN" %[1]s/api/v1/me/groups

Demo data: pupil %[3]s of 7A missed a lesson today. Follow the absence process:

  curl -s -H "Authorization: Bearer $TOKEN" %[1]s/api/v1/persons/%[3]s/absence-days/%[4]s

Report another missed lesson:

  curl -s -X POST %[1]s/api/v1/persons/%[3]s/absences -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d '{"day":"%[4]s","lessonId":"%[5]s"}'

A guardian (vh-1) applies for a week's leave; the other guardian (vh-2) finds a task to agree to
in GET /api/v1/tasks, then the mentor (larare-a1) and the principal (rektor-a) theirs:

  VH1=$(curl -s -X POST %[1]s/dev/token -H 'Content-Type: application/json' \
    -d '{"user":"vh-1"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
  curl -s -X POST %[1]s/api/v1/persons/%[3]s/leave-applications -H "Authorization: Bearer $VH1" \
    -H 'Content-Type: application/json' -d '{"from":"%[6]s","to":"%[7]s","reason":"Familjeresa"}'

Ctrl-C stops everything.
`, base, temporalLine(cfg), d.StudentID, d.Day, d.NextLessonID, d.LeaveFrom, d.LeaveTo)
}

// temporalLine says where to look at the processes: the dev server's web UI, or for Temporal
// Server (which has no UI of its own) the CLI.
func temporalLine(cfg config.Config) string {
	if cfg.TemporalServer == "postgres" {
		return cfg.TemporalAddress + " (Temporal Server on PostgreSQL; .bin/temporal workflow list --address " + cfg.TemporalAddress + ")"
	}
	return "http://" + hostPort(cfg.TemporalAddress, cfg.TemporalUIPort) + " (web UI)"
}

func hostPort(addr string, port int) string {
	host, _, _ := net.SplitHostPort(addr)
	return net.JoinHostPort(host, strconv.Itoa(port))
}
