package api

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/policies"
	"github.com/skolflow/skolflow/register"
)

// Writes to the register, for school administrators. Each runs in one transaction that also
// announces the change, so every API instance honours it on the next request.

// change runs fn in a transaction and announces the change on commit.
func (h registerHandlers) change(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, h.DB, func(tx pgx.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return register.Changed(ctx, tx)
	})
}

// ResponsibleInput sets an adult's relation to a child.
type ResponsibleInput struct {
	RelationType string  `json:"relationType"`
	StartDate    *string `json:"startDate"` // null: since ever
	EndDate      *string `json:"endDate"`   // null: until further notice
}

func (h registerHandlers) putResponsible(c *gin.Context) {
	const op = "register.put-responsible"
	var in ResponsibleInput
	bad, err := Bind(c, &in)
	if err != nil {
		Abort(c, err)
		return
	}
	// Both ids are decided by the authorizer: an adult it does not let the caller reach is 404.
	child, adult := c.Param("personId"), c.Param("responsibleId")
	if adult == child {
		bad.Add("responsibleId", "cannot be the child themself")
	}
	if adult == ViewerOf(c).PersonID {
		bad.Add("responsibleId", "cannot be yourself")
	}
	switch {
	case in.RelationType == register.Custody:
		bad.Add("relationType", custodyFromImport)
	case !register.RelationTypes[in.RelationType]:
		bad.Add("relationType", "must be one of Annan ansvarig, God man, Utsedd behörig")
	}
	bad.Period(in.StartDate, in.EndDate)
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	err = h.change(c, func(tx pgx.Tx) error {
		tag, err := tx.Exec(c, `INSERT INTO responsibles (person_id, responsible_id, relation_type, start_date, end_date)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (person_id, responsible_id) DO UPDATE
			SET relation_type = EXCLUDED.relation_type, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date
			WHERE responsibles.relation_type <> 'Vårdnadshavare'`,
			child, adult, in.RelationType, in.StartDate, in.EndDate)
		if err == nil && tag.RowsAffected() == 0 {
			return errs.E(errs.Conflict, errs.Msg("The adult has custody, which "+custodyFromImport+"."))
		}
		return unknownReference(err, "responsibleId")
	})
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, gin.H{"person": child, "responsible": adult, "relationType": in.RelationType,
		"startDate": in.StartDate, "endDate": in.EndDate})
}

// custodyFromImport says why custody is not set here: it follows the population register
// (folkbokföringen), not a school's decision.
const custodyFromImport = "comes from the population register and changes only through the register import"

func (h registerHandlers) deleteResponsible(c *gin.Context) {
	h.remove(c, "register.delete-responsible", func(tx pgx.Tx) (int64, error) {
		var custody bool
		err := tx.QueryRow(c, `SELECT relation_type = 'Vårdnadshavare' FROM responsibles
			WHERE person_id = $1 AND responsible_id::text = $2`, c.Param("personId"), c.Param("responsibleId")).Scan(&custody)
		if errors.Is(err, pgx.ErrNoRows) {
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		if custody {
			return 0, errs.E(errs.Conflict, errs.Msg("Custody "+custodyFromImport+"."))
		}
		tag, err := tx.Exec(c, `DELETE FROM responsibles WHERE person_id = $1 AND responsible_id::text = $2`,
			c.Param("personId"), c.Param("responsibleId"))
		return tag.RowsAffected(), err
	})
}

// MembershipInput puts a pupil in a group.
type MembershipInput struct {
	StartDate string  `json:"startDate"`
	EndDate   *string `json:"endDate"` // null: until further notice
}

func (h registerHandlers) putMember(c *gin.Context) {
	const op = "register.put-member"
	var in MembershipInput
	bad, err := Bind(c, &in)
	if err != nil {
		Abort(c, err)
		return
	}
	// Both ids are decided by the authorizer: a pupil it does not let the caller reach is 404.
	group, person := c.Param("groupId"), c.Param("personId")
	bad.Period(&in.StartDate, in.EndDate)
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	err = h.change(c, func(tx pgx.Tx) error {
		// Only a pupil enrolled or placed at the group's school joins it: membership gives the
		// group's teachers access to the pupil.
		tag, err := tx.Exec(c, `INSERT INTO group_memberships (group_id, person_id, start_date, end_date)
			SELECT g.id, $2, $3, $4 FROM groups g
			WHERE g.id = $1 AND (
			  EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = $2 AND e.enroled_at = g.organisation_id AND `+register.Active("e")+`)
			  OR EXISTS (SELECT 1 FROM placements p WHERE p.child_id = $2 AND p.placed_at = g.organisation_id AND `+register.Active("p")+`))
			ON CONFLICT (group_id, person_id) DO UPDATE SET start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date`,
			group, person, in.StartDate, in.EndDate)
		if err == nil && tag.RowsAffected() == 0 {
			return invalid("register.put-member", errs.FieldError{Field: "personId", Detail: "is not a pupil enrolled at the group's school"})
		}
		return err
	})
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, gin.H{"group": group, "person": person, "startDate": in.StartDate, "endDate": in.EndDate})
}

func (h registerHandlers) deleteMember(c *gin.Context) {
	h.remove(c, "register.delete-member", func(tx pgx.Tx) (int64, error) {
		tag, err := tx.Exec(c, `DELETE FROM group_memberships WHERE group_id = $1 AND person_id::text = $2`,
			c.Param("groupId"), c.Param("personId"))
		return tag.RowsAffected(), err
	})
}

// DutyInput gives a person a duty at the school.
type DutyInput struct {
	Person    string  `json:"person"`
	DutyRole  string  `json:"dutyRole"`
	Signature *string `json:"signature"`
	StartDate string  `json:"startDate"`
	EndDate   *string `json:"endDate"`
}

func (h registerHandlers) postDuty(c *gin.Context) {
	const op = "register.post-duty"
	var in DutyInput
	bad, err := Bind(c, &in)
	if err != nil {
		Abort(c, err)
		return
	}
	if in.Person == ViewerOf(c).PersonID {
		bad.Add("person", "cannot be yourself")
	}
	school := c.Param("schoolId")
	switch {
	case policies.AuthorityRoles[in.DutyRole]:
		bad.Add("dutyRole", "grants authority over the school and is given only by the huvudman through the register import")
	case policies.OrganiserRoles[in.DutyRole] && !h.Authz.HoldsAbove(ViewerOf(c).PersonID, "Skoladministratör", school):
		bad.Add("dutyRole", "reads beyond the school and is given only by the huvudman's administrators or the register import")
	case !register.DutyRoles[in.DutyRole]:
		bad.Add("dutyRole", "must be an SS 12000 duty role such as Lärare or Kurator")
	}
	if in.Signature != nil {
		bad.Text("signature", *in.Signature, register.MaxSignature)
	}
	bad.Period(&in.StartDate, in.EndDate)
	if err := bad.Err(op); err != nil {
		Abort(c, err)
		return
	}
	id := uuid.NewString()
	err = h.change(c, func(tx pgx.Tx) error {
		// A duty is for the organiser's staff at a school unit: a person with a staff record (a
		// duty in force or to come anywhere under the school's huvudman), who comes through the
		// import. Not a guardian or any other adult of the register, not a pupil or a child, whose
		// school it would open to this school, and not a person with a protection marking.
		tag, err := tx.Exec(c, `WITH RECURSIVE above AS (
			  SELECT id, parent_organisation_id AS parent FROM organisations WHERE id = $3
			  UNION SELECT o.id, o.parent_organisation_id FROM organisations o JOIN above ON o.id = above.parent),
			organiser AS (
			  SELECT id FROM above WHERE parent IS NULL
			  UNION SELECT o.id FROM organisations o JOIN organiser ON o.parent_organisation_id = organiser.id)
			INSERT INTO duties (id, person_id, duty_at, duty_role, signature, start_date, end_date)
			SELECT $1, p.id, o.id, $4, $5, $6, $7 FROM persons p, organisations o
			WHERE p.id = $2 AND o.id = $3 AND o.organisation_type = 'Skolenhet' AND p.security_marking = 'Ingen'
			  AND EXISTS (SELECT 1 FROM duties d WHERE d.person_id = p.id AND d.duty_at IN (SELECT id FROM organiser)
			              AND (d.end_date IS NULL OR d.end_date >= current_date))
			  AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = p.id)
			  AND NOT EXISTS (SELECT 1 FROM placements pl WHERE pl.child_id = p.id)`,
			id, in.Person, school, in.DutyRole, in.Signature, in.StartDate, in.EndDate)
		if err == nil && tag.RowsAffected() == 0 {
			return invalid("register.post-duty", errs.FieldError{Field: "person",
				Detail: "cannot be given a duty here: only the huvudman's staff without a protection marking, at a school unit"})
		}
		return err
	})
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": id, "person": in.Person, "dutyAt": school, "dutyRole": in.DutyRole,
		"startDate": in.StartDate, "endDate": in.EndDate})
}

// deleteDuty ends a duty yesterday, so the record of who worked where stays; a duty that has
// not begun is removed. A principal's or administrator's duty ends only through the import.
func (h registerHandlers) deleteDuty(c *gin.Context) {
	const op = "register.end-duty"
	err := h.change(c, func(tx pgx.Tx) error {
		var role string
		err := tx.QueryRow(c, `SELECT duty_role FROM duties WHERE id = $1`, c.Param("dutyId")).Scan(&role)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.E(errs.NotFound, errs.Msg("There is no such resource."))
		}
		if err != nil {
			return err
		}
		if policies.AuthorityRoles[role] {
			return errs.E(errs.Conflict, errs.Msg("A "+role+" duty ends only through the register import."))
		}
		if _, err := tx.Exec(c, `DELETE FROM duties WHERE id = $1 AND start_date >= current_date`, c.Param("dutyId")); err != nil {
			return err
		}
		_, err = tx.Exec(c, `UPDATE duties SET end_date = current_date - 1
			WHERE id = $1 AND (end_date IS NULL OR end_date >= current_date)`, c.Param("dutyId"))
		return err
	})
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.Status(http.StatusNoContent)
}

// remove runs a deletion that reports how many rows it removed; none is 404.
func (h registerHandlers) remove(c *gin.Context, op string, del func(pgx.Tx) (int64, error)) {
	err := h.change(c, func(tx pgx.Tx) error {
		deleted, err := del(tx)
		if err == nil && deleted == 0 {
			return errs.E(errs.NotFound, errs.Msg("There is no such resource."))
		}
		return err
	})
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.Status(http.StatusNoContent)
}

// maxImportBytes bounds an import document: a city's register is well below it.
const maxImportBytes = 256 << 20

// importDocument is the bulk import: validate every row, then write all or nothing.
func (h registerHandlers) importDocument(c *gin.Context) {
	const op = "register.import"
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxImportBytes))
	if err != nil {
		Abort(c, invalid(op, errs.FieldError{Field: "", Detail: "the document could not be read; at most 256 MiB"}))
		return
	}
	doc, problems := register.DecodeDocument(body)
	if problems != nil {
		Abort(c, errs.E(op, errs.Invalid, errs.Msg("The document has problems; nothing was imported."), problems))
		return
	}
	res, err := register.Import(c, h.DB, doc)
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, res)
}

// unknownReference turns a foreign-key violation into an invalid field.
func unknownReference(err error, field string) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" {
		return errs.E(errs.Invalid, errs.Msg("The request has invalid fields."),
			[]errs.FieldError{{Field: field, Detail: "refers to no one in the register"}})
	}
	return err
}
