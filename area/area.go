// Package area is how an area of the school plugs into the platform. An area (leave, absence,
// attendance, grading, ...) lives in one folder with its rules, its SQL, its process, the
// process's activities, its HTTP handlers and its tests, and exposes one Module. The app lists
// the modules (internal/app/modules.go); the kernel (api, workflows, activities, policies)
// knows no area by name.
package area

import (
	"context"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/internal/config"
	"github.com/skolflow/skolflow/policies"
	"github.com/skolflow/skolflow/web"
)

// Module is what an area brings to the platform.
type Module struct {
	Name string
	// Workflows are registered with the worker, each under its function's name: the workflow
	// type that recorded histories and running processes carry.
	Workflows []any
	// Activities are structs whose exported methods the worker registers as activities, under
	// the methods' names.
	Activities []any
	// Routes mounts the area's handlers on the API's /api/v1 group, behind sign-in and
	// authorization: each route needs a row in the area's policy.csv and an operation in
	// api/openapi.yaml, and a test fails without them.
	Routes func(v1 gin.IRoutes)
	// Standard mounts routes a standard of its own describes, under api.StandardPrefix (SS
	// 12000's /ss12000/v2.1), for machine clients: each needs a policy row for a client role;
	// they are checked against the standard's document rather than api/openapi.yaml.
	Standard func(r gin.IRoutes)
	// Targets find the facts about the ids the area's routes name first (e.g. "lessonId"),
	// for the Authorizer to decide the area's policy rows. The register's and the kernel's
	// (personId, groupId, schoolId, taskId, processId, ...) need no entry.
	Targets policies.Targets
	// Schedules are the area's recurring processes: every worker creates each at start, or
	// brings one that exists (by its ID) in line with its options.
	Schedules []client.ScheduleOptions
	// Services are the area's long-running loops, which the API process runs while it serves
	// (an outbox's dispatcher, say); each returns when its ctx ends.
	Services []func(ctx context.Context)
	// Web is the area's pages for the people who use it (package web): its templates, texts,
	// routes, menu entries and part of the start page. Zero: the area has no pages.
	Web web.Area
}

// The rest of an area is found by its folder, without a line here (see package skolflow):
// its migrations in <area>/migrations and its policy rows in <area>/policy.csv. Its settings
// are declared beside its code (config.DeclareDuration) and read from Env.Config.

// Targets gathers the modules' targets for the Authorizer. Two areas naming the same path
// parameter is a programming error.
func Targets(modules []Module) policies.Targets {
	all := policies.Targets{}
	for _, m := range modules {
		for name, t := range m.Targets {
			if _, twice := all[name]; twice {
				panic("area: two areas find the target " + name)
			}
			all[name] = t
		}
	}
	return all
}

// Env is what a Module is built from: the platform's connections and settings.
type Env struct {
	DB        *pgxpool.Pool
	Temporal  client.Client // nil where only the worker's parts are wanted
	TaskQueue string
	Log       *zap.Logger
	Config    config.Config // every setting; an area reads its own
	// Authz is the API's Authorizer, for what a handler asks of it besides the decision made
	// before the handler runs; nil where only the worker's parts, or the targets, are wanted.
	Authz *policies.Authorizer
}
