package api

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"
)

// healthz answers as long as the process can serve HTTP; it checks no dependency, so a database
// outage never makes an orchestrator restart healthy API processes.
func healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyzTimeout bounds each dependency probe, so /readyz answers quickly when one hangs.
const readyzTimeout = 2 * time.Second

// readyz probes every dependency at once and answers 200 when all answer, otherwise 503 naming
// each failing part. Nothing is cached: readiness recovers by itself when a dependency returns.
func readyz(checks []Check) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), readyzTimeout)
		defer cancel()
		results := make(map[string]string, len(checks))
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, ch := range checks {
			wg.Go(func() {
				state := "up"
				if err := ch.Probe(ctx); err != nil {
					state = "down"
					logger(c).Warn("readiness check failed", zap.String("check", ch.Name), zap.Error(err))
				}
				mu.Lock()
				results[ch.Name] = state
				mu.Unlock()
			})
		}
		wg.Wait()
		var down []string
		for _, ch := range checks {
			if results[ch.Name] == "down" {
				down = append(down, ch.Name)
			}
		}
		if len(down) > 0 {
			abortWithProblem(c, http.StatusServiceUnavailable, Problem{
				Title:  "Not ready",
				Detail: "Unreachable: " + strings.Join(down, ", ") + ".",
				Checks: results,
			})
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ready", "checks": results})
	}
}
