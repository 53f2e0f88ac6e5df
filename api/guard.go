package api

import (
	"errors"
	"strings"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/auth"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/internal/plaintext"
	"github.com/skolflow/skolflow/policies"
	"github.com/skolflow/skolflow/store"
)

// Viewer is the signed-in person and what the authorization decision let them see.
type Viewer struct {
	PersonID string
	policies.Decision
}

const ctxViewer = "skolflow.viewer"

// ViewerOf returns the request's signed-in person; guard has put it there on every non-public route.
func ViewerOf(c *gin.Context) Viewer {
	v, _ := c.Get(ctxViewer)
	return v.(Viewer)
}

// guard signs the caller in and asks the Authorizer about every route: deny by default. A route
// open to anyone (policy subject "anyone") skips both. A refusal on a route about a target (a
// person, group, school or duty) answers 404 exactly as for a target that does not exist, so the
// answer does not reveal whether it exists; a refusal elsewhere answers 403. Every decision
// about a non-public route is written to the access log.
func guard(d Deps) gin.HandlerFunc {
	accessLog := &accessLogWriter{db: d.DB}
	return func(c *gin.Context) {
		route := c.FullPath()
		if route == "" || policies.Public(c.Request.Method, route) {
			c.Next()
			return
		}
		if standard(route) {
			guardClient(c, d, accessLog)
			return
		}
		person, err := authenticate(c, d)
		if err != nil {
			c.Header("WWW-Authenticate", `Bearer realm="skolflow"`)
			Abort(c, err)
			return
		}
		req := policies.Request{Person: person, Method: c.Request.Method, Route: route, Params: map[string]string{}}
		for _, p := range c.Params {
			// Every id and date the API takes is plain text: a parameter with a NUL or bytes
			// that are not UTF-8 names nothing (and could not be written to the access log).
			if plaintext.Problem(p.Value) != "" {
				Abort(c, noSuch(p.Key))
				return
			}
			req.Params[p.Key] = p.Value
		}
		if name := firstParam(route); name != "" {
			req.Target, req.ID = name, c.Param(name)
			if req.Target != "processId" && !ValidUUID(req.ID) {
				Abort(c, noSuch(name))
				return
			}
		}
		for _, name := range policies.LaterTargets(route) {
			if !ValidUUID(c.Param(name)) {
				Abort(c, noSuch(name))
				return
			}
		}
		decision, err := d.Authz.Decide(c, req)
		if err != nil {
			Abort(c, errs.E("authorize", err))
			return
		}
		if err := logAccess(c, accessLog, req, decision.Allowed); err != nil {
			// No decision about personal data goes unrecorded.
			Abort(c, errs.E("access-log", err))
			return
		}
		if !decision.Allowed {
			if req.Target != "" && !(decision.Exists && revealsExistence[req.Target]) {
				// A route with later targets is refused for any of them, and the decision does
				// not say which: no parameter is named then.
				param := req.Target
				if len(policies.LaterTargets(route)) > 0 {
					param = ""
				}
				Abort(c, noSuch(param))
			} else {
				Abort(c, errs.E("authorize", errs.Forbidden, errs.Msg("You may not do this.")))
			}
			return
		}
		c.Set(ctxViewer, Viewer{PersonID: person, Decision: decision})
		c.Next()
	}
}

// revealsExistence lists the targets whose existence is no secret: a task id names a step of a
// process, not a person, so a refusal says 403 rather than 404.
var revealsExistence = map[string]bool{"taskId": true}

// authenticate finds the caller's person in the register: the subject of the web session the
// request was made for (OnBehalfOf), or else of the bearer token.
func authenticate(c *gin.Context, d Deps) (string, error) {
	const op = "authenticate"
	subject, ok := auth.SubjectOnBehalf(c.Request.Context())
	if !ok {
		var err error
		if subject, err = bearerSubject(c, d); err != nil {
			return "", err
		}
	}
	person, found, err := d.Authz.SignIn(c, subject)
	if err != nil {
		return "", errs.E(op, err)
	}
	if !found {
		return "", errs.E(op, errs.Unauthenticated, errs.Msg("The signed-in user is not in the register."))
	}
	return person, nil
}

// bearerSubject verifies the request's bearer token and answers its subject.
func bearerSubject(c *gin.Context, d Deps) (string, error) {
	const op = "authenticate"
	h := c.GetHeader("Authorization")
	if d := plaintext.Problem(h); d != "" {
		return "", errs.E(op, errs.Unauthenticated, errs.Msg("The Authorization header is not a bearer token."),
			[]errs.FieldError{{Field: "Authorization", Detail: d}})
	}
	raw, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || raw == "" {
		return "", errs.E(op, errs.Unauthenticated, errs.Msg("Sign in: send a bearer token in the Authorization header."))
	}
	subject, err := d.Verifier.Verify(c, strings.TrimSpace(raw))
	if errors.Is(err, auth.ErrInvalidToken) {
		logger(c).Info("token refused", zap.Error(err))
		return "", errs.E(op, errs.Unauthenticated, errs.Msg("The token is not valid: it may have expired."))
	}
	if err != nil {
		return "", errs.E(op, errs.Unavailable, errs.Msg("Sign-in is unavailable; try again."), err)
	}
	return subject, nil
}

func logAccess(c *gin.Context, w *accessLogWriter, r policies.Request, allowed bool) error {
	var kind, id *string
	if r.Target != "" {
		kind, id = &r.Target, &r.ID
	}
	return w.write(c, store.AccessEntry{Actor: r.Person, Method: r.Method, Route: r.Route, TargetKind: kind, TargetID: id,
		Params: r.Params, Allowed: allowed, RequestID: requestID(c)})
}

// firstParam names the route's first path parameter: the target the route is about.
func firstParam(route string) string {
	for _, seg := range strings.Split(route, "/") {
		if strings.HasPrefix(seg, ":") {
			return seg[1:]
		}
	}
	return ""
}

// noSuch answers a request whose path parameter param ("" for one not known) names nothing the
// person may reach: the parameter is named, and whether it names nothing at all or something not theirs is not told
// (the answer is the same), so that a refusal reveals no pupil, group or activity.
func noSuch(param string) error {
	if param == "" {
		return errs.E("authorize", errs.NotFound, errs.Msg("There is no such resource."))
	}
	return errs.E("authorize", errs.NotFound, errs.Msg("There is no such resource."),
		[]errs.FieldError{{Field: param, Detail: "names nothing you may reach here"}})
}
