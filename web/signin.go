package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/auth"
	"github.com/skolflow/skolflow/register"
)

// SignIn is the OIDC relying party (auth.Client): the authorization code flow with PKCE.
type SignIn interface {
	Start(ctx context.Context) (auth.Attempt, error)
	Finish(ctx context.Context, code, verifier, nonce string) (subject string, err error)
	EndSessionURL(ctx context.Context, postLogoutRedirect string) string
}

const (
	langCookie  = "skolflow_lang"
	flashCookie = "skolflow_flash"
)

// sessionCookie is the session's cookie name. Served over https it is a __Host- cookie: the
// browser keeps it Secure, for this host and path / only.
func (w *Web) sessionCookie() string {
	if w.secure {
		return "__Host-skolflow_session"
	}
	return "skolflow_session"
}

// setCookie sets a cookie for the whole site: HttpOnly, SameSite=Lax, Secure over https, and
// lasting maxAge seconds (negative: gone now).
func (c *Ctx) setCookie(name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: c.w.secure, SameSite: http.SameSiteLaxMode})
}

func (w *Web) sessionOf(c *gin.Context) (Session, error) {
	token, err := c.Cookie(w.sessionCookie())
	if err != nil {
		return Session{}, errNoSession
	}
	return w.sessions.find(c.Request.Context(), token)
}

// signin sends the browser to the issuer, remembering where to come back to.
func (w *Web) signin(gc *gin.Context) {
	w.protect(gc)
	c := &Ctx{Context: gc, w: w}
	a, err := w.d.SignIn.Start(gc.Request.Context())
	if err != nil {
		c.Fail(&APIError{Status: http.StatusServiceUnavailable})
		return
	}
	next := localPath(gc.Query("next"))
	if err := w.sessions.beginSignin(gc.Request.Context(), a.State, signin{Verifier: a.Verifier, Nonce: a.Nonce, ReturnTo: next}); err != nil {
		c.Fail(err)
		return
	}
	gc.Redirect(http.StatusSeeOther, a.URL)
}

// callback finishes a sign-in: the issuer's code is exchanged (with the PKCE verifier), the ID
// token verified, and a session begun for its subject, who must be in the register.
func (w *Web) callback(gc *gin.Context) {
	w.protect(gc)
	c := &Ctx{Context: gc, w: w}
	ctx := gc.Request.Context()
	pending, err := w.sessions.takeSignin(ctx, gc.Query("state"))
	if errors.Is(err, errNoSession) {
		// A stale or replayed answer: begin again.
		gc.Redirect(http.StatusSeeOther, "/signin")
		return
	}
	if err != nil {
		c.Fail(err)
		return
	}
	if gc.Query("error") != "" || gc.Query("code") == "" {
		c.Render(http.StatusUnauthorized, "web/signedout", "signin.refused", nil)
		return
	}
	subject, err := w.d.SignIn.Finish(ctx, gc.Query("code"), pending.Verifier, pending.Nonce)
	if errors.Is(err, auth.ErrInvalidToken) {
		w.d.Log.Info("sign-in refused", zap.Error(err))
		c.Render(http.StatusUnauthorized, "web/signedout", "signin.refused", nil)
		return
	}
	if err != nil {
		c.Fail(&APIError{Status: http.StatusServiceUnavailable})
		return
	}
	s, err := w.whoIs(c, subject)
	if err != nil {
		var e *APIError
		if errors.As(err, &e) && e.Status == http.StatusUnauthorized {
			c.Render(http.StatusForbidden, "web/signedout", "signin.notinregister", nil)
			return
		}
		c.Fail(err)
		return
	}
	if s, err = w.sessions.create(ctx, s); err != nil {
		c.Fail(err)
		return
	}
	c.setCookie(w.sessionCookie(), s.token, int(w.d.SessionTTL.Seconds()))
	gc.Redirect(http.StatusSeeOther, pending.ReturnTo)
}

// whoIs asks the API who subject is: their name, their kinds of work, and their language.
func (w *Web) whoIs(c *Ctx, subject string) (Session, error) {
	c.Session = Session{Subject: subject}
	var me register.Me
	if err := c.Get("/api/v1/me", &me); err != nil {
		return Session{}, err
	}
	s := Session{Subject: subject, GivenName: me.GivenName, Roles: []string{}}
	roles := map[string]bool{}
	for _, d := range me.Duties {
		switch d.DutyRole {
		case "Rektor":
			roles[RolePrincipal] = true
		case "Lärare", "Förskollärare":
			roles[RoleTeacher] = true
		}
	}
	var children []register.PersonRef
	if err := c.Get("/api/v1/me/children", &children); err == nil && len(children) > 0 {
		roles[RoleGuardian] = true
	}
	for _, r := range []string{RoleGuardian, RoleTeacher, RolePrincipal} {
		if roles[r] {
			s.Roles = append(s.Roles, r)
		}
	}
	var contact struct {
		Language string `json:"language"`
	}
	s.Language = Languages[0]
	if err := c.Get("/api/v1/me/contact", &contact); err == nil {
		s.Language = language(contact.Language)
	}
	return s, nil
}

// signout ends the session, here and at the issuer if it offers that.
func (w *Web) signout(c *Ctx) {
	if err := w.sessions.end(c.Request.Context(), c.Session.token); err != nil {
		c.Fail(err)
		return
	}
	c.setCookie(w.sessionCookie(), "", -1)
	back := w.d.PublicURL + "/signed-out"
	if end := w.d.SignIn.EndSessionURL(c.Request.Context(), back); end != "" {
		c.Redirect(http.StatusSeeOther, end)
		return
	}
	c.Redirect(http.StatusSeeOther, "/signed-out")
}

func (w *Web) signedOut(gc *gin.Context) {
	w.protect(gc)
	c := &Ctx{Context: gc, w: w}
	if l := gc.Query("lang"); l != "" {
		c.setCookie(langCookie, language(l), 365*24*3600)
		gc.Redirect(http.StatusSeeOther, "/signed-out")
		return
	}
	c.Render(http.StatusOK, "web/signedout", "signedout.title", nil)
}

// language switches the language: for the session (a form, with its CSRF token), or before
// sign-in by a link (?lang=), which changes only a cookie of the browser's.
func (w *Web) language(gc *gin.Context) {
	w.protect(gc)
	lang := language(gc.Query("lang"))
	c := &Ctx{Context: gc, w: w}
	c.setCookie(langCookie, lang, 365*24*3600)
	gc.Redirect(http.StatusSeeOther, localPath(gc.Query("next")))
}

// setLanguage is the signed-in language switch.
func (w *Web) setLanguage(c *Ctx) {
	lang := language(c.PostForm("lang"))
	if err := w.sessions.setLanguage(c.Request.Context(), c.Session, lang); err != nil {
		c.Fail(err)
		return
	}
	c.setCookie(langCookie, lang, 365*24*3600)
	c.Redirect(http.StatusSeeOther, localPath(c.PostForm("next")))
}

// origin is the scheme and host of u.
func origin(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return ""
	}
	return strings.ToLower(p.Scheme) + "://" + p.Host
}
