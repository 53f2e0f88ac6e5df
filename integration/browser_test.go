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

// signIn signs user in on tab as a person would: the page asks for sign-in, and the dev
// issuer's page has one button per demo user.
func (s *stack) signIn(t *testing.T, tab *browsertest.Tab, user string) {
	t.Helper()
	tab.Go(s.api.URL + "/signin")
	tab.ClickAndWait(`button[name="user"][value="` + user + `"]`)
	if tab.Status() != 200 {
		t.Fatalf("%s signed in to a page that answered %d", user, tab.Status())
	}
}
