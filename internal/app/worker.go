package app

import (
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/skolflow/skolflow/activities"
	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/notify"
	"github.com/skolflow/skolflow/workflows"
)

// NewWorker registers every workflow and activity on the task queue, the kernel's and every
// area's. Stop drains it: running activities get cfg.ShutdownTimeout to finish.
func NewWorker(c client.Client, cfg config.Config, db *pgxpool.Pool) worker.Worker {
	return NewWorkerWith(c, cfg, Activities(cfg, db), Modules(area.Env{DB: db, Temporal: c, TaskQueue: cfg.TaskQueue, Config: cfg}))
}

// NewWorkerWith is NewWorker with the kernel's activities and the areas given, for tests that
// wrap a channel or compress an area's timings.
func NewWorkerWith(c client.Client, cfg config.Config, a *activities.Activities, modules []area.Module) worker.Worker {
	w := worker.New(c, cfg.TaskQueue, worker.Options{
		WorkerStopTimeout: cfg.ShutdownTimeout,
		// Human steps arrive as Updates, each needing a workflow task at once: enough pollers
		// that a burst of people does not queue behind two.
		MaxConcurrentWorkflowTaskPollers: 8,
		MaxConcurrentActivityTaskPollers: 8,
	})
	for _, wf := range workflows.All() {
		w.RegisterWorkflow(wf)
	}
	w.RegisterActivity(a)
	for _, m := range modules {
		for _, wf := range m.Workflows {
			w.RegisterWorkflow(wf)
		}
		for _, act := range m.Activities {
			w.RegisterActivity(act)
		}
	}
	return w
}

// Activities builds the activities with the channels cfg configures.
func Activities(cfg config.Config, db *pgxpool.Pool) *activities.Activities {
	a := &activities.Activities{DB: db, PublicURL: cfg.PublicURL}
	if cfg.SMTPAddr != "" {
		a.Email = notify.Mailer{Addr: cfg.SMTPAddr, From: cfg.MailFrom}
	}
	if cfg.SMSGatewayURL != "" {
		a.SMS = notify.SMSGateway{URL: cfg.SMSGatewayURL, Client: &http.Client{Timeout: 30 * time.Second}}
	}
	return a
}
