package api

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/policies"
	"github.com/skolflow/skolflow/store"
)

// StandardPrefix is where SS 12000 is served to the city's other systems (package ss12000). Its
// routes are for machine clients only, are described by the standard's own OpenAPI document, and
// answer errors in the standard's Error shape (see writeStandardError).
const StandardPrefix = "/ss12000/v2.1"

// standard reports whether a path is under StandardPrefix.
func standard(path string) bool {
	return path == StandardPrefix || strings.HasPrefix(path, StandardPrefix+"/")
}

// ClientViewer is the signed-in machine client and where it may be answered about on the route.
type ClientViewer struct {
	policies.Client
	policies.Scope
}

const ctxClient = "skolflow.client"

// ClientOf returns the request's client; guardClient has put it there on every SS 12000 route.
func ClientOf(c *gin.Context) ClientViewer {
	v, _ := c.Get(ctxClient)
	return v.(ClientViewer)
}

// guardClient signs a machine client in with its bearer token (OAuth 2.0 client credentials at
// the same issuer as people) and decides the route with the policy rows, in the domain of every
// organisation granted to it. A client refused everywhere is answered 403, as the standard lists.
// The decision is in the access log with the client as the actor, and the resource it asked for
// by id as the target.
func guardClient(c *gin.Context, d Deps, log *accessLogWriter) {
	const op = "authenticate"
	subject, err := bearerSubject(c, d)
	if err != nil {
		c.Header("WWW-Authenticate", `Bearer realm="skolflow"`)
		Abort(c, err)
		return
	}
	client, found, err := d.Authz.SignInClient(c, subject)
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	if !found {
		c.Header("WWW-Authenticate", `Bearer realm="skolflow"`)
		Abort(c, errs.E(op, errs.Unauthenticated, errs.Msg("The token's client is not registered with Skolflow.")))
		return
	}
	route := c.FullPath()
	id := c.Param("id")
	if strings.Contains(route, "/:id") && !ValidUUID(id) {
		Abort(c, errs.E(op, errs.Invalid, errs.Msg("The id is not a UUID."), []errs.FieldError{{Field: "id", Detail: "must be a UUID"}}))
		return
	}
	scope, err := d.Authz.ClientScope(client, c.Request.Method, route)
	if err != nil {
		Abort(c, errs.E("authorize", err))
		return
	}
	entry := store.AccessEntry{Actor: client.ID, ActorKind: "client", Method: c.Request.Method, Route: route,
		Params: map[string]string{}, Allowed: scope.Allowed(), RequestID: requestID(c)}
	if id != "" {
		kind := "id"
		entry.TargetKind, entry.TargetID = &kind, &id
		entry.Params["id"] = id
	}
	if err := log.write(c, entry); err != nil {
		Abort(c, errs.E("access-log", err))
		return
	}
	if !scope.Allowed() {
		Abort(c, errs.E("authorize", errs.Forbidden, errs.Msg("The client is not granted this resource.")))
		return
	}
	c.Set(ctxClient, ClientViewer{Client: client, Scope: scope})
	c.Next()
}
