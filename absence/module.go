package absence

import (
	"context"
	"strings"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/internal/outbox"
	"github.com/skolflow/skolflow/store"
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
			v1.GET("/persons/:personId/absence-reports", h.reports)
			v1.GET("/persons/:personId/absence-days", h.days)
			v1.GET("/persons/:personId/absence-days/:day", h.day)
			v1.POST("/persons/:personId/absence-days/:day/reply", h.reply)
			v1.GET("/schools/:schoolId/absence-investigations", h.investigations)
			v1.GET("/schools/:schoolId/absence-overview", h.overview)
		},
		Schedules: []client.ScheduleOptions{reviewSchedule(env.TaskQueue, env.Config)},
		Services:  []func(context.Context){dispatcher.Run},
		Web: web.Area{
			Name:  "absence",
			Pages: pages(),
			Routes: func(r *web.Router) {
				guardianPages(r)
				mentorPages(r)
				PrincipalPages(r)
			},
			Menu:     PrincipalMenu,
			Sections: map[string]web.Section{web.SlotHome: homeSection, web.SlotChild: childSection},
			// A mentor's tasks of a day lead to the day's page: the guardian's reason, the lessons.
			TaskPages: map[string]func(store.TaskView) string{"absence.classify": dayOfTask, "absence.reach-guardians": dayOfTask},
		},
	}
}

// dayOfTask is the staff's page of the absence day a task belongs to (its process, AbsenceDayID).
func dayOfTask(t store.TaskView) string {
	pupil, day, ok := strings.Cut(strings.TrimPrefix(t.ProcessID, "absence:"), ":")
	if !ok || !strings.HasPrefix(t.ProcessID, "absence:") {
		return ""
	}
	return "/absence-days/" + pupil + "/" + day
}
