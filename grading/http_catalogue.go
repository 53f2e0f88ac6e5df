package grading

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/errs"
)

// A group's grade catalogue: read by the principal and the organiser's officers, signed off by
// the principal once every grade of the period is final, and verified against its stored hash.

// catalogueOf reads the period of the path and checks that the group of the path has a
// catalogue in it (a group one of its graded activities teaches).
func (h handlers) catalogueOf(c *gin.Context) (Period, error) {
	p, err := h.store.Period(c, c.Param("periodId"))
	if err != nil {
		return p, err
	}
	has, err := h.store.HasCatalogue(c, p.ID, c.Param("group"))
	if err != nil {
		return p, err
	}
	if !has {
		return p, errs.E(errs.NotFound, errs.Msg("The group has no grade catalogue in this grading period."))
	}
	return p, nil
}

func (h handlers) catalogue(c *gin.Context) {
	const op = "grading.catalogue"
	p, err := h.catalogueOf(c)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	out, err := h.store.Catalogue(c, p.ID, c.Param("group"))
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// signCatalogue signs off a group's catalogue: only once every grade of the period is final
// (422 naming what is missing otherwise), and only while the period's sign-off step is open (409).
// It records the catalogue with its hash, then completes the step.
func (h handlers) signCatalogue(c *gin.Context) {
	const op = "grading.signCatalogue"
	p, err := h.catalogueOf(c)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	progress, err := h.store.Progress(c, p.ID)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	var bad api.Fields
	for _, a := range progress {
		if a.Final < a.Pupils || a.Final < a.Graded {
			bad.Add("grades", fmt.Sprintf("are not all final: %s has %d of %d pupils' grades final", a.DisplayName, a.Final, max(a.Pupils, a.Graded)))
		}
	}
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	task, err := h.openTask(c, p, CatalogueProcessID(p.ProcessID, c.Param("group")), SignOffStep(c.Param("group")))
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	// The record first, as the grades' routes do: the answer holds the signed catalogue with its
	// hash. A sign-off asked again after a step that failed finds it signed, and signs nothing twice.
	sign := SignedCatalogue{PeriodID: p.ID, GroupID: c.Param("group"), By: api.ViewerOf(c).PersonID, At: time.Now()}
	if err := h.store.SignCatalogue(c, sign); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if err := h.complete(c, task, map[string]any{"catalogue": c.Param("group")}); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	out, err := h.store.Catalogue(c, p.ID, c.Param("group"))
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// verify computes a signed catalogue's hash again from its grades.
func (h handlers) verify(c *gin.Context) {
	const op = "grading.verifyCatalogue"
	p, err := h.catalogueOf(c)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	v, err := h.store.Verify(c, p.ID, c.Param("group"))
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	if !v.Signed {
		api.Abort(c, errs.E(op, errs.Conflict, errs.Msg("The catalogue is not signed off yet.")))
		return
	}
	c.JSON(http.StatusOK, v)
}
