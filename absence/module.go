package absence

import (
	"context"
	"embed"
	"io/fs"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/outbox"
	"github.com/skolflow/skolflow/web"
)

// New is the absence area as the platform wires it: its processes, their activities, its routes
// the daily review's schedule, and the absence outbox's dispatcher. It reads the settings SKOLFLOW_ABSENCE_NOTICE_WINDOW,
// SKOLFLOW_ABSENCE_DAY_LENGTH, SKOLFLOW_ABSENCE_TASK_DUE, SKOLFLOW_ABSENCE_REACH_CUTOFF,
// SKOLFLOW_ABSENCE_REVIEW_AT, SKOLFLOW_INVESTIGATION_SHARE, SKOLFLOW_INVESTIGATION_REPEATS,
// SKOLFLOW_INVESTIGATION_DUE and SKOLFLOW_DELIVERY_DEADLINE from env.Config.
func New(env area.Env) area.Module {
	h := handlers{env: env, store: Store{env.DB}}
	// The absence outbox's dispatcher tells the pupils' absence days what the register recorded.
	days := Days{Temporal: env.Temporal, TaskQueue: env.TaskQueue, Input: DayInput(env.Config)}
	dispatcher := &outbox.Dispatcher{DB: env.DB, Days: days, Log: env.Log, Parallel: 16}
	return area.Module{
		Name:       "absence",
		Workflows:  []any{AbsenceDay, AbsenceReported, AbsenceReview, Investigation},
		Activities: []any{&Activities{DB: env.DB}},
		Routes: func(v1 gin.IRoutes) {
			v1.POST("/persons/:personId/absences", h.report)
			v1.POST("/persons/:personId/absence-reports", h.reportAbsence)
			v1.GET("/persons/:personId/absence-days/:day", h.day)
			v1.POST("/persons/:personId/absence-days/:day/reply", h.reply)
			v1.GET("/schools/:schoolId/absence-investigations", h.investigations)
			v1.GET("/schools/:schoolId/absence-overview", h.overview)
		},
		Schedules: []client.ScheduleOptions{reviewSchedule(env.TaskQueue, env.Config)},
		Services:  []func(context.Context){dispatcher.Run},
		// principal-pages branch only: the lead merges this into the area's web.Area of
		// absence/web.go (Routes: add PrincipalPages; Menu: add PrincipalMenu...).
		Web: web.Area{Name: "absence", Pages: principalPageFiles(), Routes: PrincipalPages, Menu: PrincipalMenu},
	}
}

// principal-pages branch only, replaced by absence/web.go's embed of the same folder.
//
//go:embed all:pages
var principalPages embed.FS

func principalPageFiles() fs.FS {
	sub, err := fs.Sub(principalPages, "pages")
	if err != nil {
		panic(err)
	}
	return sub
}
