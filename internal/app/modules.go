package app

import (
	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/attendance"
	"github.com/skolflow/skolflow/documents"
	"github.com/skolflow/skolflow/enrollment"
	"github.com/skolflow/skolflow/grading"
	"github.com/skolflow/skolflow/incidents"
	"github.com/skolflow/skolflow/leave"
	"github.com/skolflow/skolflow/register/registerhttp"
	"github.com/skolflow/skolflow/ss12000"
	"github.com/skolflow/skolflow/support"
)

// Modules lists the areas of the school that run on the kernel. Adding an area is one line
// here: its Module brings its workflows and activities to the worker and its routes to the API.
func Modules(env area.Env) []area.Module {
	return []area.Module{
		leave.New(env),
		attendance.New(env),
		registerhttp.New(env),
		absence.New(env),
		grading.New(env),
		documents.New(env),
		incidents.New(env),
		support.New(env),
		enrollment.New(env),
		ss12000.New(env),
	}
}

// modules are the areas as this process wires them; their Authz is nil until startAuth has
// loaded the Authorizer, which needs their targets first.
func (d *deps) modules() []area.Module {
	return Modules(area.Env{DB: d.db, Temporal: d.temporal, TaskQueue: d.cfg.TaskQueue, Log: d.log, Config: d.cfg, Authz: d.authz})
}
