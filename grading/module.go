package grading

import (
	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/policies"
)

// New is the grading area as the platform wires it: the grading period's process and the
// corrections' and risks' processes, their activities, their routes and their pages.
func New(env area.Env) area.Module {
	h := handlers{env: env, store: Store{env.DB}}
	return area.Module{
		Name:       "grading",
		Workflows:  []any{GradingPeriod, GradeActivity, SignOffCatalogue, TellPublished, GradeRisk, GradeCorrection},
		Activities: []any{&Activities{DB: env.DB}},
		Routes: func(v1 gin.IRoutes) {
			h.periodRoutes(v1)
			h.correctionRoutes(v1)
		},
		Targets: policies.Targets{"activityId": ActivityTarget, "periodId": PeriodTarget, "gradeId": GradeTarget},
		Web:     Web(),
	}
}
