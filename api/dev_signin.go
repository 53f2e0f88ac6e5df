package api

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/auth"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// The dev issuer's browser side of the authorization-code flow: a page that lists the demo users
// where a real issuer would ask for a password, and the end of a session. The protocol's checks
// (the request's parameters, codes, PKCE) are the issuer's, in package auth. These pages answer
// HTML, not problem+json: a person reads them.

// signInPage is GET /dev/oidc/authorize: one button per demo user, each a form carrying the
// authorization request.
func (m *DevMode) signInPage(c *gin.Context, d Deps) {
	req, err := m.Issuer.ParseAuthRequest(c.Request.URL.Query())
	if err != nil {
		badSignInRequest(c, err)
		return
	}
	users, err := m.demoUsers(c, d)
	if err != nil {
		Abort(c, errs.E("dev.authorize", err))
		return
	}
	type button struct{ User, Label string }
	buttons := make([]button, 0, len(users))
	for _, u := range users {
		roles := make([]string, 0, len(u.Roles))
		for _, r := range u.Roles {
			roles = append(roles, r.Role+", "+r.School)
		}
		buttons = append(buttons, button{User: u.User, Label: u.User + " — " + strings.Join(roles, "; ")})
	}
	htmlPage(c, http.StatusOK, signInTemplate, map[string]any{"Request": req.Values(), "Users": buttons})
}

// signIn is POST /dev/oidc/authorize, a button of the page: the user chosen is signed in, and the
// browser goes back to the client with a one-time code.
func (m *DevMode) signIn(c *gin.Context, d Deps) {
	const op = "dev.authorize"
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 64<<10)
	if err := c.Request.ParseForm(); err != nil {
		badSignInRequest(c, &auth.ParamError{Param: "user", Reason: "is missing: the body is not a form of at most 64 KiB"})
		return
	}
	req, err := m.Issuer.ParseAuthRequest(c.Request.PostForm)
	if err != nil {
		badSignInRequest(c, err)
		return
	}
	user := c.Request.PostForm.Get("user")
	if user == "" || len(user) > 64 {
		badSignInRequest(c, &auth.ParamError{Param: "user", Reason: "is missing"})
		return
	}
	subject := user + "@" + m.UserDomain
	_, exists, err := register.PersonByPrincipalName(c, d.DB, subject)
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	if !exists {
		badSignInRequest(c, &auth.ParamError{Param: "user", Reason: "is not a demo user"})
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Redirect(http.StatusSeeOther, req.Redirect(m.Issuer.IssueCode(req, subject)))
}

// signOut is GET /dev/oidc/logout (RP-initiated logout): the dev issuer keeps no session of its
// own, so it only sends the browser back where the client asked, with the client's state.
func (m *DevMode) signOut(c *gin.Context) {
	q := c.Request.URL.Query()
	back := q.Get("post_logout_redirect_uri")
	if back == "" {
		htmlPage(c, http.StatusOK, signedOutTemplate, nil)
		return
	}
	u, err := url.Parse(back)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		badSignInRequest(c, &auth.ParamError{Param: "post_logout_redirect_uri", Reason: "must be an absolute http or https URL"})
		return
	}
	if state := q.Get("state"); state != "" {
		v := u.Query()
		v.Set("state", state)
		u.RawQuery = v.Encode()
	}
	c.Redirect(http.StatusSeeOther, u.String())
}

// badSignInRequest answers 400 with a page naming the wrong parameter. It never sends the
// browser back to the client: the redirect URI may be the wrong parameter.
func badSignInRequest(c *gin.Context, err error) {
	var pe *auth.ParamError
	if !errors.As(err, &pe) {
		pe = &auth.ParamError{Param: "?", Reason: "is wrong"}
	}
	htmlPage(c, http.StatusBadRequest, badRequestTemplate, pe)
}

// htmlPage answers a page of the dev issuer. It may not be framed (a sign-in page), cached, or
// passed on as a referrer (its URL carries the request's state and nonce).
func htmlPage(c *gin.Context, status int, t *template.Template, data any) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		Abort(c, errs.E("dev.page", err))
		return
	}
	h := c.Writer.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// pageTemplate is a page of the dev issuer around its main content.
func pageTemplate(title, main string) *template.Template {
	return template.Must(template.New("page").Parse(`<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + title + ` – Skolflow dev</title>
<style>body{font-family:sans-serif;line-height:1.5;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;background:#fff}
ul{list-style:none;padding:0}li{margin:.5rem 0}small{color:#4d4d4d}
button{font:inherit;padding:.5rem 1rem;min-height:2.75rem;text-align:left;cursor:pointer}
:focus-visible{outline:3px solid #1a4d8f;outline-offset:2px}</style></head>
<body><main>` + main + `</main></body></html>`))
}

var signInTemplate = pageTemplate("Logga in", `
<h1>Logga in som demoanvändare</h1>
<p>Välj vem du vill vara. Sidan finns bara i utvecklingsläget, <code>skolflow dev</code>.</p>
<p lang="en"><small>Sign in as a demo user: choose who you want to be. This page exists only in dev mode.</small></p>
<ul>
{{- $request := .Request}}
{{- range .Users}}
<li><form method="post" action="authorize">
{{- range $name, $values := $request}}<input type="hidden" name="{{$name}}" value="{{index $values 0}}">{{end -}}
<button type="submit" name="user" value="{{.User}}">{{.Label}}</button></form></li>
{{- else}}
<li>Det finns inga demoanvändare. <span lang="en">There are no demo users.</span></li>
{{- end}}
</ul>`)

var badRequestTemplate = pageTemplate("Felaktig inloggning", `
<h1>Inloggningen kunde inte börja</h1>
<p>Tjänsten som skickade hit dig bad om inloggning med en felaktig parameter: <code>{{.Param}}</code>.</p>
<p lang="en"><small>Bad authorization request: the parameter <code>{{.Param}}</code> {{.Reason}}.</small></p>`)

var signedOutTemplate = pageTemplate("Utloggad", `
<h1>Du är utloggad</h1>
<p lang="en"><small>You are signed out.</small></p>`)
