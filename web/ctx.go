package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/register"
)

// Ctx is one page request: the request, the signed-in person's session, and the means to ask
// the API (Get, Send) and to answer with a page.
type Ctx struct {
	*gin.Context
	Session  Session
	w        *Web
	signedIn bool
}

// View is what the layout and every page template are executed with; a page's own data is
// .Data.
type View struct {
	Lang    string
	Title   string // the page's heading and title, from the catalogue
	Path    string
	Session *Session // nil when signed out
	CSRF    string
	Menu    []MenuLink
	Flash   string         // what the last form did, said once
	Errors  []FieldProblem // the wrong fields of the form shown again
	Form    url.Values     // what was typed into it
	Status  int
	Data    any
}

// MenuLink is a menu entry as shown.
type MenuLink struct {
	Path, Label string
	Current     bool
}

// FieldProblem is a wrong field of a form: Field is the input's name and id.
type FieldProblem struct {
	Field, Message string
}

// Lang is the language the page is shown in.
func (c *Ctx) Lang() string {
	if c.signedIn {
		return language(c.Session.Language)
	}
	if l, err := c.Cookie(langCookie); err == nil {
		return language(l)
	}
	return Languages[0]
}

// T is a text of the catalogue in the page's language.
func (c *Ctx) T(key string, args ...any) string { return c.w.texts.T(c.Lang(), key, args...) }

// Render answers page name ("<area>/<file>") with status, titled by the catalogue's titleKey.
func (c *Ctx) Render(status int, name, titleKey string, data any) {
	c.RenderView(status, name, View{Title: c.T(titleKey), Data: data})
}

// RenderView answers page name with v, filling in what every page has.
func (c *Ctx) RenderView(status int, name string, v View) {
	v.Lang, v.Path, v.Status = c.Lang(), c.Request.URL.Path, status
	if c.signedIn {
		s := c.Session
		v.Session, v.CSRF = &s, s.CSRF
		for _, m := range c.w.menu {
			if m.Role == "" || s.Has(m.Role) {
				v.Menu = append(v.Menu, MenuLink{Path: m.Path, Label: c.T(m.Label), Current: m.Path == v.Path})
			}
		}
	}
	if key, err := c.Cookie(flashCookie); err == nil {
		c.setCookie(flashCookie, "", -1)
		if c.w.texts.Has(key) {
			v.Flash = c.T(key)
		}
	}
	body, err := c.w.pages.render(name, &v)
	if err != nil {
		c.w.d.Log.Error("a page could not be rendered", zap.String("page", name), zap.Error(err))
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte(c.T("error.internal")))
		return
	}
	c.Data(status, "text/html; charset=utf-8", body)
}

// Done ends a form's work: back to path (303, POST-redirect-GET), where the catalogue's text
// flashKey says once what was done.
func (c *Ctx) Done(path, flashKey string) {
	if flashKey != "" {
		c.setCookie(flashCookie, flashKey, 60)
	}
	c.Redirect(http.StatusSeeOther, path)
}

// Invalid shows the form of page name again when the API found fields wrong (422, 400): with
// what was typed, an error summary naming each wrong field, and nothing written (the API wrote
// nothing). It answers false for any other error, for the caller to Fail or handle.
func (c *Ctx) Invalid(err error, name string, v View) bool {
	e, wrong := Wrong(err)
	if !wrong {
		return false
	}
	v.Errors = nil
	for _, f := range e.Problem.Errors {
		v.Errors = append(v.Errors, c.FieldProblem(name, f.Field, f.Detail))
	}
	if len(v.Errors) == 0 {
		v.Errors = []FieldProblem{{Message: c.T("error.form")}}
	}
	v.Form = c.Request.PostForm
	c.RenderView(http.StatusUnprocessableEntity, name, v)
	return true
}

// FieldProblem says what is wrong with field of page name: the page's own text for it if the
// catalogue has one ("<page>.error.<field>"), else the field's label and the API's detail.
func (c *Ctx) FieldProblem(page, field, detail string) FieldProblem {
	if key := page + ".error." + field; c.w.texts.Has(key) {
		return FieldProblem{Field: field, Message: c.T(key)}
	}
	label := field
	if key := page + ".field." + field; c.w.texts.Has(key) {
		label = c.T(key)
	}
	return FieldProblem{Field: field, Message: c.T("error.field", label, detail)}
}

// Wrong tells whether the API found what a form sent wrong (422, or 400 for a body it could not
// read): the page shows the form again, and nothing was written. It answers the API's error.
func Wrong(err error) (*APIError, bool) {
	var e *APIError
	if errors.As(err, &e) && (e.Status == http.StatusUnprocessableEntity || e.Status == http.StatusBadRequest) {
		return e, true
	}
	return nil, false
}

// Conflict tells whether err is the API's 409: the thing was done or changed elsewhere. The
// page then shows the current state with a plain word of what happened.
func Conflict(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusConflict
}

var errNotFound = &APIError{Status: http.StatusNotFound}

// Fail answers err as a page that says in words what happened: never a stack trace, SQL or an
// internal name. A page about what one may not see is the API's 404, and says "not found".
func (c *Ctx) Fail(err error) {
	status, key := http.StatusInternalServerError, "error.internal"
	var e *APIError
	switch {
	case errors.Is(err, errCSRF):
		status, key = http.StatusForbidden, "error.csrf"
	case errors.As(err, &e):
		switch e.Status {
		case http.StatusNotFound:
			status, key = e.Status, "error.notfound"
		case http.StatusForbidden:
			status, key = e.Status, "error.forbidden"
		case http.StatusConflict:
			status, key = e.Status, "error.conflict"
		case http.StatusUnauthorized:
			c.Redirect(http.StatusSeeOther, "/signin?next="+url.QueryEscape(c.Request.URL.Path))
			return
		case http.StatusServiceUnavailable:
			status, key = e.Status, "error.unavailable"
		default:
			c.w.d.Log.Error("a page's call to the API failed", zap.Int("status", e.Status), zap.String("path", c.FullPath()))
		}
	default:
		c.w.d.Log.Error("a page failed", zap.String("path", c.FullPath()), zap.Error(err))
	}
	c.RenderView(status, "web/error", View{Title: c.T(key), Data: errorPage{
		Message:   c.T(key + ".text"),
		RequestID: c.Writer.Header().Get(requestIDHeader),
	}})
}

type errorPage struct {
	Message, RequestID string
}

// view is a View for a partial of the page being built: its language, session and data.
func (c *Ctx) view(data any) *View {
	v := &View{Lang: c.Lang(), Path: c.Request.URL.Path, Data: data}
	if c.signedIn {
		s := c.Session
		v.Session, v.CSRF = &s, s.CSRF
	}
	return v
}

func isWrong(err error) bool { _, wrong := Wrong(err); return wrong }

// ToOwnSchool leads a principal from the menu to the page /schools/{id}/suffix of the school they
// lead, or, when they lead several, to the page list (the area's template, its data the schools,
// its title titleKey); anyone else may not (403).
func (c *Ctx) ToOwnSchool(suffix, list, titleKey string) {
	var me register.Me
	if err := c.Get("/api/v1/me", &me); err != nil {
		c.Fail(err)
		return
	}
	var schools []register.OrganisationRef
	for _, d := range me.Duties {
		if d.DutyRole == "Rektor" {
			schools = append(schools, d.DutyAt)
		}
	}
	switch len(schools) {
	case 0:
		c.Fail(&APIError{Status: http.StatusForbidden})
	case 1:
		c.Redirect(http.StatusSeeOther, "/schools/"+url.PathEscape(schools[0].ID)+"/"+suffix)
	default:
		c.Render(http.StatusOK, list, titleKey, schools)
	}
}
