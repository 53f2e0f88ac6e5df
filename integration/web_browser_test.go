package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skolflow/skolflow/internal/browsertest"
)

// screenshot writes the tab's page to $SKOLFLOW_SCREENSHOTS/<name>-<width>.png when that is set
// (make screenshots sets it to docs/screenshots, which the README shows).
func screenshot(t *testing.T, tab *browsertest.Tab, name string, width int) {
	t.Helper()
	dir := os.Getenv("SKOLFLOW_SCREENSHOTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	tab.Screenshot(filepath.Join(dir, name+"-"+map[int]string{phoneWidth: "phone", deskWidth: "desk"}[width]+".png"))
}

// The kernel's pages, at a phone's width and a desk's: each passes axe's WCAG 2.1 A and AA
// rules, begins with a skip link to the content, and the settings form is done by keyboard
// alone, its error summary naming the wrong field and leading to it.
func TestTheKernelsPagesInABrowser(t *testing.T) {
	s := newStack(t)
	b := browser(t)
	for _, width := range []int{phoneWidth, deskWidth} {
		tab := b.Tab(t, width, map[int]int{phoneWidth: phoneHeight, deskWidth: deskHeight}[width])
		tab.Go(s.api.URL + "/signin")
		tab.AssertAccessible(t) // the dev issuer's sign-in page
		tab.ClickAndWait(`button[name="user"][value="vh-1"]`)
		for _, p := range []struct{ path, name string }{
			{"/", "start"}, {"/tasks", "tasks"}, {"/notifications", "notifications"}, {"/settings", "settings"}, {"/no/such/page", "not-found"},
		} {
			tab.Go(s.api.URL + p.path)
			tab.AssertAccessible(t)
			screenshot(t, tab, "guardian-"+p.name, width)
		}
		if tab.Status() != 404 {
			t.Errorf("an unknown page answered %d", tab.Status())
		}

		// The skip link is the first stop of the keyboard, and leads to the content.
		tab.Go(s.api.URL + "/settings")
		tab.Press("Tab")
		if f := tab.Focused(); !strings.Contains(f, `class="skip"`) {
			t.Fatalf("the first Tab stops at %s, want the skip link", f)
		}
		tab.Press("Enter")
		if f := tab.Focused(); !strings.Contains(f, `id="main"`) {
			t.Fatalf("the skip link leads to %s, want the main content", f)
		}

		// A wrong phone number: the form comes back with what was typed and a summary that names
		// the field and links to it.
		tab.TabTo(t, "#phone", 30)
		tab.Type("0701234567")
		tab.TabTo(t, `form[action="/settings"] button`, 30)
		tab.PressAndWait("Enter")
		if tab.Status() != 422 {
			t.Fatalf("a wrong phone number answered %d, want 422", tab.Status())
		}
		tab.AssertAccessible(t)
		if got := tab.Text(".summary"); !strings.Contains(got, "Mobilnummer") || !strings.Contains(got, "+46") {
			t.Fatalf("the error summary %q does not name the field", got)
		}
		screenshot(t, tab, "guardian-settings-error", width)
		// The summary's entry is a link the keyboard reaches, to the field it names.
		tab.TabTo(t, `.summary a[href="#phone"]`, 10)
		if !tab.Exists(`input#phone[aria-invalid="true"][aria-describedby="phone-error"]`) {
			t.Fatal("the phone field is not marked wrong, or not described by its error")
		}
		if !tab.Exists(`#phone[value="0701234567"]`) {
			t.Fatal("what was typed is gone")
		}
		// Corrected by keyboard, it is saved.
		tab.TabTo(t, "#phone", 30) // a field reached by Tab has its text selected: typing replaces it
		tab.Type("+46701234567")
		tab.TabTo(t, `form[action="/settings"] button`, 30)
		tab.PressAndWait("Enter")
		if got := tab.Text(".flash"); !strings.Contains(got, "sparade") {
			t.Fatalf("after saving: %q", got)
		}
	}
}
