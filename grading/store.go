package grading

import "github.com/jackc/pgx/v5/pgxpool"

// Store is the grading area's records in PostgreSQL (migrations/0019_grading.sql).
type Store struct{ DB *pgxpool.Pool }
