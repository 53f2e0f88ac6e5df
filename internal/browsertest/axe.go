package browsertest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axePath is axe-core's browser build, relative to the module's root; scripts/browser.sh
// installs it from tools/axe/package-lock.json.
const axePath = "tools/axe/node_modules/axe-core/axe.min.js"

// Violation is one axe-core rule that the page breaks, with the elements that break it.
type Violation struct {
	ID      string          `json:"id"`     // the rule, such as "label" or "image-alt"
	Impact  string          `json:"impact"` // minor, moderate, serious or critical
	Help    string          `json:"help"`
	HelpURL string          `json:"helpUrl"`
	Nodes   []ViolationNode `json:"nodes"`
}

// ViolationNode is one element that breaks a rule.
type ViolationNode struct {
	Target string `json:"target"` // a CSS selector of the element (" >>> " steps into frames)
	HTML   string `json:"html"`   // the element's start tag, as axe shows it
}

// axeRunJS runs axe-core's WCAG 2.0 and 2.1 level A and AA rules on the whole document and keeps
// only what Violation holds.
const axeRunJS = `axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
  resultTypes: ['violations'],
}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
  nodes: v.nodes.map(n => ({
    target: n.target.map(s => Array.isArray(s) ? s.join(' ') : s).join(' >>> '),
    html: n.html,
  })),
})))`

// Axe checks the current page with axe-core for WCAG 2.1 A and AA and returns what it breaks.
func (tab *Tab) Axe(t testing.TB) []Violation {
	t.Helper()
	src, err := tab.b.axeSource()
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	if !evaluate[bool](tab, "look for axe-core in the page", `typeof window.axe === 'object'`) {
		evaluate[chromedp.Void](tab, "load axe-core into the page", src)
	}
	return evaluate[[]Violation](tab, "run axe-core", axeRunJS, chromedp.EvalAwaitPromise)
}

// AssertAccessible fails t (without stopping it) when axe-core finds the current page breaking a
// WCAG 2.1 A or AA rule, listing every violation and every element, with a screenshot.
func (tab *Tab) AssertAccessible(t testing.TB) {
	t.Helper()
	vs := tab.Axe(t)
	if len(vs) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "browsertest: %s breaks %d accessibility rule(s):", tab.URL(), len(vs))
	for _, v := range vs {
		fmt.Fprintf(&b, "\n\t%s (%s): %s\n\t\t%s", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n\t\t%s  %s", n.Target, n.HTML)
		}
	}
	if png, err := getQuiet(tab, fullPage); err == nil {
		if path, err := tab.saveFailure(t, png); err == nil {
			fmt.Fprintf(&b, "\n\tscreenshot: %s", path)
		}
	}
	t.Error(b.String())
}

// axeSource reads axe-core once per browser.
func (b *Browser) axeSource() (string, error) {
	b.axeOnce.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			b.axeErr = err
			return
		}
		src, err := os.ReadFile(filepath.Join(root, axePath))
		if err != nil {
			b.axeErr = fmt.Errorf("no axe-core at %s: run make browser", axePath)
			return
		}
		b.axeJS = string(src)
	})
	return b.axeJS, b.axeErr
}

// moduleRoot walks up from the working directory (the tested package's) to the go.mod of the
// module, the first that has tools/axe beside it, so that a nested module's go.mod is passed by.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "tools", "axe", "package.json")); err == nil {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod with tools/axe above the working directory: run the tests inside the skolflow module")
		}
		dir = parent
	}
}
