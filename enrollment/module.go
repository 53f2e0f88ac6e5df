package enrollment

import (
	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/area"
)

// New is the enrollment area as the platform wires it: its processes, its activities and its
// routes. It reads the settings of settings.go and SKOLFLOW_DELIVERY_DEADLINE.
func New(env area.Env) area.Module {
	h := handlers{env: env, store: Store{env.DB}}
	return area.Module{
		Name:       "enrollment",
		Workflows:  []any{Application, PlacementRound, Offer, Reconsider, Guarantee},
		Activities: []any{&Activities{DB: env.DB, Temporal: env.Temporal, TaskQueue: env.TaskQueue}},
		Routes: func(v1 gin.IRoutes) {
			v1.GET("/enrollment-rounds", h.rounds)
			v1.POST("/schools/:schoolId/enrollment-rounds", h.createRound)
			v1.GET("/schools/:schoolId/enrollment-rounds", h.organisersRounds)
			v1.GET("/schools/:schoolId/enrollment-rounds/:round", h.report)
			v1.GET("/schools/:schoolId/enrollment-rounds/:round/applications/:child", h.applicant)
			v1.GET("/schools/:schoolId/preschool-guarantees", h.guarantees)
			v1.GET("/schools/:schoolId/capacities", h.capacities)
			v1.PUT("/schools/:schoolId/capacities", h.setCapacity)
			v1.POST("/persons/:personId/applications", h.apply)
			v1.GET("/persons/:personId/applications", h.list)
			v1.GET("/persons/:personId/applications/:round", h.get)
			v1.PUT("/persons/:personId/applications/:round", h.change)
			v1.POST("/persons/:personId/applications/:round/appeals", h.appeal)
		},
		Web: Web(),
	}
}
