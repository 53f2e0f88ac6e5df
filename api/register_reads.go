package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// Reads of the register. Authorization has already decided who may call each route (guard and
// policies/policy.csv); these handlers decide what the viewer sees of persons with a protection
// marking, who appear only to those with a need to know.

type registerHandlers struct{ Deps }

// PersonRef names a person; no civic number, no address.
type PersonRef struct {
	ID         string `json:"id"`
	GivenName  string `json:"givenName"`
	FamilyName string `json:"familyName"`
}

// OrganisationRef names an organisation.
type OrganisationRef struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

// School is a school unit (skolenhet).
type School struct {
	ID               string   `json:"id"`
	DisplayName      string   `json:"displayName"`
	SchoolUnitCode   string   `json:"schoolUnitCode"`
	SchoolTypes      []string `json:"schoolTypes"`
	MunicipalityCode *string  `json:"municipalityCode"`
}

const schoolSQL = `SELECT id::text, display_name, school_unit_code, school_types, municipality_code
	FROM organisations o WHERE organisation_type = 'Skolenhet'`

func (h registerHandlers) schools(c *gin.Context) {
	rows, err := h.DB.Query(c, schoolSQL+` ORDER BY display_name`)
	respondRows[School](c, "register.schools", rows, err)
}

func (h registerHandlers) school(c *gin.Context) {
	rows, err := h.DB.Query(c, schoolSQL+` AND id = $1`, c.Param("schoolId"))
	respondOne[School](c, "register.school", rows, err)
}

// GroupSummary is a group without its members.
type GroupSummary struct {
	ID           string          `json:"id"`
	DisplayName  string          `json:"displayName"`
	GroupType    string          `json:"groupType"`
	SchoolType   *string         `json:"schoolType"`
	Organisation OrganisationRef `json:"organisation"`
}

const groupSQL = `SELECT g.id::text, g.display_name, g.group_type, g.school_type,
	  json_build_object('id', o.id, 'displayName', o.display_name)
	FROM groups g JOIN organisations o ON o.id = g.organisation_id`

func (h registerHandlers) schoolGroups(c *gin.Context) {
	rows, err := h.DB.Query(c, groupSQL+` WHERE g.organisation_id = $1 AND `+register.Active("g")+` ORDER BY g.display_name`, c.Param("schoolId"))
	respondRows[GroupSummary](c, "register.school-groups", rows, err)
}

// GroupView is a group with its pupils and staff today.
type GroupView struct {
	GroupSummary
	Members []PersonRef `json:"members"`
	Staff   []GroupRole `json:"staff"`
}

// GroupRole is a staff member's role in a group.
type GroupRole struct {
	Person         PersonRef `json:"person"`
	AssignmentRole string    `json:"assignmentRole"`
}

func (h registerHandlers) group(c *gin.Context) {
	const op = "register.group"
	id := c.Param("groupId")
	rows, err := h.DB.Query(c, groupSQL+` WHERE g.id = $1`, id)
	summary, err := one[GroupSummary](rows, err)
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	view := GroupView{GroupSummary: summary}
	// Pupils with a protection marking appear only to viewers with a need to know.
	rows, err = h.DB.Query(c, `SELECT p.id::text, p.given_name, p.family_name
		FROM group_memberships m JOIN persons p ON p.id = m.person_id
		WHERE m.group_id = $1 AND `+register.Active("m")+` AND ($2 OR p.security_marking = 'Ingen')
		ORDER BY p.family_name, p.given_name`, id, ViewerOf(c).SeesProtected)
	if view.Members, err = many[PersonRef](rows, err); err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	rows, err = h.DB.Query(c, `SELECT json_build_object('id', p.id, 'givenName', p.given_name, 'familyName', p.family_name), a.assignment_role
		FROM group_assignments a JOIN duties d ON d.id = a.duty_id JOIN persons p ON p.id = d.person_id
		WHERE a.group_id = $1 AND `+register.Active("a")+` AND `+register.Active("d")+` AND ($2 OR p.security_marking = 'Ingen')
		ORDER BY a.assignment_role, p.family_name`, id, ViewerOf(c).SeesProtected)
	if view.Staff, err = many[GroupRole](rows, err); err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, view)
}

// PersonView is a person as the viewer may see them.
type PersonView struct {
	PersonRef
	Enrolments   []EnrolmentView   `json:"enrolments"`
	Responsibles []ResponsibleView `json:"responsibles"`
}

// EnrolmentView is where a pupil is enrolled today.
type EnrolmentView struct {
	School     OrganisationRef `json:"school"`
	SchoolType string          `json:"schoolType"`
	SchoolYear *int            `json:"schoolYear"`
}

// ResponsibleView is an adult responsible for the person.
type ResponsibleView struct {
	Person       PersonRef `json:"person"`
	RelationType string    `json:"relationType"`
}

func (h registerHandlers) person(c *gin.Context) {
	const op = "register.person"
	id, v := c.Param("personId"), ViewerOf(c)
	rows, err := h.DB.Query(c, `SELECT id::text, given_name, family_name FROM persons WHERE id = $1`, id)
	ref, err := one[PersonRef](rows, err)
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	view := PersonView{PersonRef: ref}
	rows, err = h.DB.Query(c, `SELECT json_build_object('id', o.id, 'displayName', o.display_name), e.school_type, e.school_year
		FROM enrolments e JOIN organisations o ON o.id = e.enroled_at
		WHERE e.person_id = $1 AND `+register.Active("e")+` ORDER BY e.start_date`, id)
	if view.Enrolments, err = many[EnrolmentView](rows, err); err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	// An adult with a protection marking is never shown to the child's other adults; staff with
	// a need to know see them, and so do they themselves.
	rows, err = h.DB.Query(c, `SELECT json_build_object('id', a.id, 'givenName', a.given_name, 'familyName', a.family_name), r.relation_type
		FROM responsibles r JOIN persons a ON a.id = r.responsible_id
		WHERE r.person_id = $1 AND `+register.Active("r")+`
		  AND (a.security_marking = 'Ingen' OR $2 OR a.id = $3)
		ORDER BY r.relation_type DESC, a.family_name`, id, v.StaffNeedToKnow, v.PersonID)
	if view.Responsibles, err = many[ResponsibleView](rows, err); err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, view)
}

// Me is the signed-in person with the duties they hold today.
type Me struct {
	PersonRef
	Duties []MyDuty `json:"duties"`
}

// MyDuty is a duty role at an organisation.
type MyDuty struct {
	ID       string          `json:"id"`
	DutyRole string          `json:"dutyRole"`
	DutyAt   OrganisationRef `json:"dutyAt"`
}

func (h registerHandlers) me(c *gin.Context) {
	const op = "register.me"
	id := ViewerOf(c).PersonID
	rows, err := h.DB.Query(c, `SELECT id::text, given_name, family_name FROM persons WHERE id = $1`, id)
	ref, err := one[PersonRef](rows, err)
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	me := Me{PersonRef: ref}
	rows, err = h.DB.Query(c, `SELECT d.id::text, d.duty_role, json_build_object('id', o.id, 'displayName', o.display_name)
		FROM duties d JOIN organisations o ON o.id = d.duty_at WHERE d.person_id = $1 AND `+register.Active("d")+` ORDER BY d.duty_role`, id)
	if me.Duties, err = many[MyDuty](rows, err); err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, me)
}

// myChildren lists the children in the signed-in guardian's custody: only vårdnadshavare.
func (h registerHandlers) myChildren(c *gin.Context) {
	rows, err := h.DB.Query(c, `SELECT p.id::text, p.given_name, p.family_name
		FROM responsibles r JOIN persons p ON p.id = r.person_id
		WHERE r.responsible_id = $1 AND r.relation_type = 'Vårdnadshavare' AND `+register.Active("r")+`
		ORDER BY p.given_name`, ViewerOf(c).PersonID)
	respondRows[PersonRef](c, "register.my-children", rows, err)
}

// MyGroup is a group the signed-in teacher teaches or mentors.
type MyGroup struct {
	GroupSummary
	AssignmentRoles []string `json:"assignmentRoles"`
}

func (h registerHandlers) myGroups(c *gin.Context) {
	rows, err := h.DB.Query(c, `SELECT g.id::text, g.display_name, g.group_type, g.school_type,
		  json_build_object('id', o.id, 'displayName', o.display_name), array_agg(DISTINCT a.assignment_role ORDER BY a.assignment_role)
		FROM group_assignments a JOIN duties d ON d.id = a.duty_id
		JOIN groups g ON g.id = a.group_id JOIN organisations o ON o.id = g.organisation_id
		WHERE d.person_id = $1 AND `+register.Active("a")+` AND `+register.Active("d")+` AND `+register.Active("g")+`
		GROUP BY g.id, o.id ORDER BY g.display_name`, ViewerOf(c).PersonID)
	if err != nil {
		Abort(c, errs.E("register.my-groups", err))
		return
	}
	groups, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (MyGroup, error) {
		var g MyGroup
		err := row.Scan(&g.ID, &g.DisplayName, &g.GroupType, &g.SchoolType, &g.Organisation, &g.AssignmentRoles)
		return g, err
	})
	if err != nil {
		Abort(c, errs.E("register.my-groups", err))
		return
	}
	c.JSON(http.StatusOK, nonNil(groups))
}

// many collects rows into T by position; never nil, so JSON shows [].
func many[T any](rows pgx.Rows, err error) ([]T, error) {
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[T])
	return nonNil(out), err
}

// one collects exactly one row into T; none is errs.NotFound.
func one[T any](rows pgx.Rows, err error) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	v, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[T])
	if errors.Is(err, pgx.ErrNoRows) {
		return zero, errs.E(errs.NotFound, errs.Msg("There is no such resource."))
	}
	return v, err
}

func respondRows[T any](c *gin.Context, op string, rows pgx.Rows, err error) {
	out, err := many[T](rows, err)
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, out)
}

func respondOne[T any](c *gin.Context, op string, rows pgx.Rows, err error) {
	v, err := one[T](rows, err)
	if err != nil {
		Abort(c, errs.E(op, err))
		return
	}
	c.JSON(http.StatusOK, v)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
