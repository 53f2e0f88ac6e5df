// Package store opens Skolflow's PostgreSQL database, owns its schema (the migrations), follows
// what other instances write (Listener), and holds the SQL of the kernel's own records as the
// API reads them: the task inbox (tasks.go), the in-app notifications (notifications.go), each
// person's contact preferences (contact.go), the processes' history (processes.go), and the
// access log the API writes (accesslog.go).
//
// These records are here because they belong to no area of the school: every area's processes
// fill them through the kernel's activities, and the kernel's handlers (api/) hold no SQL. The
// activities keep the statements that write tasks, notifications and history beside them
// (activities/). An area's SQL is its own store's (leave.Store, register.Store), and what the
// kernel asks of the register is package register's. The register and the records live in
// PostgreSQL; process state lives in Temporal.
package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Open connects a pool to url and checks that the server answers.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	// pgx's default (the number of CPUs, at least 4) starves a process that serves requests,
	// runs activities and holds a connection to LISTEN; pool_max_conns in the URL overrides this.
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = 20
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// EnsureDatabase creates the database named in url when it does not exist, connecting to the
// server's "postgres" maintenance database to do so. It is what lets `skolflow dev` start on a
// server that has never seen Skolflow.
func EnsureDatabase(ctx context.Context, url string) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return err
	}
	name := cfg.Database
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err == nil {
		return conn.Close(ctx)
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "3D000" { // invalid_catalog_name
		return err
	}
	cfg.Database = "postgres"
	admin, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer admin.Close(ctx)
	_, err = admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database: created meanwhile
		return nil
	}
	if err != nil {
		return fmt.Errorf("create database: %w", err)
	}
	return nil
}
