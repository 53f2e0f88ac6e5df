package registerhttp

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/skolflow/skolflow/api"
	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/policies"
	"github.com/skolflow/skolflow/register"
)

// The school administrators' changes to the register: bind, check what the request itself can
// tell, call the Store, respond. What the register refuses (custody, a pupil of another school,
// a person who is not the organiser's staff) the Store answers.

// ResponsibleInput sets an adult's relation to a child.
type ResponsibleInput struct {
	RelationType string  `json:"relationType"`
	StartDate    *string `json:"startDate"` // null: since ever
	EndDate      *string `json:"endDate"`   // null: until further notice
}

func (h handlers) putResponsible(c *gin.Context) {
	const op = "register.put-responsible"
	var in ResponsibleInput
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	// Both ids are decided by the authorizer: an adult it does not let the caller reach is 404.
	child, adult := c.Param("personId"), c.Param("responsibleId")
	if adult == child {
		bad.Add("responsibleId", "cannot be the child themself")
	}
	if adult == api.ViewerOf(c).PersonID {
		bad.Add("responsibleId", "cannot be yourself")
	}
	switch {
	case in.RelationType == register.Custody:
		bad.Add("relationType", register.CustodyFromImport)
	case !register.RelationTypes[in.RelationType]:
		bad.Add("relationType", "must be one of Annan ansvarig, God man, Utsedd behörig")
	}
	bad.Period(in.StartDate, in.EndDate)
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	if err := h.store.SetResponsible(c, child, adult, in.RelationType, in.StartDate, in.EndDate); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, gin.H{"person": child, "responsible": adult, "relationType": in.RelationType,
		"startDate": in.StartDate, "endDate": in.EndDate})
}

func (h handlers) deleteResponsible(c *gin.Context) {
	err := h.store.RemoveResponsible(c, c.Param("personId"), c.Param("responsibleId"))
	noContent(c, "register.delete-responsible", err)
}

// MembershipInput puts a pupil in a group.
type MembershipInput struct {
	StartDate string  `json:"startDate"`
	EndDate   *string `json:"endDate"` // null: until further notice
}

func (h handlers) putMember(c *gin.Context) {
	const op = "register.put-member"
	var in MembershipInput
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	// Both ids are decided by the authorizer: a pupil it does not let the caller reach is 404.
	group, person := c.Param("groupId"), c.Param("personId")
	bad.Period(&in.StartDate, in.EndDate)
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	if err := h.store.SetMembership(c, group, person, in.StartDate, in.EndDate); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, gin.H{"group": group, "person": person, "startDate": in.StartDate, "endDate": in.EndDate})
}

func (h handlers) deleteMember(c *gin.Context) {
	err := h.store.RemoveMembership(c, c.Param("groupId"), c.Param("personId"))
	noContent(c, "register.delete-member", err)
}

// DutyInput gives a person a duty at the school.
type DutyInput struct {
	Person    string  `json:"person"`
	DutyRole  string  `json:"dutyRole"`
	Signature *string `json:"signature"`
	StartDate string  `json:"startDate"`
	EndDate   *string `json:"endDate"`
}

func (h handlers) postDuty(c *gin.Context) {
	const op = "register.post-duty"
	var in DutyInput
	bad, err := api.Bind(c, &in)
	if err != nil {
		api.Abort(c, err)
		return
	}
	viewer := api.ViewerOf(c).PersonID
	if in.Person == viewer {
		bad.Add("person", "cannot be yourself")
	}
	school := c.Param("schoolId")
	switch {
	case policies.AuthorityRoles[in.DutyRole]:
		bad.Add("dutyRole", "grants authority over the school and is given only by the huvudman through the register import")
	case policies.OrganiserRoles[in.DutyRole] && !h.authz.HoldsAbove(viewer, "Skoladministratör", school):
		bad.Add("dutyRole", "reads beyond the school and is given only by the huvudman's administrators or the register import")
	case !register.DutyRoles[in.DutyRole]:
		bad.Add("dutyRole", "must be an SS 12000 duty role such as Lärare or Kurator")
	}
	bad.Period(&in.StartDate, in.EndDate)
	if err := bad.Err(op); err != nil {
		api.Abort(c, err)
		return
	}
	d := register.NewDuty{ID: uuid.NewString(), Person: in.Person, School: school, Role: in.DutyRole,
		Signature: in.Signature, Start: in.StartDate, End: in.EndDate}
	if err := h.store.AddDuty(c, d); err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": d.ID, "person": in.Person, "dutyAt": school, "dutyRole": in.DutyRole,
		"startDate": in.StartDate, "endDate": in.EndDate})
}

// deleteDuty ends a duty (Store.EndDuty). A principal's or administrator's duty ends only
// through the import.
func (h handlers) deleteDuty(c *gin.Context) {
	err := h.store.EndDuty(c, c.Param("dutyId"), policies.AuthorityRoles)
	noContent(c, "register.end-duty", err)
}

// noContent answers 204 for a change made, or the error as problem+json.
func noContent(c *gin.Context, op string, err error) {
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.Status(http.StatusNoContent)
}

// maxImportBytes bounds an import document: a city's register is well below it.
const maxImportBytes = 256 << 20

// importDocument is the bulk import: validate every row, then write all or nothing.
func (h handlers) importDocument(c *gin.Context) {
	const op = "register.import"
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxImportBytes))
	if err != nil {
		var bad api.Fields
		bad.Add("", "the document could not be read; at most 256 MiB")
		api.Abort(c, bad.Err(op))
		return
	}
	doc, problems := register.DecodeDocument(body)
	if problems != nil {
		api.Abort(c, errs.E(op, errs.Invalid, errs.Msg("The document has problems; nothing was imported."), problems))
		return
	}
	res, err := register.Import(c, h.store.DB, doc)
	if err != nil {
		api.Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, res)
}
