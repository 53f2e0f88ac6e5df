package grading

import "github.com/jackc/pgx/v5/pgxpool"

// Activities are where the grading processes touch the world, thin over the Store. The worker
// registers them by method name, the names recorded histories carry.
type Activities struct{ DB *pgxpool.Pool }
