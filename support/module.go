package support

import (
	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/policies"
)

// New is the support area as the platform wires it: its process, its activities, its routes and
// the target they name. It reads the settings of settings.go and SKOLFLOW_DELIVERY_DEADLINE.
func New(env area.Env) area.Module {
	h := handlers{env: env, store: Store{env.DB}}
	return area.Module{
		Name:       "support",
		Workflows:  []any{Support},
		Activities: []any{&Activities{DB: env.DB}},
		Routes: func(v1 gin.IRoutes) {
			v1.POST("/persons/:personId/support-cases", h.signal)
			v1.GET("/support-cases/:caseId", h.get)
			v1.GET("/support-cases/:caseId/export", h.export)
			v1.POST("/support-cases/:caseId/decision", h.decide)
			v1.POST("/support-cases/:caseId/appeals", h.appeal)
		},
		Targets: policies.Targets{"caseId": CaseTarget},
		Web:     Web(),
	}
}
