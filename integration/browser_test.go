package integration

import (
	"testing"

	"github.com/skolflow/skolflow/internal/browsertest"
)

// browser starts headless Chromium for one test (it closes when the test ends).
func browser(t *testing.T) *browsertest.Browser {
	t.Helper()
	return browsertest.New(t)
}

// Screen sizes the pages are tested at: a small phone, and a desk.
const (
	phoneWidth, phoneHeight = 360, 780
	deskWidth, deskHeight   = 1280, 900
)

// signIn signs user in on tab as a person would, by keyboard: the page asks for sign-in, and
// the dev issuer's page has one button per demo user.
func (s *stack) signIn(t *testing.T, tab *browsertest.Tab, user string) {
	t.Helper()
	tab.Go(s.api.URL + "/signin")
	signInByKeyboard(t, tab, user)
	if tab.Status() != 200 {
		t.Fatalf("%s signed in to a page that answered %d", user, tab.Status())
	}
}

// signInByKeyboard chooses user on the dev issuer's sign-in page, open on tab, by Tab and Enter.
func signInByKeyboard(t *testing.T, tab *browsertest.Tab, user string) {
	t.Helper()
	if !tab.Exists(`button[name="user"]`) {
		t.Fatalf("%s: the tab is not on the sign-in page but on %s", user, tab.URL())
	}
	tab.AssertAccessible(t)
	tab.TabTo(t, `button[name="user"][value="`+user+`"]`, 60)
	tab.PressAndWait("Enter")
}
