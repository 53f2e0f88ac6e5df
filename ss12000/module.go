// Package ss12000 serves the register to the city's other systems through SS 12000:2020 v2.1,
// the Swedish standard for exchanging school data, under /ss12000/v2.1: each resource's list
// with the standard's paging, filters, expand and sortkey, each object by id, and lookups. Its
// callers are machine clients (api.guardClient), each granted resources at organisations
// (policy.csv); its answers are checked against the standard's official OpenAPI document by the
// tests, and its errors take the standard's Error shape.
package ss12000

import (
	"context"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/attendance"
)

// resources are the standard's resources served, by path.
var resources = []*resource{organisations, persons, placements, duties, groups, syllabuses, activities,
	calendarEvents, attendances, absences, grades, attendanceEvents}

// New is the SS 12000 area as the platform wires it.
func New(env area.Env) area.Module {
	h := handlers{db: env.DB, env: env, lessons: attendance.Store{DB: env.DB}}
	// A source that is not well configured is none: each scheduled run fails, saying so.
	source, err := ConfiguredSource(env.Config)
	if err != nil && env.Log != nil {
		env.Log.Error("the scheduled SS 12000 sync has no source", zap.Error(err))
	}
	return area.Module{
		Name:       "ss12000",
		Workflows:  []any{SubscriptionDelivery, SyncRegister},
		Activities: []any{&Activities{DB: env.DB, Hosts: CallbackHosts.In(env.Config), Source: source}},
		Schedules:  syncSchedules(env.TaskQueue, env.Config),
		Services:   []func(context.Context){Notifier(env)},
		Standard: func(r gin.IRoutes) {
			for _, res := range resources {
				r.GET("/"+res.name, h.list(res))
				if res != calendarEvents { // see calendar_events.go
					r.POST("/"+res.name+"/lookup", h.lookup(res))
				}
				r.GET("/"+res.name+"/:id", h.get(res))
			}
			r.POST("/attendances", h.reportAttendance)
			r.POST("/absences", h.reportAbsence)
			r.POST("/attendanceEvents", h.reportAttendanceEvent)
			r.DELETE("/attendanceEvents/:id", h.deleteAttendanceEvent)
			r.GET("/aggregatedAttendance", h.aggregated)
			r.GET("/deletedEntities", h.deleted)
			r.GET("/subscriptions", h.listSubscriptions)
			r.POST("/subscriptions", h.createSubscription)
			r.GET("/subscriptions/:id", h.getSubscription)
			r.PATCH("/subscriptions/:id", h.renewSubscription)
			r.DELETE("/subscriptions/:id", h.deleteSubscription)
		},
	}
}
