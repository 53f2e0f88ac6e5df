package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/internal/casefile"
	"github.com/skolflow/skolflow/internal/errs"
)

// Export answers an export for the Schools Inspectorate or a family: out as JSON, or, with
// format=pdf (api/openapi.yaml lists the two), file as a PDF to download as name.pdf.
func Export(c *gin.Context, op, name string, out any, file func() casefile.File) {
	if c.Query("format") != "pdf" {
		c.JSON(http.StatusOK, out)
		return
	}
	pdf, err := file().PDF()
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`.pdf"`)
	c.Data(http.StatusOK, "application/pdf", pdf)
}
