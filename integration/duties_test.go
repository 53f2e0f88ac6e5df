package integration

import (
	"context"
	"net/http"
	"testing"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/demo"
)

// Nobody grants themselves or others reach without the right. Before, a school's administrator
// could give Övrig arbetsledning, an organiser-level reading role, to any adult, a guardian
// included, who then read the school's pupils and investigations.
func TestNoOneGrantsReachWithoutTheRight(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	duties := "/api/v1/schools/" + demo.OrgID("a") + "/duties"
	investigations := "/api/v1/schools/" + demo.OrgID("a") + "/absence-investigations"
	duty := func(person, role string) map[string]any {
		return map[string]any{"person": s.id(person), "dutyRole": role, "startDate": "2026-01-01"}
	}
	countDuties := func() int {
		t.Helper()
		var n int
		if err := s.db.QueryRow(ctx, `SELECT count(*) FROM duties`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := countDuties()
	refused := []struct {
		name, user string
		body       map[string]any
		field      string
	}{
		{"a school's administrator gives a guardian the organiser's reading role", "admin-a", duty("vh-1", "Övrig arbetsledning"), "dutyRole"},
		{"a school's administrator gives a teacher the organiser's reading role", "admin-a", duty("larare-a2", "Övrig arbetsledning"), "dutyRole"},
		{"a school's administrator makes a guardian a teacher", "admin-a", duty("vh-1", "Lärare"), "person"},
		{"a school's administrator gives a non-custodial adult a duty", "admin-a", duty("annan-1", "Kurator"), "person"},
		{"the organiser's administrator gives a guardian the organiser's reading role", "admin-huvudman", duty("vh-2", "Övrig arbetsledning"), "person"},
		{"the organiser's administrator makes a teacher principal", "admin-huvudman", duty("larare-a2", "Rektor"), "dutyRole"},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			var p api.Problem
			res := s.as(c.user).do("POST", duties, c.body, &p)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("%d %+v, want 422", res.StatusCode, p)
			}
			if len(p.Errors) == 0 || p.Errors[0].Field != c.field {
				t.Fatalf("%+v does not name %s", p.Errors, c.field)
			}
		})
	}
	if n := countDuties(); n != before {
		t.Fatalf("%d duties after refused grants, want %d", n, before)
	}
	// The guardians read nothing more than before.
	for _, user := range []string{"vh-1", "vh-2"} {
		if res := s.as(user).do("GET", investigations, nil, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s reads the school's investigations: %d, want 404", user, res.StatusCode)
		}
	}

	// The organiser's administrator gives its reading role to its own staff; a school's
	// administrator gives a school role to the organiser's staff of another school.
	if res := s.as("admin-huvudman").do("POST", duties, duty("larare-a2", "Övrig arbetsledning"), nil); res.StatusCode != http.StatusCreated {
		t.Fatalf("the organiser's administrator gives a teacher Övrig arbetsledning: %d, want 201", res.StatusCode)
	}
	if res := s.as("larare-a2").do("GET", investigations, nil, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("the new officer reads the school's investigations: %d, want 200", res.StatusCode)
	}
	if res := s.as("admin-a").do("POST", duties, duty("larare-b1", "Lärare"), nil); res.StatusCode != http.StatusCreated {
		t.Fatalf("school A's administrator makes school B's teacher a teacher at A too: %d, want 201", res.StatusCode)
	}
	if n := countDuties(); n != before+2 {
		t.Fatalf("%d duties, want %d", n, before+2)
	}
}
