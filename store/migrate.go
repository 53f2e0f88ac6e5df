package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow"
)

// Migrations are plain SQL files named NNNN_what.sql, applied in order, each in its own
// transaction. A file once released never changes: a change is a new file. The kernel's are in
// store/migrations, each area's in its own migrations folder (skolflow.Migrations gathers them);
// the version orders them all, so an area's table may refer to the kernel's and to an earlier
// area's.

// Migration is one schema step.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists every folder's migrations in order.
func Migrations() ([]Migration, error) {
	files, err := fs.Glob(skolflow.Migrations, "*/migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, file := range files {
		name := path.Base(file)
		var version int
		if _, err := fmt.Sscanf(name, "%04d_", &version); err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a 4-digit version", file)
		}
		body, err := fs.ReadFile(skolflow.Migrations, file)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: version, Name: strings.TrimSuffix(name, ".sql"), SQL: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i := 1; i < len(ms); i++ {
		if ms[i].Version == ms[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s share a version", ms[i-1].Name, ms[i].Name)
		}
	}
	return ms, nil
}

// SchemaHash identifies the schema the embedded migrations produce. Tests name their template
// database after it, so a new migration yields a new template.
func SchemaHash() (string, error) {
	ms, err := Migrations()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, m := range ms {
		fmt.Fprintf(h, "%s\n%s\n", m.Name, m.SQL)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

// migrateLock is the advisory lock key that serialises concurrent migrators (several API
// instances starting at once).
const migrateLock = 0x736b6f6c666c6f77 // "skolflow"

// Migrate applies every migration not yet applied and returns the names it applied. Applying
// twice is a no-op.
func Migrate(ctx context.Context, pool *pgxpool.Pool) ([]string, error) {
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrateLock); err != nil {
		return nil, err
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLock)

	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return nil, err
	}
	applied := map[int]bool{}
	rows, err := conn.Query(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	versions, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, err
	}
	for _, v := range versions {
		applied[v] = true
	}

	var done []string
	for _, m := range ms {
		if applied[m.Version] {
			continue
		}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.Version, m.Name)
			return err
		})
		if err != nil {
			return done, fmt.Errorf("migration %s: %w", m.Name, err)
		}
		done = append(done, m.Name)
	}
	return done, nil
}
