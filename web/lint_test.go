package web

import (
	"io/fs"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// The kernel's pages name only texts of the catalogue, and write no words outside it.
func TestTheKernelsPagesSpeakOnlyThroughTheCatalogue(t *testing.T) {
	kernel, err := fs.Sub(kernelFiles, "pages")
	if err != nil {
		t.Fatal(err)
	}
	texts, err := loadCatalogue(kernel)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range CheckPages("web", kernel, texts) {
		t.Error(p)
	}
	if _, err := loadPages(texts, kernel, []source{{area: "web", fsys: kernel}}); err != nil {
		t.Fatal(err)
	}
}

// A catalogue's every text is in every language.
func TestACatalogueTextInOneLanguageOnlyIsRefused(t *testing.T) {
	fsys := mapFS(map[string]string{"messages.json": `{"a": {"sv": "Hej"}}`})
	if _, err := loadCatalogue(fsys); err == nil {
		t.Fatal("a text without its English was taken")
	}
}

func TestTheLintFindsWordsOutsideTheCatalogue(t *testing.T) {
	fsys := mapFS(map[string]string{"p.html": `{{define "content"}}<p title="x">Hello {{t "a"}}</p>{{t "missing"}}{{end}}`})
	got := CheckPages("x", fsys, Catalogue{"a": {"sv": "a", "en": "a"}})
	if len(got) != 2 {
		t.Fatalf("problems %q, want the word Hello and the missing text", got)
	}
}

// A local path is where sign-in may return; any other is replaced by the start page.
func TestSignInReturnsOnlyToThisSite(t *testing.T) {
	for next, want := range map[string]string{
		"/tasks?x=1": "/tasks?x=1", "": "/", "//evil.example/": "/", "https://evil.example/": "/",
		"/\\evil.example": "/", "tasks": "/",
	} {
		if got := localPath(next); got != want {
			t.Errorf("localPath(%q) = %q, want %q", next, got, want)
		}
	}
}

// Served over https, the session cookie is a __Host- cookie: Secure, for this host and path /
// only, HttpOnly and SameSite=Lax; over plain HTTP (dev) it cannot be Secure.
func TestTheSessionCookieIsSecureOverHTTPS(t *testing.T) {
	for _, c := range []struct {
		url, name string
		secure    bool
	}{{"https://skola.example.se", "__Host-skolflow_session", true}, {"http://127.0.0.1:8080", "skolflow_session", false}} {
		w, err := New(Deps{PublicURL: c.url})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		gc, _ := gin.CreateTestContext(rec)
		(&Ctx{Context: gc, w: w}).setCookie(w.sessionCookie(), "token", 3600)
		got := rec.Header().Get("Set-Cookie")
		want := c.name + "=token; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax"
		if c.secure {
			want = c.name + "=token; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax"
		}
		if got != want {
			t.Errorf("%s: Set-Cookie %q, want %q", c.url, got, want)
		}
	}
}
