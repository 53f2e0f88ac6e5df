package api

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// OpenAPI is the OpenAPI 3 document of the whole HTTP API. TestRoutesMatchOpenAPI keeps it and
// the router in step: a route missing from either side fails the build.
//
//go:embed openapi.yaml
var OpenAPI []byte

func openAPIDocument(c *gin.Context) {
	c.Data(http.StatusOK, "application/yaml", OpenAPI)
}
