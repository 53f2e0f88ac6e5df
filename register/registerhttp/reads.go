package registerhttp

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/policies"
	"github.com/skolflow/skolflow/register"
)

// The register's handlers: call the Store, respond. Who may call each is decided before, by
// register/policy.csv; what the viewer sees of protected persons, by the Store from the decision.

type handlers struct {
	store register.Store
	authz *policies.Authorizer
}

// respond answers v, or the error as problem+json.
func respond[T any](c *gin.Context, op string, v T, err error) {
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, v)
}

func (h handlers) schools(c *gin.Context) {
	out, err := h.store.Schools(c)
	respond(c, "register.schools", out, err)
}

func (h handlers) school(c *gin.Context) {
	out, err := h.store.School(c, c.Param("schoolId"))
	respond(c, "register.school", out, err)
}

func (h handlers) schoolGroups(c *gin.Context) {
	out, err := h.store.SchoolGroups(c, c.Param("schoolId"))
	respond(c, "register.school-groups", out, err)
}

// schoolTerms lists the terms the school keeps: those of its huvudman's school years.
func (h handlers) schoolTerms(c *gin.Context) {
	out, err := h.store.SchoolTerms(c, c.Param("schoolId"))
	respond(c, "register.school-terms", out, err)
}

func (h handlers) group(c *gin.Context) {
	out, err := h.store.Group(c, c.Param("groupId"), api.ViewerOf(c).SeesProtected)
	respond(c, "register.group", out, err)
}

func (h handlers) person(c *gin.Context) {
	v := api.ViewerOf(c)
	out, err := h.store.Person(c, c.Param("personId"), v.PersonID, v.StaffNeedToKnow)
	respond(c, "register.person", out, err)
}

func (h handlers) me(c *gin.Context) {
	out, err := h.store.Me(c, api.ViewerOf(c).PersonID)
	respond(c, "register.me", out, err)
}

// myChildren lists the children in the signed-in guardian's custody: only vårdnadshavare.
func (h handlers) myChildren(c *gin.Context) {
	out, err := h.store.Children(c, api.ViewerOf(c).PersonID)
	respond(c, "register.my-children", out, err)
}

// myGroups lists the groups the signed-in teacher teaches or mentors.
func (h handlers) myGroups(c *gin.Context) {
	out, err := h.store.TeacherGroups(c, api.ViewerOf(c).PersonID)
	respond(c, "register.my-groups", out, err)
}
