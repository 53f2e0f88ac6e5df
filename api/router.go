// Package api is Skolflow's HTTP API: it translates HTTP into calls of the areas, the kernel
// store and workflow commands, and every error into RFC 9457 problem+json. It holds no process
// state.
package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/auth"
	"github.com/skolflow/skolflow/internal/mailsink"
	"github.com/skolflow/skolflow/policies"
)

// Deps is what the API needs from the rest of the process.
type Deps struct {
	Log       *zap.Logger
	DB        *pgxpool.Pool
	Temporal  client.Client
	Registry  *prometheus.Registry // served at /metrics; request latencies are added to it
	TaskQueue string
	Checks    []Check // readiness checks; see NewRouter for the defaults

	Verifier *auth.Verifier       // signs callers in
	Authz    *policies.Authorizer // decides every non-public route
	Dev      *DevMode             // nil outside `skolflow dev`: then the /dev routes do not exist
	Modules  []area.Module        // the areas of the school; each mounts its routes under /api/v1
	Web      Web                  // the web pages beside the API; nil: none
}

// Web is the people's web pages (package web), served by the API's router beside /api/v1.
type Web interface {
	// Mount adds the pages' routes to r. They are mounted before the API's sign-in and
	// authorization middleware, because the pages sign in with a session, and every page asks
	// the API in the process (OnBehalfOf), where the API's own guard decides.
	Mount(r *gin.Engine)
	// NotFound answers a browser's request for a path that is neither a page nor the API's.
	NotFound(c *gin.Context)
}

// DevMode is the small token issuer of `skolflow dev`, the domain of its demo users' names, and
// its local mailbox.
type DevMode struct {
	Issuer     *auth.DevIssuer
	UserDomain string         // a demo user "rektor-a" signs in as rektor-a@UserDomain
	Mailbox    *mailsink.Sink // shown at /dev/mail; also the SMS gateway at /dev/sms
}

// Check is one readiness probe: Name is what /readyz reports when Probe fails.
type Check struct {
	Name  string
	Probe func(context.Context) error
}

// NewRouter builds the Gin engine with every route of the API. Unknown routes and methods
// answer with problem+json like every other error.
func NewRouter(d Deps) *gin.Engine {
	r := NewOpsRouter(d)
	if d.Web != nil {
		d.Web.Mount(r)
	}
	r.Use(guard(d), checkRequests(document())) // sign-in, authorization and api/openapi.yaml for every route registered below
	if d.Dev != nil {
		d.Dev.routes(r, d)
	}
	v1 := r.Group("/api/v1")
	v1.GET("/openapi.yaml", openAPIDocument)

	notes := notificationHandlers{d}
	v1.GET("/notifications", notes.list)
	v1.POST("/notifications/:notificationId/read", notes.read)
	v1.GET("/me/contact", notes.contact)
	v1.PUT("/me/contact", notes.setContact)

	tasks := taskHandlers{d}
	v1.GET("/tasks", tasks.list)
	v1.POST("/tasks/:taskId/complete", tasks.complete)
	v1.POST("/tasks/:taskId/reassign", tasks.reassign)
	v1.GET("/processes/:processId", tasks.process)

	for _, m := range d.Modules {
		if m.Routes != nil {
			m.Routes(v1)
		}
	}
	std := r.Group(StandardPrefix)
	for _, m := range d.Modules {
		if m.Standard != nil {
			m.Standard(std)
		}
	}
	return r
}

// NewOpsRouter serves only what operators need (/healthz, /readyz, /metrics); the worker serves
// it so that it can be probed and scraped like the API.
func NewOpsRouter(d Deps) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	if d.Checks == nil {
		d.Checks = []Check{
			{Name: "postgres", Probe: d.DB.Ping},
			{Name: "temporal", Probe: func(ctx context.Context) error {
				_, err := d.Temporal.CheckHealth(ctx, &client.CheckHealthRequest{})
				return err
			}},
		}
	}
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	r.Use(withRequestID(d.Log), accessLog(d.Registry), recoverProblem())
	r.NoRoute(func(c *gin.Context) {
		if d.Web != nil && browsing(c) {
			d.Web.NotFound(c)
			return
		}
		abortWithProblem(c, http.StatusNotFound, Problem{Detail: "There is no such resource."})
	})
	r.NoMethod(func(c *gin.Context) {
		abortWithProblem(c, http.StatusMethodNotAllowed, Problem{Detail: "The resource does not support this method."})
	})

	r.GET("/healthz", healthz)
	r.GET("/readyz", readyz(d.Checks))
	r.GET("/metrics", gin.WrapH(promhttp.HandlerFor(d.Registry, promhttp.HandlerOpts{})))
	return r
}

// browsing tells a person's browser asking for a page from a client of the API: the API and the
// dev routes always answer problem+json.
func browsing(c *gin.Context) bool {
	p := c.Request.URL.Path
	if strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/dev/") {
		return false
	}
	return strings.Contains(c.GetHeader("Accept"), "text/html")
}
