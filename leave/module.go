package leave

import (
	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/area"
)

// New is the leave area as the platform wires it: its process, its activities, its routes and
// its pages. It reads the settings SKOLFLOW_LEAVE_ANSWER_DUE, SKOLFLOW_LEAVE_STEP_DUE and
// SKOLFLOW_DELIVERY_DEADLINE from env.Config.
func New(env area.Env) area.Module {
	h := handlers{env: env, store: Store{env.DB}}
	return area.Module{
		Name:       "leave",
		Workflows:  []any{Leave},
		Activities: []any{&Activities{DB: env.DB}},
		Routes: func(v1 gin.IRoutes) {
			v1.POST("/persons/:personId/leave-applications", h.apply)
			v1.GET("/persons/:personId/leave-applications", h.list)
			v1.GET("/schools/:schoolId/leave-delegation", h.delegation)
			v1.PUT("/schools/:schoolId/leave-delegation", h.setDelegation)
		},
		Web: Web(),
	}
}
