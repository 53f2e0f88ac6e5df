package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"go.uber.org/zap"

	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/ss12000"
	"github.com/skolflow/skolflow/store"
)

// RegisterClient runs `skolflow client FILE`: it registers the machine client FILE describes
// (ss12000.Client as JSON), or brings a registered one in line with it, grants and all. A file
// with problems lists each and writes nothing.
func RegisterClient(ctx context.Context, cfg config.Config, log *zap.Logger, path string, errOut io.Writer) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var c ss12000.Client
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		fmt.Fprintf(errOut, "%s: not a client: %v\n", path, err)
		return ErrRejected
	}
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return &config.SettingError{Name: "DATABASE_URL", Reason: "cannot connect to PostgreSQL: " + rootCause(err)}
	}
	defer db.Close()
	err = ss12000.RegisterClient(ctx, db, c)
	var e *errs.Error
	if errors.As(err, &e) && e.Kind == errs.Invalid {
		for _, p := range e.Fields {
			fmt.Fprintf(errOut, "%s: %s: %s\n", path, p.Field, p.Detail)
		}
		return ErrRejected
	}
	if err != nil {
		return err
	}
	log.Info("client registered", zap.String("client", c.ClientID), zap.Int("grants", len(c.Grants)))
	return nil
}
