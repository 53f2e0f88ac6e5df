package register_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/demo"
	"github.com/skolflow/skolflow/internal/pgtest"
	"github.com/skolflow/skolflow/register"
)

// The snapshot authorization decides over answers every question about a person or a group
// exactly as the database does (FactsAboutPerson, FactsAboutGroup are the definition), for every
// viewer: on the demo register, with its protected persons, ended and future memberships, duties
// and custody, and again after a change, which the snapshot sees only once it is taken again.
func TestSnapshotAnswersAsTheDatabase(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	if _, err := demo.LoadRegister(ctx, db); err != nil {
		t.Fatal(err)
	}
	ids := func(query string) []string {
		rows, err := db.Query(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	persons := append(ids(`SELECT id::text FROM persons`), "00000000-0000-4000-8000-000000000000") // and one not there
	groups := append(ids(`SELECT id::text FROM groups`), "00000000-0000-4000-8000-000000000000")
	compare := func(when string) {
		t.Helper()
		snap, err := register.LoadSnapshot(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		for _, viewer := range persons {
			for _, p := range persons {
				want, err := register.FactsAboutPerson(ctx, db, p, viewer)
				if err != nil {
					t.Fatal(err)
				}
				got := snap.Person(p, viewer)
				slices.Sort(want.Orgs)
				slices.Sort(got.Orgs)
				if len(want.Orgs) == 0 && len(got.Orgs) == 0 {
					want.Orgs, got.Orgs = nil, nil
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: the snapshot says of person %s to %s %+v, the database %+v", when, p, viewer, got, want)
				}
			}
			for _, g := range groups {
				want, err := register.FactsAboutGroup(ctx, db, g, viewer)
				if err != nil {
					t.Fatal(err)
				}
				if got := snap.Group(g, viewer); got != want {
					t.Fatalf("%s: the snapshot says of group %s to %s %+v, the database %+v", when, g, viewer, got, want)
				}
			}
		}
	}
	compare("the demo register")

	// A teacher's assignment ends, a guardian loses custody and a pupil leaves a group, by plain
	// SQL as no route would: the version moves all the same (the triggers), and a new snapshot
	// agrees with the database again.
	before, _, err := register.Version(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`UPDATE group_assignments SET end_date = current_date - 1 WHERE ctid = (SELECT min(ctid) FROM group_assignments)`,
		`UPDATE responsibles SET end_date = current_date - 1 WHERE ctid = (SELECT min(ctid) FROM responsibles WHERE ` + register.HasCustody("responsibles") + `)`,
		`DELETE FROM group_memberships WHERE ctid = (SELECT min(ctid) FROM group_memberships)`,
	} {
		if tag, err := db.Exec(ctx, stmt); err != nil || tag.RowsAffected() != 1 {
			t.Fatalf("%s: %v, %d rows", stmt, err, tag.RowsAffected())
		}
	}
	after, _, err := register.Version(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if after < before+3 {
		t.Fatalf("the register version went from %d to %d over three changes", before, after)
	}
	compare("after the changes")

	// A statement that changes nothing is no change: no instance reloads for it.
	for _, stmt := range []string{
		`UPDATE persons SET security_marking = security_marking WHERE false`,
		`DELETE FROM group_memberships WHERE false`,
	} {
		if _, err := db.Exec(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	if still, _, err := register.Version(ctx, db); err != nil || still != after {
		t.Fatalf("the version moved from %d to %d (%v) with nothing changed", after, still, err)
	}

	// The version moves at commit, not at the statement: a long transaction does not hold its
	// row from its first change.
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `DELETE FROM group_memberships WHERE ctid = (SELECT min(ctid) FROM group_memberships)`); err != nil {
		t.Fatal(err)
	}
	var during int64
	if err := tx.QueryRow(ctx, `SELECT version FROM register_version`).Scan(&during); err != nil || during != after {
		t.Fatalf("inside the transaction the version is %d (%v), want %d until commit", during, err, after)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if committed, _, err := register.Version(ctx, db); err != nil || committed != after+1 {
		t.Fatalf("after the commit the version is %d (%v), want %d", committed, err, after+1)
	}
}
