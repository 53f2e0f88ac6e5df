package browsertest

import (
	"fmt"
	"html"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// doc wraps a body in a document that is accessible when the body is.
func doc(title, style, body string) string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + title + `</title><style>body { font-family: sans-serif; margin: 1rem; } ` + style + `</style></head>
<body>` + body + `</body></html>`
}

// site is the test's web site: an accessible form, a page that breaks two rules, a page without
// focus indicators, a tall page, and a cookie-based sign-in.
func site() http.Handler {
	mux := http.NewServeMux()
	write := func(w http.ResponseWriter, doc string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, doc)
	}
	mux.HandleFunc("GET /good", func(w http.ResponseWriter, r *http.Request) {
		write(w, doc("Good page", `:focus-visible { outline: 3px solid #1a4480; outline-offset: 2px; }`, `
<a href="#main">Skip to the form</a>
<main id="main">
  <h1>Say hello</h1>
  <form method="get" action="/hello">
    <p><label for="name">Name</label> <input id="name" name="name" type="text" autocomplete="name"></p>
    <p><label for="colour">Colour</label>
      <select id="colour" name="colour"><option value="red">Red</option><option value="blue">Blue</option></select></p>
    <p><button type="submit">Send</button></p>
  </form>
</main>`))
	})
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		greeting := fmt.Sprintf("Hello, %s (%s)", r.FormValue("name"), r.FormValue("colour"))
		write(w, doc("Hello", "", `<main><h1 id="greeting">`+html.EscapeString(greeting)+`</h1></main>`))
	})
	mux.HandleFunc("GET /bad", func(w http.ResponseWriter, r *http.Request) {
		write(w, doc("Bad page", "", `<main><h1>Bad</h1>
<input id="nameless" type="text">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">
</main>`))
	})
	mux.HandleFunc("GET /no-focus-ring", func(w http.ResponseWriter, r *http.Request) {
		write(w, doc("No focus ring", `*:focus, *:focus-visible { outline: none; }`, `<main><h1>Hidden focus</h1>
<button type="button" id="ghost">Press me</button></main>`))
	})
	mux.HandleFunc("GET /tall", func(w http.ResponseWriter, r *http.Request) {
		write(w, doc("Tall", "", `<main><h1>Tall</h1><div style="height: 2000px; background: #eee"></div></main>`))
	})
	mux.HandleFunc("GET /sign-in", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "user", Value: r.FormValue("as"), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		write(w, doc("Signed in", "", `<main><h1>Signed in</h1></main>`))
	})
	mux.HandleFunc("GET /who", func(w http.ResponseWriter, r *http.Request) {
		who := "nobody"
		if c, err := r.Cookie("user"); err == nil {
			who = c.Value
		}
		write(w, doc("Who", "", `<main><h1 id="who">`+html.EscapeString(who)+`</h1></main>`))
	})
	return mux
}

func TestBrowser(t *testing.T) {
	b := New(t, FailureScreenshots(t.TempDir()))
	srv := httptest.NewServer(site())
	t.Cleanup(srv.Close)

	t.Run("the accessible page has no violations", func(t *testing.T) {
		tab := b.Tab(t, 1280, 800)
		tab.Go(srv.URL + "/good")
		if vs := tab.Axe(t); len(vs) != 0 {
			t.Errorf("violations on the good page: %+v", vs)
		}
		tab.AssertAccessible(t)
		if got := tab.Status(); got != http.StatusOK {
			t.Errorf("status %d, want 200", got)
		}
	})

	t.Run("the inaccessible page reports label and image-alt", func(t *testing.T) {
		tab := b.Tab(t, 1280, 800)
		tab.Go(srv.URL + "/bad")
		var ids []string
		for _, v := range tab.Axe(t) {
			ids = append(ids, v.ID)
			if len(v.Nodes) == 0 || v.Nodes[0].Target == "" {
				t.Errorf("violation %s names no element: %+v", v.ID, v)
			}
		}
		for _, want := range []string{"label", "image-alt"} {
			if !slices.Contains(ids, want) {
				t.Errorf("violations %v, want %s among them", ids, want)
			}
		}
		msgs := failures(t, func(tb testing.TB) { tab.AssertAccessible(tb) })
		if len(msgs) != 1 || !strings.Contains(msgs[0], "image-alt") || !strings.Contains(msgs[0], "#nameless") {
			t.Errorf("AssertAccessible reported %q, want one message naming image-alt and #nameless", msgs)
		}
	})

	t.Run("a keyboard user fills in and sends the form", func(t *testing.T) {
		tab := b.Tab(t, 1280, 800)
		tab.Go(srv.URL + "/good")
		tab.TabTo(t, "#name", 5)
		if got := tab.Focused(); !strings.Contains(got, `id="name"`) {
			t.Fatalf("focused %s, want the name field", got)
		}
		tab.Type("Ada")
		tab.TabTo(t, "#colour", 2)
		tab.Press("ArrowDown")
		tab.TabTo(t, "button[type=submit]", 2)
		tab.PressAndWait("Space")
		if got, want := tab.Text("#greeting"), "Hello, Ada (blue)"; got != want {
			t.Errorf("greeting %q, want %q", got, want)
		}
		// Enter in a field sends the form too.
		tab.Go("/good")
		tab.TabTo(t, "#name", 5)
		tab.Type("Bo")
		tab.PressAndWait("Enter")
		if got, want := tab.Text("#greeting"), "Hello, Bo (red)"; got != want {
			t.Errorf("greeting %q, want %q", got, want)
		}
	})

	t.Run("a pointer user fills in and sends the form", func(t *testing.T) {
		tab := b.Tab(t, 360, 640)
		tab.Go(srv.URL + "/good")
		tab.Fill("#name", "Cy")
		tab.Select("#colour", "blue")
		tab.ClickAndWait("button[type=submit]")
		if got, want := tab.Text("#greeting"), "Hello, Cy (blue)"; got != want {
			t.Errorf("greeting %q, want %q", got, want)
		}
		if !strings.HasSuffix(tab.URL(), "/hello?name=Cy&colour=blue") {
			t.Errorf("URL %s, want the form's GET", tab.URL())
		}
		if tab.Exists("#name") || !tab.Exists("h1") {
			t.Errorf("Exists: the hello page has no #name and has an h1")
		}
		if h := tab.HTML(); !strings.Contains(h, `<h1 id="greeting">`) {
			t.Errorf("HTML lacks the greeting: %s", h)
		}
	})

	t.Run("TabTo fails on a hidden focus and on a target out of reach", func(t *testing.T) {
		tab := b.Tab(t, 1280, 800)
		tab.Go(srv.URL + "/no-focus-ring")
		msgs := failures(t, func(tb testing.TB) { tab.TabTo(tb, "#ghost", 3) })
		if len(msgs) != 1 || !strings.Contains(msgs[0], "no focus indicator") {
			t.Errorf("TabTo reported %q, want no focus indicator", msgs)
		}
		tab.Go(srv.URL + "/good")
		msgs = failures(t, func(tb testing.TB) { tab.TabTo(tb, "button[type=submit]", 1) })
		if len(msgs) != 1 || !strings.Contains(msgs[0], "not reached in 1 presses") {
			t.Errorf("TabTo reported %q, want not reached", msgs)
		}
	})

	t.Run("a missing page has status 404", func(t *testing.T) {
		tab := b.Tab(t, 1280, 800)
		tab.Go(srv.URL + "/missing")
		if got := tab.Status(); got != http.StatusNotFound {
			t.Errorf("status %d, want 404", got)
		}
		tab.Go("/good")
		if got := tab.Status(); got != http.StatusOK {
			t.Errorf("status after the next page %d, want 200", got)
		}
	})

	t.Run("two tabs do not share cookies", func(t *testing.T) {
		alice, bob := b.Tab(t, 1280, 800), b.Tab(t, 1280, 800)
		alice.Go(srv.URL + "/sign-in?as=alice")
		bob.Go(srv.URL + "/who")
		if got := bob.Text("#who"); got != "nobody" {
			t.Errorf("the second tab is signed in as %q, want nobody", got)
		}
		bob.Go("/sign-in?as=bob")
		alice.Go("/who")
		bob.Go("/who")
		if a, o := alice.Text("#who"), bob.Text("#who"); a != "alice" || o != "bob" {
			t.Errorf("signed in as %q and %q, want alice and bob", a, o)
		}
	})

	t.Run("a screenshot is a PNG of the whole page at the window's width", func(t *testing.T) {
		tab := b.Tab(t, 360, 640)
		dir := t.TempDir()
		for _, c := range []struct {
			path      string
			minHeight int
		}{{"/good", 640}, {"/tall", 2000}} {
			tab.Go(srv.URL + c.path)
			file := filepath.Join(dir, strings.TrimPrefix(c.path, "/")+".png")
			tab.Screenshot(file)
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(f)
			f.Close()
			if err != nil {
				t.Fatalf("%s: not a PNG: %v", c.path, err)
			}
			if cfg.Width != 360 || cfg.Height < c.minHeight {
				t.Errorf("%s: screenshot %dx%d, want 360 wide and at least %d high", c.path, cfg.Width, cfg.Height, c.minHeight)
			}
		}
	})
}

// recorder is a testing.TB whose failures are kept instead of failing the real test, to test
// that the helpers fail when they should.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	msgs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Error(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, fmt.Sprint(args...))
}
func (r *recorder) Errorf(format string, args ...any) { r.Error(fmt.Sprintf(format, args...)) }
func (r *recorder) Fatal(args ...any)                 { r.Error(args...); runtime.Goexit() }
func (r *recorder) Fatalf(format string, args ...any) { r.Fatal(fmt.Sprintf(format, args...)) }

// failures runs f with a recorder on a goroutine of its own (Fatal ends it) and returns what f
// reported.
func failures(t *testing.T, f func(testing.TB)) []string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r.msgs
}
