// Package registerhttp is the register's HTTP handlers and its Module: the schools, groups and
// persons as a viewer may see them, the administrators' changes, and the register import.
//
// The register's rules, code lists and SQL are package register, one level up. They are a
// package of their own because the kernel asks the register too (the authorizer reads duties
// and relations from it, and the kernel's handlers who is protected), and the handlers here use
// the kernel's api package: in package register they would make an import cycle, api ->
// register -> api. So the register is an area in two packages: register (rules and Store) and
// registerhttp (thin handlers over the Store, and New).
package registerhttp

import (
	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/register"
)

// New is the register area as the platform wires it: its routes. It runs no process.
func New(env area.Env) area.Module {
	h := handlers{store: register.Store{DB: env.DB}, authz: env.Authz}
	return area.Module{
		Name: "register",
		Routes: func(v1 gin.IRoutes) {
			v1.GET("/me", h.me)
			v1.GET("/me/children", h.myChildren)
			v1.GET("/me/groups", h.myGroups)
			v1.GET("/schools", h.schools)
			v1.GET("/schools/:schoolId", h.school)
			v1.GET("/schools/:schoolId/groups", h.schoolGroups)
			v1.GET("/schools/:schoolId/staff", h.schoolStaff)
			v1.GET("/schools/:schoolId/terms", h.schoolTerms)
			v1.POST("/schools/:schoolId/duties", h.postDuty)
			v1.DELETE("/duties/:dutyId", h.deleteDuty)
			v1.GET("/groups/:groupId", h.group)
			v1.PUT("/groups/:groupId/members/:personId", h.putMember)
			v1.DELETE("/groups/:groupId/members/:personId", h.deleteMember)
			v1.GET("/persons/:personId", h.person)
			v1.PUT("/persons/:personId/responsibles/:responsibleId", h.putResponsible)
			v1.DELETE("/persons/:personId/responsibles/:responsibleId", h.deleteResponsible)
			v1.POST("/register/import", h.importDocument)
		},
		Web: Web(),
	}
}
