package absence

import (
	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/area"
)

// New is the absence area as the platform wires it: its processes.
func New(env area.Env) area.Module {
	return area.Module{
		Name:      "absence",
		Workflows: []any{AbsenceDay, AbsenceReported, AbsenceReview, Investigation},
		Routes:    func(gin.IRoutes) {},
	}
}
