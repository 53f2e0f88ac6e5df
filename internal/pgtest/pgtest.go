// Package pgtest gives each test its own PostgreSQL database on the real server, cloned from a
// template that has the current migrations applied, and drops it afterwards. Test binaries of
// different packages run in parallel without seeing each other's rows.
//
// The server is the one DATABASE_URL names (make test sets it), or 127.0.0.1:5432 as postgres.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/store"
)

const defaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// New returns a pool on a fresh, migrated database that is dropped when tb ends.
func New(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	return open(tb, NewURL(tb))
}

// NewURL creates a fresh, migrated database and returns its URL, for code under test that
// connects by itself (the skolflow binary). The database is dropped when tb ends.
func NewURL(tb testing.TB) string {
	tb.Helper()
	return create(tb, true)
}

// NewEmptyURL creates a database with no schema at all, for migration tests.
func NewEmptyURL(tb testing.TB) string {
	tb.Helper()
	return create(tb, false)
}

// Open connects a pool to url, closed when tb ends.
func Open(tb testing.TB, url string) *pgxpool.Pool {
	tb.Helper()
	return open(tb, url)
}

func open(tb testing.TB, url string) *pgxpool.Pool {
	pool, err := store.Open(context.Background(), url)
	if err != nil {
		tb.Fatalf("pgtest: connect: %v", err)
	}
	tb.Cleanup(pool.Close)
	return pool
}

// ServerURL is the URL of the server's maintenance database.
func ServerURL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return defaultURL
}

func create(tb testing.TB, migrated bool) string {
	url, drop, err := createDatabase(migrated)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		if err := drop(); err != nil {
			tb.Errorf("pgtest: %v", err)
		}
	})
	return url
}

// NewShared creates a fresh, migrated database that outlives any one test: for data that takes
// long to make and that several tests of a process read, such as a seeded city. The caller calls
// drop when the process is done with it (in TestMain).
func NewShared() (url string, drop func() error, err error) {
	return createDatabase(true)
}

// createDatabase creates a database, migrated from the template or empty, and answers its URL
// and the function that drops it.
func createDatabase(migrated bool) (string, func() error, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, ServerURL())
	if err != nil {
		return "", nil, fmt.Errorf("cannot reach PostgreSQL (run the tests with `make test`, or set DATABASE_URL): %w", err)
	}
	defer admin.Close(ctx)

	name := "skolflow_test_" + randomHex()
	stmt := "CREATE DATABASE " + name
	if migrated {
		tpl, err := template(ctx, admin)
		if err != nil {
			return "", nil, fmt.Errorf("template: %w", err)
		}
		stmt += " TEMPLATE " + tpl
	}
	if _, err := admin.Exec(ctx, stmt); err != nil {
		return "", nil, fmt.Errorf("%s: %w", stmt, err)
	}
	drop := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := pgx.Connect(ctx, ServerURL())
		if err != nil {
			return fmt.Errorf("drop %s: %w", name, err)
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop %s: %w", name, err)
		}
		return nil
	}
	return databaseURL(name), drop, nil
}

// databaseURL is the server's URL with the database replaced by name.
func databaseURL(name string) string {
	u, err := url.Parse(ServerURL())
	if err != nil {
		panic("pgtest: DATABASE_URL is not a URL")
	}
	u.Path = "/" + name
	return u.String()
}

// template returns the name of the migrated template database for the current schema, creating
// it once across all concurrently running test binaries.
func template(ctx context.Context, admin *pgx.Conn) (string, error) {
	hash, err := store.SchemaHash()
	if err != nil {
		return "", err
	}
	name := "skolflow_template_" + hash
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock(7355608)"); err != nil {
		return "", err
	}
	defer admin.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(7355608)")

	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	// Templates of older schemas are of no further use.
	rows, err := admin.Query(ctx, "SELECT datname FROM pg_database WHERE datname LIKE 'skolflow\\_template\\_%'")
	if err != nil {
		return "", err
	}
	old, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", err
	}
	for _, o := range old {
		admin.Exec(ctx, "ALTER DATABASE "+o+" IS_TEMPLATE false")
		admin.Exec(ctx, "DROP DATABASE IF EXISTS "+o+" WITH (FORCE)")
	}

	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	pool, err := pgxpool.New(ctx, databaseURL(name))
	if err != nil {
		return "", err
	}
	_, err = store.Migrate(ctx, pool)
	pool.Close()
	if err != nil {
		admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		return "", err
	}
	_, err = admin.Exec(ctx, "ALTER DATABASE "+name+" IS_TEMPLATE true")
	return name, err
}

func randomHex() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
