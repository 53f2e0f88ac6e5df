// Package api is Skolflow's HTTP API: it translates HTTP into register reads and writes and into
// workflow commands, and every error into RFC 9457 problem+json. It holds no process state.
package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"
)

// Deps is what the API needs from the rest of the process.
type Deps struct {
	Log       *zap.Logger
	DB        *pgxpool.Pool
	Temporal  client.Client
	Registry  *prometheus.Registry // served at /metrics; request latencies are added to it
	TaskQueue string
	Timings   Timings
	Checks    []Check // readiness checks; see NewRouter for the defaults
}

// Timings are the process durations the API puts into workflow input.
type Timings struct {
	AbsenceNoticeWindow time.Duration
	AbsenceDayLength    time.Duration
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
	v1 := r.Group("/api/v1")
	v1.GET("/openapi.yaml", openAPIDocument)
	absences := absenceHandlers{d}
	v1.POST("/absences", absences.report)
	v1.GET("/absence-days/:studentId/:day", absences.day)
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
