package grading

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/errs"
)

// pupilGrades answers a pupil's grades: to the pupil and their custodial guardians only those
// published by now, whatever else they are; to the school's staff every grade.
func (h handlers) pupilGrades(c *gin.Context) {
	published := !api.ViewerOf(c).StaffNeedToKnow
	out, err := h.store.PupilGrades(c, c.Param("personId"), published)
	if err != nil {
		api.Abort(c, errs.E("grading.pupilGrades", err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// groupGrades answers the grades in a period of a group's pupils, to its teachers and the
// principal; pupils with a protection marking only to those with the need to know.
func (h handlers) groupGrades(c *gin.Context) {
	const op = "grading.groupGrades"
	period := c.Query("period")
	if period == "" {
		api.Abort(c, errs.E(op, errs.Invalid, errs.Msg("Name the grading period."), []errs.FieldError{{Field: "period", Detail: "is required"}}))
		return
	}
	out, err := h.store.GroupGrades(c, c.Param("groupId"), period, api.ViewerOf(c).SeesProtected)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, out)
}
