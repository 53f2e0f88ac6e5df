package app

import (
	"github.com/skolflow/skolflow/absence"
	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/leave"
)

// Modules lists the areas of the school that run on the kernel. Adding an area is one line
// here: its Module brings its workflows and activities to the worker and its routes to the API.
func Modules(env area.Env) []area.Module {
	return []area.Module{
		leave.New(env),
		absence.New(env),
	}
}
