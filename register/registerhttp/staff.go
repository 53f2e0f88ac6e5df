package registerhttp

import (
	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/api"
)

// schoolStaff lists the school's staff today with their duty roles there: whom its principal
// may give a task of the school (POST /api/v1/tasks/{taskId}/reassign takes a person who holds
// one of the task's heldBy roles at its school).
func (h handlers) schoolStaff(c *gin.Context) {
	out, err := h.store.SchoolStaff(c, c.Param("schoolId"), api.ViewerOf(c).SeesProtected)
	respond(c, "register.school-staff", out, err)
}
