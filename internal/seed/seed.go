// Package seed generates a large, realistic school register and loads it through COPY, for
// benchmarks and load tests: `skolflow seed --scale city` is a city the size of the reference
// customer (Stockholm: 177 schools, 600 preschools, 140 000 pupils, 200 000 guardians, 23 500
// staff), with classes, teaching groups, a week of lessons and the guardians' contact choices,
// and its school choice open: rounds for year 7 and förskoleklass with their seats and 22 000
// applications (enrollment.go).
//
// A seed is deterministic: the same scale, seeded for the same week, gives the same rows with
// the same ids (name-based UUIDs of stable keys such as "person:elev-17"), so a benchmark can be
// repeated and its results compared. Everyone signs in as <key>@seed.skolflow.test.
//
// The generated people are made up. Their civic numbers are temporary numbers (letters in the
// last four), which register.ParseCivicNo accepts and no real person holds: a made-up personnummer
// with a valid check digit may well be a real person's.
package seed

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Options says what to seed.
type Options struct {
	Scale Scale
	// Today fixes the school year in force and the week of lessons (Monday to Friday of the week
	// Today is in, Europe/Stockholm). Everything else depends on the scale alone.
	Today time.Time
	// Replace empties a register that an earlier seed made, instead of refusing it.
	Replace bool
}

// Summary says what a seed loaded and how long it took.
type Summary struct {
	Scale     string
	Counts    Counts
	Rows      int64 // rows written, over every table
	Tables    []TableLoad
	Generated time.Duration // building the register in memory
	Loaded    time.Duration // COPY, in one transaction, and its commit
	Analyzed  time.Duration // fresh planner statistics, so the first benchmark gets good plans
}

// Seed generates the register of o.Scale and loads it into an empty register.
func Seed(ctx context.Context, db *pgxpool.Pool, o Options) (Summary, error) {
	s := Summary{Scale: o.Scale.Name}
	start := time.Now()
	r, err := Generate(o.Scale, o.Today)
	if err != nil {
		return s, err
	}
	s.Counts = r.Counts()
	s.Generated = time.Since(start)

	start = time.Now()
	if s.Tables, err = load(ctx, db, r, o.Replace); err != nil {
		return s, err
	}
	for _, t := range s.Tables {
		s.Rows += t.Rows
	}
	s.Loaded = time.Since(start)

	start = time.Now()
	if err := analyze(ctx, db); err != nil {
		return s, err
	}
	s.Analyzed = time.Since(start)
	return s, nil
}

// Total is the time the whole seed took.
func (s Summary) Total() time.Duration { return s.Generated + s.Loaded + s.Analyzed }
