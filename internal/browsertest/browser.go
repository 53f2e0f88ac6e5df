// Package browsertest drives Debian's headless chromium from Go tests, so that the web pages can
// be tested as a person uses them: by pointer and keyboard, in a narrow or wide window, and
// checked for WCAG 2.1 AA with axe-core. `make browser` (scripts/browser.sh) installs chromium and
// the pinned axe-core; without them the tests fail and say so, as make test must run them.
//
// One Browser serves a whole test (starting chromium takes about a second); each Tab is a window
// in a browser context of its own, with its own cookies, so that two people can be signed in at
// once:
//
//	func TestPages(t *testing.T) {
//		b := browsertest.New(t)
//		t.Run("sign in", func(t *testing.T) {
//			tab := b.Tab(t, 360, 640)
//			tab.Go(srv.URL + "/")
//			tab.AssertAccessible(t)
//		})
//	}
//
// Every helper fails the test that opened the tab with a clear message, and saves a screenshot of
// the page at the failure (the path is in the log). A Tab belongs to the test that opened it.
package browsertest

import (
	"context"
	"io"
	"log"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// DefaultChromium is Debian's chromium, which scripts/browser.sh installs.
const DefaultChromium = "/usr/bin/chromium"

// ChromiumEnv names the environment variable that points the tests at another chromium binary.
const ChromiumEnv = "SKOLFLOW_CHROMIUM"

// flags are chromium's command-line flags: headless, and nothing that reaches the network or
// differs between runs by itself (updates, sync, QUIC probing). --no-sandbox because the tests
// run as root in CI; --disable-dev-shm-usage because /dev/shm is small in containers;
// --hide-scrollbars so that a page is laid out at the tab's full width, as on a phone, whose
// scrollbars take no room, and a tall page's screenshot is as wide as a short one's.
var flags = []string{
	"headless", "no-sandbox", "disable-gpu", "disable-quic", "no-first-run",
	"disable-background-networking", "disable-component-update", "disable-sync",
	"disable-dev-shm-usage", "hide-scrollbars",
}

// Browser is one headless chromium process. It lives until the test that started it ends.
type Browser struct {
	ctx     context.Context // the browser's first chromedp context; tabs derive from it
	timeout time.Duration
	shots   string // the directory for screenshots of failures

	axeOnce sync.Once
	axeJS   string
	axeErr  error
}

// Option changes how New starts the browser.
type Option func(*config)

type config struct {
	chromium string
	timeout  time.Duration
	shots    string
}

// Chromium sets the chromium binary; it wins over $SKOLFLOW_CHROMIUM and /usr/bin/chromium.
func Chromium(path string) Option { return func(c *config) { c.chromium = path } }

// Timeout sets how long one step (a navigation, a click, waiting for an element) may take before
// it fails the test; 10 seconds unless set.
func Timeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// FailureScreenshots sets the directory where screenshots of failures go; unless set, it is
// $SKOLFLOW_BROWSER_FAILURES or else skolflow-browsertest in the system's temporary directory. It is
// not t.TempDir, because that goes away with the test and the screenshot is for after it.
func FailureScreenshots(dir string) Option { return func(c *config) { c.shots = dir } }

// New starts headless chromium with a fresh temporary profile and stops it when t ends. A missing
// chromium fails the test (it does not skip it): make test must run the browser tests.
func New(t testing.TB, opts ...Option) *Browser {
	t.Helper()
	c := config{chromium: os.Getenv(ChromiumEnv), timeout: 10 * time.Second, shots: os.Getenv("SKOLFLOW_BROWSER_FAILURES")}
	if c.chromium == "" {
		c.chromium = DefaultChromium
	}
	for _, o := range opts {
		o(&c)
	}
	if c.shots == "" {
		c.shots = os.TempDir() + "/skolflow-browsertest"
	}
	if st, err := os.Stat(c.chromium); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		t.Fatalf("browsertest: no chromium at %s: run make browser (or set %s)", c.chromium, ChromiumEnv)
	}

	allocOpts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(c.chromium)}
	for _, f := range flags {
		allocOpts = append(allocOpts, chromedp.Flag(f, true))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocOpts...)
	// chromedp's messages (such as an event newer than its protocol tables) go to stderr and not
	// to t.Log: the browser outlives single tests, and logging to an ended test panics.
	quiet := log.New(io.Discard, "", 0).Printf
	if testing.Verbose() {
		quiet = log.New(os.Stderr, "chromedp: ", 0).Printf
	}
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithLogf(quiet), chromedp.WithErrorf(quiet))
	t.Cleanup(func() {
		if err := chromedp.Cancel(ctx); err != nil {
			t.Logf("browsertest: stopping chromium: %v", err)
		}
		cancel()
		cancelAlloc()
	})
	// The first run starts chromium; its context must be the browser's whole life, so no timeout.
	start := time.Now()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: starting %s: %v (run make browser)", c.chromium, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Logf("browsertest: chromium took %s to start", d.Round(time.Millisecond))
	}
	return &Browser{ctx: ctx, timeout: c.timeout, shots: c.shots}
}
