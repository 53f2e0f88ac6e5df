package integration

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// One area's trouble does not take a page with it: with the leave area's records out of reach
// (its table renamed in the test's database), the page about a child still shows today, the
// week and attendance, and says plainly, with the request's ID, that one part cannot be shown.
func TestAFailingSectionLeavesThePage(t *testing.T) {
	s := newStack(t)
	timetable(t, s)
	if _, err := s.db.Exec(context.Background(), `ALTER TABLE leave_applications RENAME TO leave_applications_away`); err != nil {
		t.Fatal(err)
	}
	status, page := s.browse(t, "vh-1").get("/children/" + s.id("elev-1"))
	if status != http.StatusOK || !strings.Contains(page, "<h1>Maja Lind</h1>") {
		t.Fatalf("the page about Maja with the leave area failing: %d\n%s", status, page)
	}
	for _, want := range []string{"Schema vecka", "Närvaro hittills", "Den här delen av sidan kan inte visas just nu", "Felkod att ange till supporten"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "leave_applications") || strings.Contains(page, "SQLSTATE") {
		t.Error("the page shows an internal name")
	}
}
