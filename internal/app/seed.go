package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"go.uber.org/zap"

	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/internal/seed"
	"github.com/skolflow/skolflow/store"
)

// Seed is `skolflow seed`: it seeds the database of cfg for this week, and prints one line of
// what it loaded and how long it took to out.
func Seed(ctx context.Context, cfg config.Config, log *zap.Logger, o seed.Options, out io.Writer) error {
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return &config.SettingError{Name: "DATABASE_URL", Reason: "cannot connect to PostgreSQL: " + rootCause(err)}
	}
	defer db.Close()
	if o.Today.IsZero() {
		o.Today = time.Now()
	}
	s, err := seed.Seed(ctx, db, o)
	switch {
	case errors.Is(err, seed.ErrNotEmpty):
		return &config.SettingError{Name: "DATABASE_URL", Reason: "holds a register already; seed an empty database, or add --replace to replace an earlier seed"}
	case errors.Is(err, seed.ErrNotSeeded):
		return &config.SettingError{Name: "DATABASE_URL", Reason: "holds a register a seed did not make; a seed never replaces it: seed an empty database"}
	case err != nil:
		return err
	}
	for _, t := range s.Tables {
		log.Debug("copied", zap.String("table", t.Table), zap.Int64("rows", t.Rows), zap.Duration("took", t.Took))
	}
	c := s.Counts
	fmt.Fprintf(out, "seeded %s in %.1fs: %d schools, %d preschools, %d pupils, %d guardians, %d staff, %d classes, "+
		"%d teaching groups, %d lessons, %d protected, %d school choice applications; %d rows (generated %.1fs, loaded %.1fs, analyzed %.1fs)\n",
		s.Scale, s.Total().Seconds(), c.Schools, c.Preschools, c.Pupils, c.Guardians, c.Staff, c.Classes,
		c.TeachingGroups, c.Lessons, c.Protected, c.Applications, s.Rows, s.Generated.Seconds(), s.Loaded.Seconds(), s.Analyzed.Seconds())
	return nil
}
