package grading

import (
	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/area"
)

type handlers struct {
	env   area.Env
	store Store
}

// periodRoutes are the grading period's routes.
func (h handlers) periodRoutes(v1 gin.IRoutes) {}
