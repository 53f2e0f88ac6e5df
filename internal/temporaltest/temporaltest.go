// Package temporaltest starts a real Temporal server for integration tests, one per test
// binary: the CLI's dev server (built by `make` from tools/go.mod), or Temporal Server v1.29.1
// persisting in PostgreSQL, as production runs it.
package temporaltest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/internal/devserver"
)

// Server is a running Temporal server.
type Server interface {
	FrontendHostPort() string
	Stop() error
}

// FromEnvironment is the server `make bench TEMPORAL=...` asks for through SKOLFLOW_TEMPORAL_SERVER:
// "postgres" for Temporal Server persisting in PostgreSQL (databaseURL's server), otherwise the
// dev server that start gives.
func FromEnvironment(databaseURL string, start func() (*testsuite.DevServer, error)) (Server, error) {
	switch v := os.Getenv("SKOLFLOW_TEMPORAL_SERVER"); v {
	case "", "dev":
		return start()
	case "postgres":
		return StartPostgres(databaseURL)
	default:
		return nil, fmt.Errorf("SKOLFLOW_TEMPORAL_SERVER=%q is neither dev nor postgres", v)
	}
}

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

// PostgresServer is Temporal Server persisting in two databases of its own, dropped by Stop.
type PostgresServer struct {
	*devserver.Server
	databaseURL string
	databases   []string
	dir         string // the rendered configuration
}

// StartPostgres starts Temporal Server on free ports, persisting in two new databases on the
// PostgreSQL server of databaseURL, with the namespace "default".
func StartPostgres(databaseURL string) (*PostgresServer, error) {
	server, err := binaryNamed("SKOLFLOW_TEMPORAL_SERVER_BIN", "temporal-server")
	if err != nil {
		return nil, err
	}
	tool, err := binaryNamed("SKOLFLOW_TEMPORAL_SQL_TOOL_BIN", "temporal-sql-tool")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "skolflow-test-temporal-postgres-*")
	if err != nil {
		return nil, err
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "temporal_test_" + hex.EncodeToString(b)
	p := &PostgresServer{databaseURL: databaseURL, databases: []string{name, name + "_visibility"}, dir: dir}
	// The server takes a run of ports above its frontend's; try a few until one run is free. The
	// server keeps its membership ports as a smallint: all must be under 32768.
	for try := 0; ; try++ {
		port, _ := rand.Int(rand.Reader, big.NewInt(12000))
		p.Server, err = devserver.StartPostgres(context.Background(), devserver.PostgresOptions{
			ServerBinary: server, SQLToolBinary: tool, DataDir: dir, DatabaseURL: databaseURL,
			Database: p.databases[0], Visibility: p.databases[1],
			Address:   net.JoinHostPort("127.0.0.1", strconv.Itoa(20000+int(port.Int64()))),
			Namespace: "default", Retention: 24 * time.Hour,
		}, 2*time.Minute)
		var taken *config.SettingError
		if err == nil || !errors.As(err, &taken) || taken.Name != "TEMPORAL_ADDRESS" || try == 5 {
			break
		}
	}
	if err != nil {
		_ = devserver.DropDatabases(context.Background(), databaseURL, p.databases...)
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return p, nil
}

// DatabaseURL is the URL of the database the server keeps its workflows' state and histories in.
func (p *PostgresServer) DatabaseURL() string {
	u, err := url.Parse(p.databaseURL)
	if err != nil {
		return ""
	}
	u.Path = "/" + p.databases[0]
	return u.String()
}

// Stop stops the server and drops its databases and its folder.
func (p *PostgresServer) Stop() error {
	err := p.Server.Stop(10 * time.Second)
	return errors.Join(err, devserver.DropDatabases(context.Background(), p.databaseURL, p.databases...), os.RemoveAll(p.dir))
}

// binary finds the Temporal CLI: SKOLFLOW_TEMPORAL_BIN (make sets it), else .bin/temporal at the
// repository root.
func binary() (string, error) { return binaryNamed("SKOLFLOW_TEMPORAL_BIN", "temporal") }

// binaryNamed finds one of the binaries `make temporal` builds: the variable's value if set,
// else .bin/<name> at the repository root.
func binaryNamed(variable, name string) (string, error) {
	if b := os.Getenv(variable); b != "" {
		return b, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			b := filepath.Join(dir, ".bin", name)
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
