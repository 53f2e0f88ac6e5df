package app

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/skolflow/skolflow/activities"
	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/workflows"
)

// NewWorker registers every workflow and activity on the task queue. Stop drains it: running
// activities get cfg.ShutdownTimeout to finish.
func NewWorker(c client.Client, cfg config.Config, db *pgxpool.Pool) worker.Worker {
	w := worker.New(c, cfg.TaskQueue, worker.Options{WorkerStopTimeout: cfg.ShutdownTimeout})
	Register(w, db)
	return w
}

// Register puts Skolflow's workflows and activities on a worker or a replayer's registry; the
// test environment uses it too, so all three see the same names.
func Register(r worker.Registry, db *pgxpool.Pool) {
	r.RegisterWorkflow(workflows.AbsenceDay)
	r.RegisterWorkflow(workflows.Decision)
	r.RegisterActivity(&activities.Activities{DB: db})
}
