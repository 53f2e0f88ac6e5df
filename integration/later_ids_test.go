package integration

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/demo"
)

// A route with two ids answers a refusal for the second exactly as for an id no one has, and
// writes nothing. Before, the organiser's administrator could put a pupil with protected
// identity in any group (200), and a random id answered 422: the difference told where the
// pupil is enrolled.
func TestLaterIDsAnswerLikeMissingOnes(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	class := "/api/v1/groups/" + demo.GroupID("7a") + "/members/"
	child := "/api/v1/persons/" + s.id("elev-1") + "/responsibles/"
	member := map[string]any{"startDate": "2026-08-17", "endDate": nil}
	adult := map[string]any{"relationType": "Annan ansvarig", "startDate": nil, "endDate": nil}
	cases := []struct {
		name, user, method, path string
		body                     any
	}{
		{"the organiser's administrator puts a protected pupil in a class", "admin-huvudman", "PUT", class + s.id("elev-3"), member},
		{"the organiser's administrator takes a protected pupil out of a class", "admin-huvudman", "DELETE", class + s.id("elev-3"), nil},
		{"school A's administrator puts a pupil of school B in a class", "admin-a", "PUT", class + s.id("elev-5"), member},
		{"school A's administrator makes a protected adult responsible", "admin-a", "PUT", child + s.id("vh-5"), adult},
		{"the organiser's administrator makes a protected adult responsible", "admin-huvudman", "PUT", child + s.id("vh-5"), adult},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := laterIDRows(t, s)
			var refused api.Problem
			res := s.as(c.user).do(c.method, c.path, c.body, &refused)
			if res.StatusCode != http.StatusNotFound {
				t.Fatalf("%d %+v, want 404", res.StatusCode, refused)
			}
			// The same request with an id no one has: the same answer, word for word.
			missing := c.path[:len(c.path)-len(uuid.Nil.String())] + uuid.NewString()
			var none api.Problem
			res = s.do(c.method, missing, c.body, &none)
			if res.StatusCode != http.StatusNotFound {
				t.Fatalf("an id no one has: %d %+v, want 404", res.StatusCode, none)
			}
			if refused.Type != none.Type || refused.Title != none.Title || refused.Detail != none.Detail || len(refused.Errors)+len(none.Errors) != 0 {
				t.Errorf("the refusal %+v differs from the answer for a missing id %+v", refused, none)
			}
			if after := laterIDRows(t, s); after != before {
				t.Errorf("rows (memberships of elev-3 and elev-5, responsibles of elev-1) went from %v to %v", before, after)
			}
		})
	}
	// The pupil's own school's administrator still does the job.
	if res := s.as("admin-a").do("PUT", class+s.id("elev-3"), member, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("school A's administrator puts its protected pupil in its class: %d", res.StatusCode)
	}
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM group_memberships WHERE group_id = $1 AND person_id = $2`,
		demo.GroupID("7a"), s.id("elev-3")).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("elev-3 is %d times in 7A, want once", n)
	}
}

// laterIDRows counts what the refused requests above could have written.
func laterIDRows(t *testing.T, s *stack) [3]int {
	t.Helper()
	var n [3]int
	err := s.db.QueryRow(context.Background(), `SELECT
		(SELECT count(*) FROM group_memberships WHERE person_id = $1),
		(SELECT count(*) FROM group_memberships WHERE person_id = $2),
		(SELECT count(*) FROM responsibles WHERE person_id = $3)`,
		s.id("elev-3"), s.id("elev-5"), s.id("elev-1")).Scan(&n[0], &n[1], &n[2])
	if err != nil {
		t.Fatal(err)
	}
	return n
}
