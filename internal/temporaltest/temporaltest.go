// Package temporaltest starts the real Temporal dev server (the CLI that `make` builds from
// tools/go.mod) for integration tests, one per test binary.
package temporaltest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
)

// Start launches a dev server on free ports with in-memory state, as the server comes. Call
// Stop when done. The server's errors go to a file skolflow-test-temporal-*.log in the
// temporary folder, not to the test's output: tests that stop their workers leave task queues
// behind, which the server reports, and the lines would break benchmark results.
func Start() (*testsuite.DevServer, error) { return start() }

// StartForTests is Start with the server noting which of its tasks are done every second rather
// than every 30: a closed execution is deleted only once its closing is noted, and tests delete
// one to show that the record, not Temporal's retention, keeps a business key from being used
// twice. The extra bookkeeping slows the server under load, so benchmarks use Start.
func StartForTests() (*testsuite.DevServer, error) {
	return start("--dynamic-config-value", `history.transferProcessorUpdateAckInterval="1s"`)
}

func start(args ...string) (*testsuite.DevServer, error) {
	bin, err := binary()
	if err != nil {
		return nil, err
	}
	logs, err := os.CreateTemp("", "skolflow-test-temporal-*.log")
	if err != nil {
		return nil, err
	}
	return testsuite.StartDevServer(context.Background(), testsuite.DevServerOptions{
		ExistingPath:  bin,
		ClientOptions: &client.Options{Logger: log.NewStructuredLogger(slog.New(slog.DiscardHandler))}, // HostPort empty: the server picks a free port
		LogLevel:      "error",
		Stdout:        io.Discard,
		Stderr:        logs,
		ExtraArgs:     args,
	})
}

// binary finds the Temporal CLI: SKOLFLOW_TEMPORAL_BIN (make sets it), else .bin/temporal at the
// repository root.
func binary() (string, error) {
	if b := os.Getenv("SKOLFLOW_TEMPORAL_BIN"); b != "" {
		return b, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			b := filepath.Join(dir, ".bin", "temporal")
			if _, err := os.Stat(b); err != nil {
				return "", fmt.Errorf("temporaltest: %s is missing; run the tests with `make test` (or `make temporal` first)", b)
			}
			return b, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("temporaltest: no go.mod above the working directory")
		}
		dir = parent
	}
}
