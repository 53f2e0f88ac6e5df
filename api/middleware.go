package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
)

// RequestIDHeader carries the request ID in and out. A well-formed incoming ID (from a proxy)
// is kept so one request can be followed across services; anything else is replaced.
const RequestIDHeader = "X-Request-ID"

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

const (
	ctxRequestID = "skolflow.requestID"
	ctxLogger    = "skolflow.logger"
)

func withRequestID(log *zap.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(RequestIDHeader)
		if !validRequestID.MatchString(id) {
			id = newRequestID()
		}
		c.Set(ctxRequestID, id)
		c.Set(ctxLogger, log.With(zap.String("request_id", id)))
		c.Header(RequestIDHeader, id)
		c.Next()
	}
}

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func requestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

// logger returns the request's logger, which carries the request ID.
func logger(c *gin.Context) *zap.Logger {
	if l, ok := c.Get(ctxLogger); ok {
		return l.(*zap.Logger)
	}
	return zap.NewNop()
}

// Logger is the request's logger, which carries the request ID, for an area's handlers.
func Logger(c *gin.Context) *zap.Logger { return logger(c) }

// accessLog logs one line per request and observes its latency. It logs the route pattern, not
// the raw path or query, which may carry what a user typed.
func accessLog(reg prometheus.Registerer) gin.HandlerFunc {
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "skolflow_http_request_duration_seconds",
		Help:    "HTTP request latency by route and status.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"method", "route", "status"})
	reg.MustRegister(latency)
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		elapsed := time.Since(start)
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		status := c.Writer.Status()
		latency.WithLabelValues(c.Request.Method, route, strconv.Itoa(status)).Observe(elapsed.Seconds())
		logger(c).Info("request",
			zap.String("method", c.Request.Method),
			zap.String("route", route),
			zap.Int("status", status),
			zap.Float64("latency_ms", float64(elapsed.Microseconds())/1000),
		)
	}
}

// recoverProblem turns a panic into a 500 problem. The panic value may hold personal data, so
// only its type is logged, with the stack for the developer.
func recoverProblem() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				logger(c).Error("panic in handler", zap.String("panic_type", fmt.Sprintf("%T", r)), zap.StackSkip("stack", 2))
				abortWithProblem(c, http.StatusInternalServerError, Problem{})
			}
		}()
		c.Next()
	}
}
