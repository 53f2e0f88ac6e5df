package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"
)

// Router mounts pages: every page needs a signed-in session, and every POST a valid CSRF token.
type Router struct {
	w *Web
	g *gin.RouterGroup
}

// GET mounts a page.
func (r *Router) GET(path string, h func(*Ctx)) { r.g.GET(path, r.w.page(h, false)) }

// POST mounts a form's answer: by convention at the path of the page that shows the form, so
// that a session that ended before the form was sent comes back to the page after sign-in.
func (r *Router) POST(path string, h func(*Ctx)) { r.g.POST(path, r.w.page(h, true)) }

// csrfField is the form field that carries the session's CSRF token.
const csrfField = "csrf"

// crossOrigin refuses a POST that the browser says comes from another site (Sec-Fetch-Site,
// or Origin against Host), before the token is even read.
var crossOrigin = http.NewCrossOriginProtection()

var errCSRF = errors.New("csrf")

func (w *Web) page(h func(*Ctx), changes bool) gin.HandlerFunc {
	return func(gc *gin.Context) {
		w.protect(gc)
		c := &Ctx{Context: gc, w: w}
		s, err := w.sessionOf(gc)
		switch {
		case errors.Is(err, errNoSession):
			// Signed out, or the session ended: sign in, then come back here.
			next := gc.Request.URL.Path
			if !changes && gc.Request.URL.RawQuery != "" {
				next += "?" + gc.Request.URL.RawQuery
			}
			gc.Redirect(http.StatusSeeOther, "/signin?next="+url.QueryEscape(next))
			return
		case err != nil:
			c.Fail(err)
			return
		}
		c.Session, c.signedIn = s, true
		if changes {
			if err := crossOrigin.Check(gc.Request); err != nil {
				w.d.Log.Info("cross-origin form refused", zap.String("path", gc.FullPath()))
				c.Fail(errCSRF)
				return
			}
			token := gc.PostForm(csrfField)
			if subtle.ConstantTimeCompare([]byte(token), []byte(s.CSRF)) != 1 {
				w.d.Log.Info("form without its CSRF token refused", zap.String("path", gc.FullPath()))
				c.Fail(errCSRF)
				return
			}
		}
		h(c)
	}
}

// protect sets the headers every page carries: nothing from other origins, no framing, no
// caching of personal data. Forms post to this site only, and to the issuer (sign-out leads
// there, and browsers hold a form's redirects to form-action too).
func (w *Web) protect(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self' "+w.issuerOrigin+"; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
}

// localPath answers next if it is a path on this site, else "/": sign-in returns only here.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}
