package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"go.uber.org/zap"

	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
	"github.com/skolflow/skolflow/store"
)

// ErrRejected means an import document had problems, each already printed; nothing was written.
var ErrRejected = errors.New("the document was rejected; nothing was imported")

// ImportFile is `skolflow import FILE`: the bulk import of POST /api/v1/register/import, from a
// file. It prints what changed as JSON to out, or every problem with its location to errOut.
func ImportFile(ctx context.Context, cfg config.Config, log *zap.Logger, path string, out, errOut io.Writer) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	doc, problems := register.DecodeDocument(data)
	if problems == nil {
		db, err := store.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return &config.SettingError{Name: "DATABASE_URL", Reason: "cannot connect to PostgreSQL: " + rootCause(err)}
		}
		defer db.Close()
		res, err := register.Import(ctx, db, doc)
		var e *errs.Error
		if errors.As(err, &e) && e.Kind == errs.Invalid {
			problems = e.Fields
		} else if err != nil {
			return err
		} else {
			enc := json.NewEncoder(out)
			enc.SetIndent("", "  ")
			if !res.Changed {
				log.Info("the register already holds this document: nothing changed")
			}
			return enc.Encode(res)
		}
	}
	for _, p := range problems {
		fmt.Fprintf(errOut, "%s: %s: %s\n", path, p.Field, p.Detail)
	}
	return ErrRejected
}
