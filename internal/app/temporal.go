package app

import (
	"context"
	"time"

	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/internal/logging"
)

// DialTemporal connects to the Temporal frontend and checks that it answers within timeout.
// The SDK logs through log and reports metrics through m.
func DialTemporal(ctx context.Context, cfg config.Config, log *zap.Logger, m *Metrics, timeout time.Duration) (client.Client, error) {
	dialCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return client.DialContext(dialCtx, client.Options{
		HostPort:       cfg.TemporalAddress,
		Namespace:      cfg.TemporalNamespace,
		Logger:         logging.NewTemporal(log),
		MetricsHandler: m.Temporal,
	})
}
