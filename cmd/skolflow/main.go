// Command skolflow is the one binary of the platform.
//
//	skolflow dev          everything in one process tree, with demo data (what `make run` runs)
//	skolflow api          the HTTP API
//	skolflow worker       the Temporal worker
//	skolflow migrate up   apply the database schema
//	skolflow import FILE  bulk-import a register document
//	skolflow seed         load a generated register of a school, a district or a city (benchmarks)
//	skolflow sync --from URL  sync the register from an SS 12000 server, once
//	skolflow client FILE  register a machine client of SS 12000 and its grants
//	skolflow healthcheck  probe a running API or worker (container health checks)
//
// Exit codes: 0 after a clean stop, 2 for a usage or configuration error (one line naming the
// setting), 1 for any other failure.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"go.uber.org/zap"

	"github.com/skolflow/skolflow/internal/app"
	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/internal/logging"
	"github.com/skolflow/skolflow/internal/seed"
)

const usage = `usage: skolflow <command>

commands:
  dev          run everything (Temporal dev server, worker, API) with demo data
  api          serve the HTTP API
  worker       run the Temporal worker
  migrate up   apply the database schema (applying twice is a no-op)
  import FILE  bulk-import a register document (JSON): all or nothing, idempotent
  seed --scale school|district|city [--replace]
               load a generated register (the city: 140 000 pupils) into an empty database,
               the same every time (its lessons are this week's); --replace replaces an
               earlier seed, never other data
  client FILE  register a machine client of SS 12000 (JSON: id, clientId, displayName,
               protectedIdentity, grants of resources at organisations), or update it
  sync --from URL
               sync the register from an SS 12000 server once: everything the first time,
               what changed since the last run after that (SKOLFLOW_SYNC_* sign it in)
  healthcheck  exit 0 if the API or worker on SKOLFLOW_HTTP_ADDR is alive (for containers)

Configuration is read from the environment; see README.md.`

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, usage)
		return 2
	}
	cmd := args[0]
	var runner func(context.Context, config.Config, *zap.Logger) error
	switch {
	case cmd == "dev":
		runner = func(ctx context.Context, cfg config.Config, log *zap.Logger) error {
			return app.RunDev(ctx, cfg, log, os.Stdout)
		}
	case cmd == "api" && len(args) == 1:
		runner = app.RunAPI
	case cmd == "worker" && len(args) == 1:
		runner = app.RunWorker
	case cmd == "migrate" && len(args) == 2 && args[1] == "up":
		runner = app.Migrate
	case cmd == "healthcheck" && len(args) == 1:
		runner = app.Healthcheck
	case cmd == "import" && len(args) == 2:
		runner = func(ctx context.Context, cfg config.Config, log *zap.Logger) error {
			return app.ImportFile(ctx, cfg, log, args[1], os.Stdout, os.Stderr)
		}
	case cmd == "seed":
		opts, err := seed.ParseArgs(args[1:])
		if err != nil {
			fmt.Fprintln(os.Stderr, "skolflow seed: "+err.Error())
			return 2
		}
		runner = func(ctx context.Context, cfg config.Config, log *zap.Logger) error {
			return app.Seed(ctx, cfg, log, opts, os.Stdout)
		}
	case cmd == "client" && len(args) == 2:
		runner = func(ctx context.Context, cfg config.Config, log *zap.Logger) error {
			return app.RegisterClient(ctx, cfg, log, args[1], os.Stderr)
		}
	case cmd == "sync" && len(args) == 3 && args[1] == "--from":
		runner = func(ctx context.Context, cfg config.Config, log *zap.Logger) error {
			return app.Sync(ctx, cfg, log, args[2], os.Stdout)
		}
	case cmd == "help" || cmd == "-h" || cmd == "--help":
		fmt.Println(usage)
		return 0
	default:
		fmt.Fprintln(os.Stderr, usage)
		return 2
	}

	cfg, err := config.Load(os.Getenv, cmd == "dev")
	if err != nil {
		fmt.Fprintln(os.Stderr, "skolflow: "+err.Error())
		return 2
	}
	log, err := logging.New(cfg.LogFormat, cfg.LogLevel)
	if err != nil {
		fmt.Fprintln(os.Stderr, "skolflow: SKOLFLOW_LOG_LEVEL: "+err.Error())
		return 2
	}
	defer log.Sync()

	// SIGINT (Ctrl-C) and SIGTERM start a graceful stop; a second signal kills at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // restore default handling, so a second Ctrl-C ends the process
	}()

	err = runner(ctx, cfg, log)
	var setting *config.SettingError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &setting):
		fmt.Fprintln(os.Stderr, "skolflow: "+setting.Error())
		return 2
	case errors.Is(err, app.ErrRejected):
		fmt.Fprintln(os.Stderr, "skolflow: "+err.Error())
		return 1
	default:
		log.Error("stopped with an error", zap.Error(err))
		return 1
	}
}
