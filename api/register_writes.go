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
	StartDate    *string `json:"startDate"`
	EndDate      *string `json:"endDate"`
}

func (h registerHandlers) putResponsible(c *gin.Context) {
	const op = "register.put-responsible"
	var in ResponsibleInput
	bad, err := bind(c, &in)
	if err != nil {
		abort(c, err)
		return
	}
	child, adult := c.Param("personId"), c.Param("responsibleId")
	if !validUUID(adult) {
		bad.add("responsibleId", "must be a UUID")
	} else if adult == child {
		bad.add("responsibleId", "cannot be the child themself")
	}
	if !register.RelationTypes[in.RelationType] {
		bad.add("relationType", "must be one of Vårdnadshavare, Annan ansvarig, God man, Utsedd behörig")
	}
	bad.period(in.StartDate, in.EndDate)
	if err := bad.err(op); err != nil {
		abort(c, err)
		return
	}
	err = h.change(c, func(tx pgx.Tx) error {
		_, err := tx.Exec(c, `INSERT INTO responsibles (person_id, responsible_id, relation_type, start_date, end_date)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (person_id, responsible_id) DO UPDATE
			SET relation_type = EXCLUDED.relation_type, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date`,
			child, adult, in.RelationType, in.StartDate, in.EndDate)
		return unknownReference(err, "responsibleId")
	})
	if err != nil {
		abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, gin.H{"person": child, "responsible": adult, "relationType": in.RelationType,
		"startDate": in.StartDate, "endDate": in.EndDate})
}

func (h registerHandlers) deleteResponsible(c *gin.Context) {
	h.remove(c, "register.delete-responsible",
		`DELETE FROM responsibles WHERE person_id = $1 AND responsible_id::text = $2`, c.Param("personId"), c.Param("responsibleId"))
}

// MembershipInput puts a pupil in a group.
type MembershipInput struct {
	StartDate string  `json:"startDate"`
	EndDate   *string `json:"endDate"`
}

func (h registerHandlers) putMember(c *gin.Context) {
	const op = "register.put-member"
	var in MembershipInput
	bad, err := bind(c, &in)
	if err != nil {
		abort(c, err)
		return
	}
	group, person := c.Param("groupId"), c.Param("personId")
	if !validUUID(person) {
		bad.add("personId", "must be a UUID")
	}
	bad.date("startDate", in.StartDate)
	bad.period(&in.StartDate, in.EndDate)
	if err := bad.err(op); err != nil {
		abort(c, err)
		return
	}
	err = h.change(c, func(tx pgx.Tx) error {
		_, err := tx.Exec(c, `INSERT INTO group_memberships (group_id, person_id, start_date, end_date) VALUES ($1, $2, $3, $4)
			ON CONFLICT (group_id, person_id) DO UPDATE SET start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date`,
			group, person, in.StartDate, in.EndDate)
		return unknownReference(err, "personId")
	})
	if err != nil {
		abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, gin.H{"group": group, "person": person, "startDate": in.StartDate, "endDate": in.EndDate})
}

func (h registerHandlers) deleteMember(c *gin.Context) {
	h.remove(c, "register.delete-member",
		`DELETE FROM group_memberships WHERE group_id = $1 AND person_id::text = $2`, c.Param("groupId"), c.Param("personId"))
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
	bad, err := bind(c, &in)
	if err != nil {
		abort(c, err)
		return
	}
	bad.uuid("person", in.Person)
	if !register.DutyRoles[in.DutyRole] {
		bad.add("dutyRole", "must be an SS 12000 duty role such as Lärare, Rektor or Skoladministratör")
	}
	bad.date("startDate", in.StartDate)
	bad.period(&in.StartDate, in.EndDate)
	if err := bad.err(op); err != nil {
		abort(c, err)
		return
	}
	id := uuid.NewString()
	err = h.change(c, func(tx pgx.Tx) error {
		_, err := tx.Exec(c, `INSERT INTO duties (id, person_id, duty_at, duty_role, signature, start_date, end_date)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, in.Person, c.Param("schoolId"), in.DutyRole, in.Signature, in.StartDate, in.EndDate)
		return unknownReference(err, "person")
	})
	if err != nil {
		abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": id, "person": in.Person, "dutyAt": c.Param("schoolId"), "dutyRole": in.DutyRole,
		"startDate": in.StartDate, "endDate": in.EndDate})
}

func (h registerHandlers) deleteDuty(c *gin.Context) {
	h.remove(c, "register.delete-duty", `DELETE FROM duties WHERE id = $1`, c.Param("dutyId"))
}

// remove runs one DELETE; nothing deleted is 404.
func (h registerHandlers) remove(c *gin.Context, op, sql string, args ...any) {
	var deleted int64
	err := h.change(c, func(tx pgx.Tx) error {
		tag, err := tx.Exec(c, sql, args...)
		deleted = tag.RowsAffected()
		if err == nil && deleted == 0 {
			return errs.E(errs.NotFound, errs.Msg("There is no such resource."))
		}
		return err
	})
	if err != nil {
		abort(c, errs.E(op, err))
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
		abort(c, invalid(op, errs.FieldError{Field: "", Detail: "the document could not be read; at most 256 MiB"}))
		return
	}
	doc, problems := register.DecodeDocument(body)
	if problems != nil {
		abort(c, errs.E(op, errs.Invalid, errs.Msg("The document has problems; nothing was imported."), problems))
		return
	}
	res, err := register.Import(c, h.DB, doc)
	if err != nil {
		abort(c, errs.E(op, err))
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
