package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// keys are the names Press knows, as a person reads them on the keyboard.
var keys = map[string]string{
	"Tab": kb.Tab, "Enter": kb.Enter, "Space": " ", "Escape": kb.Escape, "Backspace": kb.Backspace,
	"ArrowUp": kb.ArrowUp, "ArrowDown": kb.ArrowDown, "ArrowLeft": kb.ArrowLeft, "ArrowRight": kb.ArrowRight,
	"Home": kb.Home, "End": kb.End, "PageUp": kb.PageUp, "PageDown": kb.PageDown,
}

// Press presses one key on the focused element: "Tab", "Enter", "Space", "Escape", "Backspace",
// "ArrowUp" (and Down, Left, Right), "Home", "End", "PageUp", "PageDown", or one character; a
// "Shift+" prefix holds Shift, as in "Shift+Tab". It does not wait for a page that the key opens
// (PressAndWait does).
func (tab *Tab) Press(key string) {
	tab.t.Helper()
	tab.do("press "+key, tab.keyAction(key))
}

// PressAndWait presses a key like Press and waits until the page that it opens has loaded, such
// as Enter in a form's field.
func (tab *Tab) PressAndWait(key string) {
	tab.t.Helper()
	tab.navigate("press "+key+" and wait for the next page", tab.keyAction(key))
}

// Type types text into the focused element, key by key.
func (tab *Tab) Type(text string) {
	tab.t.Helper()
	tab.do(fmt.Sprintf("type %q", text), chromedp.KeyEvent(text))
}

func (tab *Tab) keyAction(key string) chromedp.Action[chromedp.Void] {
	tab.t.Helper()
	name, shift := strings.CutPrefix(key, "Shift+")
	code, ok := keys[name]
	if !ok && len([]rune(name)) == 1 {
		code, ok = name, true
	}
	if !ok {
		tab.t.Fatalf("browsertest: Press(%q): no such key (try Tab, Enter, Space, Escape, ArrowDown, Shift+Tab or one character)", key)
	}
	if shift {
		return chromedp.KeyEvent(code, chromedp.KeyModifiers(chromedp.ModifierShift))
	}
	return chromedp.KeyEvent(code)
}

// TabTo presses Tab, at most maxPresses times, until the focused element matches the CSS selector sel,
// and fails the test if it does not get there or if the element shows no focus indicator (its
// computed outline is none or zero wide, and it has no box-shadow). A focused element that
// already matches counts, with no key pressed. t gets the failure; it is normally the test that
// opened the tab (the same holds for Axe and AssertAccessible).
func (tab *Tab) TabTo(t testing.TB, sel string, maxPresses int) {
	t.Helper()
	var path []string
	for i := 0; ; i++ {
		state := evaluate[focusState](tab, "check the focus", fmt.Sprintf(focusStateJS, jsString(sel)))
		if state.Matches {
			if state.Indicator == "" {
				tab.failOn(t, "%s has the focus but shows no focus indicator (%s)", sel, state.Style)
			}
			return
		}
		path = append(path, tab.Focused())
		if i == maxPresses {
			break
		}
		tab.Press("Tab")
	}
	tab.failOn(t, "%s not reached in %d presses of Tab; the focus went:\n\t\t%s", sel, maxPresses, strings.Join(path, "\n\t\t"))
}

// focusState is what focusStateJS finds.
type focusState struct {
	Matches   bool   `json:"matches"`
	Indicator string `json:"indicator"` // "outline" or "box-shadow"; empty when none shows
	Style     string `json:"style"`     // the computed styles looked at, for the message
}

// focusStateJS tells whether the focused element matches a selector (%s) and, if so, which of
// its computed styles shows that it has the focus.
const focusStateJS = `((sel) => {
  const el = document.activeElement;
  if (!el || el === document.body || !el.matches(sel)) return {matches: false, indicator: '', style: ''};
  const s = getComputedStyle(el);
  const style = 'outline: ' + s.outlineStyle + ' ' + s.outlineWidth + '; box-shadow: ' + s.boxShadow;
  if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) return {matches: true, indicator: 'outline', style};
  if (s.boxShadow !== 'none') return {matches: true, indicator: 'box-shadow', style};
  return {matches: true, indicator: '', style};
})(%s)`
