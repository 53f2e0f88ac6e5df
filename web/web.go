// Package web serves the pages people use in a browser: guardians, teachers and principals,
// on a phone or a desk, in Swedish or English. Pages are rendered on the server from
// html/template and work without JavaScript: every change is a form, posted and answered with
// a redirect (POST-redirect-GET).
//
// The pages hold no rules and no SQL of their own. Every page asks the API in the process, on
// behalf of the signed-in person (api.OnBehalfOf): the same handlers, the same Casbin decision,
// the same access log and the same 404 for what one may not see. A person signed in to a page
// is exactly the caller the API would see with their bearer token.
//
// The kernel here holds sign-in (OIDC code flow with PKCE), sessions, CSRF protection, the
// layout, the message catalogue and the kernel's pages (start, tasks, notifications, settings,
// a process's history). Each area brings its own pages as an Area, from its folder.
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/store"
)

// Area is what an area of the school brings to the web: its page templates and texts, and the
// routes that serve them.
type Area struct {
	Name string
	// Pages holds the area's templates (*.html; a name starting with _ is a partial that every
	// page of the area can use) and its texts (messages.json).
	Pages fs.FS
	// Routes mounts the area's pages. Every page needs a session; every POST a CSRF token.
	Routes func(r *Router)
	// Menu is the area's entries in the menu, each shown to those with its role.
	Menu []MenuEntry
	// Sections are the area's parts of pages that show several areas at once, by slot: "home"
	// (the start page) and "child" (a guardian's page about one child), say. Each answers a
	// partial of the area's (a "define" in one of its _*.html, e.g. "absence/home") and its
	// data, or "" for nothing.
	Sections map[string]Section
	// TaskPages name, by task kind, the page where what a task is about can be read (the
	// application a consent is asked for, say), for the task inbox to link to; "" for none.
	TaskPages map[string]func(t store.TaskView) string
}

// Section renders one area's part of a shared page; c.Param holds the page's path parameters.
type Section func(c *Ctx) (partial string, data any, err error)

// The slots of the kernel's and the register's shared pages.
const (
	SlotHome  = "home"  // the start page, for everyone
	SlotChild = "child" // a guardian's page about one child (path parameter personId)
)

// MenuEntry is one link of the menu.
type MenuEntry struct {
	Path  string // e.g. "/lessons"
	Label string // a catalogue key
	Role  string // RoleGuardian, RoleTeacher, RolePrincipal; "" for everyone
}

// Deps is what the pages need from the process.
type Deps struct {
	Log    *zap.Logger
	DB     *pgxpool.Pool
	SignIn SignIn // the OIDC relying party
	Issuer string // the issuer's URL: forms may lead there (sign-out)
	// PublicURL is where people reach the pages (SKOLFLOW_PUBLIC_URL): the sign-in comes back
	// to it, and with https the cookies are Secure.
	PublicURL   string
	SessionTTL  time.Duration
	SessionIdle time.Duration
	Areas       []Area
}

//go:embed all:pages
var kernelFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Web is the mounted pages.
type Web struct {
	d            Deps
	api          http.Handler // the router itself, for the pages' calls to the API
	pages        *pages
	texts        Catalogue
	sessions     sessions
	secure       bool // cookies are Secure: the pages are served over https
	issuerOrigin string
	menu         []MenuEntry
	taskPages    map[string]func(store.TaskView) string
	homes        []Area
}

// New loads every template and text: an error here is a programming error, found at start.
func New(d Deps) (*Web, error) {
	kernel, err := fs.Sub(kernelFiles, "pages")
	if err != nil {
		return nil, err
	}
	fsyss := []fs.FS{kernel}
	sources := []source{{area: "web", fsys: kernel}}
	w := &Web{d: d, sessions: sessions{db: d.DB, ttl: d.SessionTTL, idle: d.SessionIdle, cache: newSessionCache()},
		secure: strings.HasPrefix(d.PublicURL, "https://"), menu: kernelMenu, issuerOrigin: origin(d.Issuer),
		taskPages: map[string]func(store.TaskView) string{}}
	for _, a := range d.Areas {
		fsyss = append(fsyss, a.Pages)
		sources = append(sources, source{area: a.Name, fsys: a.Pages})
		w.menu = append(w.menu, a.Menu...)
		for kind, page := range a.TaskPages {
			w.taskPages[kind] = page
		}
	}
	w.menu = append(w.menu, kernelMenuLast...)
	if w.texts, err = loadCatalogue(fsyss...); err != nil {
		return nil, err
	}
	if w.pages, err = loadPages(w.texts, kernel, sources); err != nil {
		return nil, err
	}
	return w, nil
}

// Texts is the catalogue of every page's texts, for tests.
func (w *Web) Texts() Catalogue { return w.texts }

// Mount adds the pages to r (api.Web).
func (w *Web) Mount(r *gin.Engine) {
	w.api = r
	r.StaticFileFS("/static/style.css", "static/style.css", http.FS(staticFiles))
	r.GET("/signin", w.signin)
	r.GET("/signin/callback", w.callback)
	r.GET("/signed-out", w.signedOut)
	r.GET("/language", w.language)
	pages := &Router{w: w, g: r.Group("/")}
	pages.POST("/signout", w.signout)
	kernelRoutes(pages)
	for _, a := range w.d.Areas {
		if a.Routes != nil {
			a.Routes(pages)
		}
	}
}

// NotFound answers a path that is no page (api.Web).
func (w *Web) NotFound(c *gin.Context) {
	w.protect(c)
	ctx := &Ctx{Context: c, w: w}
	if s, err := w.sessionOf(c); err == nil {
		ctx.Session, ctx.signedIn = s, true // the page keeps the person's menu and language
	}
	ctx.Fail(errNotFound)
}

// PagesOf is an area's folder of pages, embedded with //go:embed all:pages (all: keeps the _
// partials, which embed leaves out otherwise), as Area.Pages takes it.
func PagesOf(files embed.FS) fs.FS {
	pages, err := fs.Sub(files, "pages")
	if err != nil {
		panic(err) // the embed names the folder: a programming error
	}
	return pages
}
