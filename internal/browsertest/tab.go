package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Tab is one browser window of width×height CSS pixels in a browser context of its own: it
// shares no cookies or storage with any other Tab. It closes when the test that opened it ends.
type Tab struct {
	b   *Browser
	t   testing.TB
	ctx context.Context

	mu     sync.Mutex
	status map[cdp.FrameID]int64 // the HTTP status of each frame's last document
}

// Tab opens a window of width×height CSS pixels (device scale 1) in a new browser context, so
// that what one tab signs in to, no other tab sees.
func (b *Browser) Tab(t testing.TB, width, height int) *Tab {
	t.Helper()
	tab := &Tab{b: b, t: t, status: map[cdp.FrameID]int64{}}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(tab.onEvent))
	t.Cleanup(cancel)
	tab.ctx = ctx
	// The first run opens the tab and binds its life to ctx, so it has no timeout of its own.
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(int64(width), int64(height)),
		// Every tab acts as the focused window, so that focus, :focus-visible and key events
		// behave the same in each of several open tabs.
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
			return err
		}),
	)
	if err != nil {
		t.Fatalf("browsertest: opening a %dx%d tab: %v", width, height, err)
	}
	return tab
}

// onEvent records the status of each document response; it runs on chromedp's reading goroutine.
func (tab *Tab) onEvent(ev any) {
	if ev, ok := ev.(*network.EventResponseReceived); ok && ev.Type == network.ResourceTypeDocument && ev.Response != nil {
		tab.mu.Lock()
		tab.status[ev.FrameID] = ev.Response.Status
		tab.mu.Unlock()
	}
}

// Go opens url and waits until the page has loaded and has a body. A url starting with "/" is
// taken relative to the current page.
func (tab *Tab) Go(rawURL string) {
	tab.t.Helper()
	target := tab.resolve(rawURL)
	tab.do("open "+target, chromedp.Navigate(target), chromedp.WaitReady(chromedp.CSS("body")))
}

// resolve makes a url that starts with "/" absolute against the current page.
func (tab *Tab) resolve(rawURL string) string {
	tab.t.Helper()
	if !strings.HasPrefix(rawURL, "/") || strings.HasPrefix(rawURL, "//") {
		return rawURL
	}
	base, err := url.Parse(tab.URL())
	if err != nil || base.Host == "" {
		tab.fail("open %s: the tab has no page to resolve it against (open a full URL first)", rawURL)
	}
	ref, err := url.Parse(rawURL)
	if err != nil {
		tab.fail("open %s: %v", rawURL, err)
	}
	return base.ResolveReference(ref).String()
}

// Click clicks the centre of the first visible element matching the CSS selector; it does not
// wait for a navigation that the click starts (ClickAndWait does).
func (tab *Tab) Click(sel string) {
	tab.t.Helper()
	tab.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// ClickAndWait clicks like Click and then waits until the page that the click opens has loaded,
// such as after a form's submit button.
func (tab *Tab) ClickAndWait(sel string) {
	tab.t.Helper()
	tab.navigate("click "+sel+" and wait for the next page", chromedp.Click(chromedp.CSS(sel)))
}

// Fill empties the visible input or textarea matching sel and types text into it, key by key.
func (tab *Tab) Fill(sel, text string) {
	tab.t.Helper()
	tab.do(fmt.Sprintf("fill %s", sel),
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
			`(() => { const el = document.querySelector(%s); el.focus(); el.value = '';
			  el.dispatchEvent(new Event('input', {bubbles: true})); })()`, jsString(sel))),
		chromedp.SendKeys(chromedp.CSS(sel), text),
	)
}

// Select chooses the option whose value is value in the select element matching sel, as a
// person choosing it would: the select gets input and change events.
func (tab *Tab) Select(sel, value string) {
	tab.t.Helper()
	tab.do("find "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	problem := evaluate[string](tab, "select "+value+" in "+sel, fmt.Sprintf(
		`((sel, value) => {
		  const el = document.querySelector(sel);
		  if (!(el instanceof HTMLSelectElement)) return 'it is not a select element';
		  if (![...el.options].some(o => o.value === value)) return 'it has no option of that value';
		  el.value = value;
		  el.dispatchEvent(new Event('input', {bubbles: true}));
		  el.dispatchEvent(new Event('change', {bubbles: true}));
		  return '';
		})(%s, %s)`, jsString(sel), jsString(value)))
	if problem != "" {
		tab.fail("select %q in %s: %s", value, sel, problem)
	}
}

// Text is the visible text (innerText) of the first element matching sel, waiting for it to exist.
func (tab *Tab) Text(sel string) string {
	tab.t.Helper()
	return get(tab, "read the text of "+sel, chromedp.Text(chromedp.CSS(sel)))
}

// Exists reports whether an element matches sel now, without waiting.
func (tab *Tab) Exists(sel string) bool {
	tab.t.Helper()
	return evaluate[bool](tab, "look for "+sel, fmt.Sprintf(`document.querySelector(%s) !== null`, jsString(sel)))
}

// URL is the address of the current page.
func (tab *Tab) URL() string {
	tab.t.Helper()
	return evaluate[string](tab, "read the page's address", `document.location.href`)
}

// HTML is the current DOM of the page, serialised.
func (tab *Tab) HTML() string {
	tab.t.Helper()
	return evaluate[string](tab, "read the page's HTML", `document.documentElement.outerHTML`)
}

// Status is the HTTP status of the current page's document: the last response of the main
// frame's navigation (after redirects, the final one).
func (tab *Tab) Status() int {
	tab.t.Helper()
	tree := get(tab, "read the frame tree", chromedp.Action[page.GetFrameTreeResult](
		func(ctx context.Context, t *chromedp.Target) (page.GetFrameTreeResult, error) {
			return cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		}))
	tab.mu.Lock()
	status, ok := tab.status[tree.FrameTree.Frame.ID]
	tab.mu.Unlock()
	if !ok {
		tab.fail("no HTTP status: the tab has loaded no page over HTTP yet")
	}
	return int(status)
}

// Focused describes document.activeElement as its start tag with its attributes, such as
// `<input id="name" type="text">`; it is "<body>" when nothing has the focus.
func (tab *Tab) Focused() string {
	tab.t.Helper()
	return evaluate[string](tab, "read the focused element", focusedJS)
}

const focusedJS = `(() => {
  const el = document.activeElement;
  if (!el) return '';
  const attrs = [...el.attributes].map(a => a.value === '' ? ' ' + a.name : ' ' + a.name + '="' + a.value + '"');
  return '<' + el.tagName.toLowerCase() + attrs.join('') + '>';
})()`

// Screenshot saves a PNG of the whole page (not only what fits in the window) to path.
func (tab *Tab) Screenshot(path string) {
	tab.t.Helper()
	png := get(tab, "take a screenshot", fullPage)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tab.t.Fatalf("browsertest: saving the screenshot: %v", err)
	}
}

// fullPage captures the page's whole content at the window's width.
var fullPage = chromedp.Action[[]byte](func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
	m, err := cdp.Call(ctx, t, page.GetLayoutMetrics, cdp.Empty{})
	if err != nil {
		return nil, err
	}
	if m.CSSLayoutViewport == nil {
		return nil, errors.New("the browser reported no layout viewport")
	}
	w, h := float64(m.CSSLayoutViewport.ClientWidth), float64(m.CSSLayoutViewport.ClientHeight)
	if m.CSSContentSize != nil {
		w, h = max(w, m.CSSContentSize.Width), max(h, m.CSSContentSize.Height)
	}
	res, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:                page.CaptureScreenshotFormatPng,
		CaptureBeyondViewport: ptr(true),
		FromSurface:           ptr(true),
		Clip:                  &page.Viewport{Width: w, Height: h, Scale: 1},
	})
	return res.Data, err
})

// do runs the steps within the step timeout, failing the test with what was being done.
func (tab *Tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, tab.b.timeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tab.fail("%s: %v", what, tab.explain(err))
	}
}

// navigate runs the steps and waits for the page that they open to load.
func (tab *Tab) navigate(what string, steps ...chromedp.Action[chromedp.Void]) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, tab.b.timeout)
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, steps...); err != nil {
		tab.fail("%s: %v", what, tab.explain(err))
	}
	tab.do(what, chromedp.WaitReady(chromedp.CSS("body")))
}

// get runs one action that returns a value, like do.
func get[T any](tab *Tab, what string, a chromedp.Action[T]) T {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, tab.b.timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tab.fail("%s: %v", what, tab.explain(err))
	}
	return v
}

// explain turns a step's timeout into what it most likely means.
func (tab *Tab) explain(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("not done within %s (the element never appeared or never became visible, or the page never loaded)", tab.b.timeout)
	}
	return err
}

// evaluate runs a JavaScript expression in the page and decodes its value.
func evaluate[T any](tab *Tab, what, js string, opts ...chromedp.EvaluateOption) T {
	tab.t.Helper()
	return get(tab, what, chromedp.Evaluate[T](js, opts...))
}

// fail ends the tab's test with the message, the page's address and a screenshot of the page.
func (tab *Tab) fail(format string, args ...any) {
	tab.t.Helper()
	tab.failOn(tab.t, format, args...)
}

// failOn is fail for a given test, for the assertions that take their own t.
func (tab *Tab) failOn(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := "browsertest: " + fmt.Sprintf(format, args...)
	if where, err := getQuiet(tab, chromedp.Evaluate[string](`document.location.href`)); err == nil {
		msg += "\n\ton " + where
	}
	if png, err := getQuiet(tab, fullPage); err == nil {
		if path, err := tab.saveFailure(t, png); err == nil {
			msg += "\n\tscreenshot: " + path
		}
	}
	t.Fatal(msg)
}

// getQuiet runs an action for a failure's report: briefly, and without failing the test.
func getQuiet[T any](tab *Tab, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(tab.ctx, 3*time.Second)
	defer cancel()
	return chromedp.Run(ctx, a)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// saveFailure writes a failure's screenshot where it outlives the test, named after the test.
func (tab *Tab) saveFailure(t testing.TB, png []byte) (string, error) {
	if err := os.MkdirAll(tab.b.shots, 0o755); err != nil {
		return "", err
	}
	name := unsafeName.ReplaceAllString(t.Name(), "_") + "-" + time.Now().Format("150405.000") + ".png"
	path := filepath.Join(tab.b.shots, name)
	return path, os.WriteFile(path, png, 0o644)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func ptr[T any](v T) *T { return &v }
