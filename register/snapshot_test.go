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
}
