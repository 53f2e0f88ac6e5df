package incidents

import (
	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/policies"
)

// New is the incidents area as the platform wires it: its process, its activities, its routes
// and the target they name. It reads the settings of settings.go and SKOLFLOW_DELIVERY_DEADLINE
// from env.Config.
func New(env area.Env) area.Module {
	h := handlers{env: env, store: Store{env.DB}}
	return area.Module{
		Name:       "incidents",
		Workflows:  []any{Incident},
		Activities: []any{&Activities{DB: env.DB}},
		Routes: func(v1 gin.IRoutes) {
			v1.POST("/schools/:schoolId/incidents", h.report)
			v1.GET("/schools/:schoolId/incidents", h.school)
			v1.GET("/incidents/:incidentId", h.get)
			v1.GET("/incidents/:incidentId/export", h.export)
		},
		Targets: policies.Targets{"incidentId": IncidentTarget},
		Web:     Web(),
	}
}
