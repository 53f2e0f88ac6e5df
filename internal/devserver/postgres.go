package devserver

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/skolflow/skolflow/internal/config"
)

// The server's configuration (a template the server renders from the TEMPORAL_* variables set
// below) and its dynamic config, checked in beside this file; docker-compose.yml uses the same.
var (
	//go:embed postgres/server.yaml
	serverConfig []byte
	//go:embed postgres/dynamicconfig.yaml
	dynamicConfig []byte
)

// PostgresOptions says how to run Temporal Server v1.29.1 persisting in PostgreSQL, as
// production does: the server binary and its SQL tool (both built by `make temporal` from
// tools/go.mod), the PostgreSQL server, and the two databases the server keeps its state in.
type PostgresOptions struct {
	ServerBinary  string // temporal-server
	SQLToolBinary string // temporal-sql-tool
	DataDir       string // the rendered configuration is written to DataDir/temporal-postgres/
	DatabaseURL   string // a URL of the PostgreSQL server: its host, port, user and password are used
	Database      string // e.g. temporal
	Visibility    string // e.g. temporal_visibility
	Address       string // frontend host:port; the other services listen at fixed offsets (server.yaml)
	Namespace     string // registered at start if missing
	// Retention of closed workflows in a namespace registered at start.
	Retention time.Duration
}

// StartPostgres creates the two databases if they are missing, sets up or upgrades their
// schemas with the SQL tool (idempotent: a second start changes nothing), starts the server and
// waits until it answers, and registers the namespace. The child is owned like the dev server:
// its own process group, killed with Skolflow.
func StartPostgres(ctx context.Context, o PostgresOptions, timeout time.Duration) (*Server, error) {
	host, port, err := net.SplitHostPort(o.Address)
	if err != nil {
		return nil, &config.SettingError{Name: "TEMPORAL_ADDRESS", Reason: fmt.Sprintf("%q is not host:port", o.Address)}
	}
	frontend, err := strconv.Atoi(port)
	if err != nil {
		return nil, &config.SettingError{Name: "TEMPORAL_ADDRESS", Reason: fmt.Sprintf("%q has no port number", o.Address)}
	}
	for _, offset := range []int{0, 1, 2, 6, 10, 100, 101, 102, 106} {
		addr := net.JoinHostPort(host, strconv.Itoa(frontend+offset))
		if err := portFree(addr); err != nil {
			return nil, &config.SettingError{Name: "TEMPORAL_ADDRESS", Reason: addr + " (one of the server's ports) is already in use"}
		}
	}
	for name, bin := range map[string]*string{"SKOLFLOW_TEMPORAL_SERVER_BIN": &o.ServerBinary, "SKOLFLOW_TEMPORAL_SQL_TOOL_BIN": &o.SQLToolBinary} {
		if _, err := os.Stat(*bin); err != nil {
			return nil, &config.SettingError{Name: name, Reason: *bin + " not found; `make temporal` builds it"}
		}
		// The server runs in its configuration's folder.
		if *bin, err = filepath.Abs(*bin); err != nil {
			return nil, &config.SettingError{Name: name, Reason: err.Error()}
		}
	}
	db, err := url.Parse(o.DatabaseURL)
	if err != nil || db.Hostname() == "" {
		return nil, &config.SettingError{Name: "DATABASE_URL", Reason: "names no PostgreSQL server"}
	}
	dbPort := db.Port()
	if dbPort == "" {
		dbPort = "5432"
	}
	password, _ := db.User.Password()
	dir := filepath.Join(o.DataDir, "temporal-postgres")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, &config.SettingError{Name: "SKOLFLOW_DATA_DIR", Reason: err.Error()}
	}
	if err := os.WriteFile(filepath.Join(dir, "postgres.yaml"), serverConfig, 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "dynamicconfig.yaml"), dynamicConfig, 0o644); err != nil {
		return nil, err
	}

	for _, d := range []struct{ name, schema string }{{o.Database, "postgresql/v12/temporal"}, {o.Visibility, "postgresql/v12/visibility"}} {
		if err := createDatabase(ctx, o.DatabaseURL, d.name); err != nil {
			return nil, &config.SettingError{Name: "DATABASE_URL", Reason: "cannot create Temporal's database " + d.name + ": " + err.Error()}
		}
		tool := []string{"--plugin", "postgres12", "--ep", db.Hostname(), "-p", dbPort, "-u", db.User.Username(), "--db", d.name}
		for _, step := range [][]string{{"setup-schema", "-v", "0.0"}, {"update-schema", "--schema-name", d.schema}} {
			cmd := exec.CommandContext(ctx, o.SQLToolBinary, append(append([]string{}, tool...), step...)...)
			cmd.Env = append(os.Environ(), "SQL_PASSWORD="+password) // not on the command line, where ps shows it
			if out, err := cmd.CombinedOutput(); err != nil {
				return nil, fmt.Errorf("temporal-sql-tool %s on %s: %w: %s", step[0], d.name, err, lastLine(out))
			}
		}
	}

	cmd := exec.Command(o.ServerBinary, "--root", dir, "--config", ".", "--env", "postgres", "--allow-no-auth", "start")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"TEMPORAL_IP="+host, "TEMPORAL_PORT="+port,
		"TEMPORAL_DB_ADDR="+net.JoinHostPort(db.Hostname(), dbPort), "TEMPORAL_DB_USER="+db.User.Username(), "TEMPORAL_DB_PASSWORD="+password,
		"TEMPORAL_DB="+o.Database, "TEMPORAL_VISIBILITY_DB="+o.Visibility,
		"TEMPORAL_DYNAMIC_CONFIG="+filepath.Join(dir, "dynamicconfig.yaml"))
	s, err := startChild(ctx, cmd, "SKOLFLOW_TEMPORAL_SERVER_BIN", Options{Address: o.Address, Namespace: "temporal-system"}, timeout)
	if err != nil {
		return nil, err
	}
	if err := RegisterNamespace(ctx, o.Address, o.Namespace, o.Retention, timeout); err != nil {
		s.Stop(5 * time.Second)
		return nil, err
	}
	return s, nil
}

// createDatabase creates the database if the server has none of that name.
func createDatabase(ctx context.Context, databaseURL, name string) error {
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	return err
}

// DropDatabases drops Temporal's two databases; tests call it after Stop.
func DropDatabases(ctx context.Context, databaseURL string, names ...string) error {
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for _, name := range names {
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			return err
		}
	}
	return nil
}

// RegisterNamespace registers the namespace unless it exists, and waits until the server serves
// it: the real server learns of a new namespace from its cache, refreshed every second by the
// dynamic config, and refuses it until then.
func RegisterNamespace(ctx context.Context, address, namespace string, retention, timeout time.Duration) error {
	nc, err := client.NewNamespaceClient(client.Options{HostPort: address, Logger: quiet()})
	if err != nil {
		return err
	}
	defer nc.Close()
	err = nc.Register(ctx, &workflowservice.RegisterNamespaceRequest{Namespace: namespace, WorkflowExecutionRetentionPeriod: durationpb.New(retention)})
	var exists *serviceerror.NamespaceAlreadyExists
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("registering the namespace %s: %w", namespace, err)
	}
	deadline := time.Now().Add(timeout)
	for {
		c, err := client.DialContext(ctx, client.Options{HostPort: address, Namespace: namespace, Logger: quiet()})
		if err == nil {
			// A read that goes through the namespace cache, as starting a workflow does.
			_, err = c.WorkflowService().CountWorkflowExecutions(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: namespace})
			c.Close()
			if err == nil {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the namespace %s is not served within %s: %w", namespace, timeout, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func lastLine(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}
