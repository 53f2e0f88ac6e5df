package app

import (
	"context"
	"encoding/json"
	"io"
	"net/url"

	"go.uber.org/zap"

	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/ss12000"
	"github.com/skolflow/skolflow/store"
)

// Sync runs `skolflow sync --from URL`: one run of the sync from the SS 12000 server at from,
// signed in with the SKOLFLOW_SYNC_* client credentials, and prints what it did as JSON.
func Sync(ctx context.Context, cfg config.Config, log *zap.Logger, from string, out io.Writer) error {
	if u, err := url.Parse(from); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &config.SettingError{Name: "--from", Reason: "must be the http or https URL of an SS 12000 server"}
	}
	if ss12000.SyncTokenURL.In(cfg) == "" || ss12000.SyncClientID.In(cfg) == "" {
		return &config.SettingError{Name: "SKOLFLOW_SYNC_TOKEN_URL", Reason: "and SKOLFLOW_SYNC_CLIENT_ID are needed to sign in to the source"}
	}
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return &config.SettingError{Name: "DATABASE_URL", Reason: "cannot connect to PostgreSQL: " + rootCause(err)}
	}
	defer db.Close()
	src := ss12000.NewSource(ctx, from, ss12000.SyncTokenURL.In(cfg), ss12000.SyncClientID.In(cfg), ss12000.SyncClientSecret.In(cfg))
	res, err := src.Run(ctx, db)
	if err != nil {
		return err
	}
	log.Info("synced", zap.Bool("full", res.Full), zap.Int("read", res.Read), zap.Int("deleted", res.Deleted), zap.Bool("changed", res.Changed))
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
