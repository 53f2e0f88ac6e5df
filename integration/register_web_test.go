package integration

import (
	"net/http"
	"strings"
	"testing"

	"github.com/skolflow/skolflow/internal/demo"
)

// A guardian's children are on the start page, each leading to the page about the child; a
// child the API does not show the viewer is not found there.
func TestTheGuardiansPageAboutAChild(t *testing.T) {
	s := newStack(t)
	timetable(t, s)
	vh1 := s.browse(t, "vh-1")
	status, home := vh1.get("/")
	if status != http.StatusOK || !strings.Contains(home, "Mina barn") {
		t.Fatalf("vh-1's start page: %d without the children", status)
	}
	for _, child := range []string{"elev-1", "elev-2"} {
		if !strings.Contains(home, `href="/children/`+s.id(child)+`"`) {
			t.Errorf("vh-1's start page has no link to %s", child)
		}
	}
	status, page := vh1.get("/children/" + s.id("elev-1"))
	if status != http.StatusOK || !strings.Contains(page, "<h1>Maja Lind</h1>") {
		t.Fatalf("the page about Maja: %d\n%s", status, page)
	}
	for _, want := range []string{"I dag", "Schema vecka", "7A", "Närvaro hittills", "Den här veckan", "Terminen HT2026"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page about Maja lacks %q", want)
		}
	}
	// A teacher may see the pupil, as the API says: the name, but not the guardian's parts.
	if status, page := s.browse(t, "larare-a1").get("/children/" + s.id("elev-1")); status != http.StatusOK || strings.Contains(page, "Närvaro hittills") {
		t.Errorf("larare-a1 on the page about Maja: %d, want 200 with the name only", status)
	}
	for _, c := range []struct{ user, child string }{
		{"vh-4", "elev-1"},    // another family's guardian
		{"vh-1", "elev-5"},    // a child of another family
		{"annan-1", "elev-1"}, // an adult responsible for the child, without custody
		{"vh-1", "00000000-0000-4000-8000-000000000000"},
	} {
		id := c.child
		if strings.HasPrefix(id, "elev-") {
			id = s.id(id)
		}
		if status, page := s.browse(t, c.user).get("/children/" + id); status != http.StatusNotFound || strings.Contains(page, "Maja") {
			t.Errorf("%s on the page about %s: %d, want 404 saying nothing of the child", c.user, c.child, status)
		}
	}
	// A guardian with a protection marking sees their own child, whose identity is protected.
	if status, page := s.browse(t, "vh-3").get("/children/" + s.id("elev-3")); status != http.StatusOK || !strings.Contains(page, "<h1>Olle Ek</h1>") {
		t.Fatalf("vh-3 on the page about Olle: %d", status)
	}
}

// A teacher's groups and each group's pupils, as the API shows them: protected pupils to those
// who teach the group, not to the huvudman's officers; a guardian has no such page.
func TestTheTeachersGroups(t *testing.T) {
	s := newStack(t)
	teacher := s.browse(t, "larare-a1")
	status, page := teacher.get("/groups")
	if status != http.StatusOK || !strings.Contains(page, `href="/groups/`+demo.GroupID("7a")+`"`) || !strings.Contains(page, "mentor") {
		t.Fatalf("larare-a1's groups: %d\n%s", status, page)
	}
	if !strings.Contains(page, `href="/groups" aria-current="page"`) {
		t.Error("the menu does not lead to the groups, or does not say it is the page shown")
	}
	status, page = teacher.get("/groups/" + demo.GroupID("7a"))
	if status != http.StatusOK || !strings.Contains(page, "Elever (3)") {
		t.Fatalf("7A to its teacher: %d\n%s", status, page)
	}
	for _, pupil := range []string{"Lind, Maja", "Ek, Olle", "Sund, Petra"} {
		if !strings.Contains(page, pupil) {
			t.Errorf("7A to its teacher lacks %s", pupil)
		}
	}
	status, page = s.browse(t, "forvaltning").get("/groups/" + demo.GroupID("7a"))
	if status != http.StatusOK || !strings.Contains(page, "Lind, Maja") || !strings.Contains(page, "Elever (1)") {
		t.Fatalf("7A to the huvudman's officer: %d", status)
	}
	for _, secret := range []string{"Olle", "Petra", s.id("elev-3"), s.id("elev-4")} {
		if strings.Contains(page, secret) {
			t.Errorf("7A to the huvudman's officer shows %q, whose identity is protected", secret)
		}
	}
	guardian := s.browse(t, "vh-1")
	if status, _ := guardian.get("/groups/" + demo.GroupID("7a")); status != http.StatusNotFound {
		t.Fatalf("a guardian on a group's page: %d, want 404", status)
	}
	if _, home := guardian.get("/"); strings.Contains(home, `href="/groups"`) {
		t.Error("a guardian's menu leads to the teachers' groups")
	}
}
