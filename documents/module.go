package documents

import (
	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/policies"
)

// New is the documents area as the platform wires it: its routes and the target they name.
func New(env area.Env) area.Module {
	h := handlers{env: env, store: Store{env.DB}}
	return area.Module{
		Name: "documents",
		Routes: func(v1 gin.IRoutes) {
			v1.POST("/persons/:personId/documents", h.create)
			v1.GET("/persons/:personId/documents", h.list)
			v1.GET("/documents/:documentId", h.get)
			v1.GET("/documents/:documentId/verify", h.verify)
			v1.GET("/documents/:documentId/export", h.export)
			v1.POST("/documents/:documentId/staff", h.assign)
			v1.DELETE("/documents/:documentId/staff/:member", h.unassign)
			v1.POST("/documents/:documentId/versions", h.newVersion)
			v1.PUT("/documents/:documentId/versions/:version", h.editDraft)
			v1.POST("/documents/:documentId/versions/:version/sign", h.sign)
		},
		Targets: policies.Targets{"documentId": DocumentTarget},
		Web:     Web(),
	}
}
