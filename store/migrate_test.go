package store_test

import (
	"context"
	"testing"

	"github.com/skolflow/skolflow/internal/pgtest"
	"github.com/skolflow/skolflow/store"
)

// Migrating an empty database applies every migration; migrating again applies none and
// leaves the schema as it was.
func TestMigrateTwiceIsANoOp(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Open(t, pgtest.NewEmptyURL(t))
	all, err := store.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	applied, err := store.Migrate(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != len(all) || len(all) == 0 {
		t.Fatalf("first run applied %v, want all %d migrations", applied, len(all))
	}
	again, err := store.Migrate(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 0 {
		t.Fatalf("second run applied %v, want nothing", again)
	}
	var recorded int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM schema_migrations").Scan(&recorded); err != nil {
		t.Fatal(err)
	}
	if recorded != len(all) {
		t.Fatalf("schema_migrations has %d rows, want %d", recorded, len(all))
	}
}

// Two instances starting at once both succeed and apply each migration once.
func TestConcurrentMigrationsApplyEachOnce(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewEmptyURL(t)
	a, b := pgtest.Open(t, url), pgtest.Open(t, url)
	type result struct {
		applied []string
		err     error
	}
	results := make(chan result, 2)
	go func() { r, err := store.Migrate(ctx, a); results <- result{r, err} }()
	go func() { r, err := store.Migrate(ctx, b); results <- result{r, err} }()
	r1, r2 := <-results, <-results
	if r1.err != nil || r2.err != nil {
		t.Fatalf("errors: %v, %v", r1.err, r2.err)
	}
	all, _ := store.Migrations()
	if len(r1.applied)+len(r2.applied) != len(all) {
		t.Fatalf("applied %v and %v, want %d in all", r1.applied, r2.applied, len(all))
	}
}
