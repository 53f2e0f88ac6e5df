// Package logging builds the one zap logger the process uses, and adapts it for the Temporal SDK.
//
// Contract: log IDs, never personal data. Names, personnummer, addresses and free text written
// by people stay out of every log line; request logs carry the route pattern, not the raw path.
package logging

import (
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// New returns a JSON logger ("json") or a readable console logger ("console") at level.
func New(format, level string) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(level)
	if err != nil {
		return nil, err
	}
	var cfg zap.Config
	if format == "console" {
		cfg = zap.NewDevelopmentConfig()
		cfg.EncoderConfig.EncodeLevel = zapcore.CapitalColorLevelEncoder
		cfg.DisableStacktrace = true
	} else {
		cfg = zap.NewProductionConfig()
		cfg.EncoderConfig.TimeKey = "time"
		cfg.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder
	}
	cfg.Level = zap.NewAtomicLevelAt(lvl)
	return cfg.Build()
}

// Temporal adapts a zap logger to the Temporal SDK's log.Logger and log.WithLogger, so the
// SDK's own lines go through the same encoder, level and sinks as ours.
type Temporal struct{ s *zap.SugaredLogger }

// NewTemporal wraps l for client.Options.Logger.
func NewTemporal(l *zap.Logger) Temporal {
	return Temporal{s: l.Named("temporal").WithOptions(zap.AddCallerSkip(1)).Sugar()}
}

func (t Temporal) Debug(msg string, keyvals ...any) { t.s.Debugw(msg, keyvals...) }
func (t Temporal) Info(msg string, keyvals ...any)  { t.s.Infow(msg, keyvals...) }
func (t Temporal) Warn(msg string, keyvals ...any)  { t.s.Warnw(msg, keyvals...) }
func (t Temporal) Error(msg string, keyvals ...any) { t.s.Errorw(msg, keyvals...) }

// With returns a logger that adds keyvals to every line (log.WithLogger).
func (t Temporal) With(keyvals ...any) Temporal { return Temporal{s: t.s.With(keyvals...)} }
