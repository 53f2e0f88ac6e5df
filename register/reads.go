package register

import (
	"context"

	"github.com/skolflow/skolflow/internal/collect"
)

// Reads of the register as a viewer may see them. Who may read each is decided before, by
// register/policy.csv; what the viewer sees of persons with a protection marking is decided
// here: they appear only to those with a need to know. No civic number, no address.

// PersonRef names a person; no civic number, no address.
type PersonRef struct {
	ID         string `json:"id" db:"id"`
	GivenName  string `json:"givenName" db:"given_name"`
	FamilyName string `json:"familyName" db:"family_name"`
}

// OrganisationRef names an organisation.
type OrganisationRef struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

// School is a school unit (skolenhet).
type School struct {
	ID               string   `json:"id" db:"id"`
	DisplayName      string   `json:"displayName" db:"display_name"`
	SchoolUnitCode   string   `json:"schoolUnitCode" db:"school_unit_code"`
	SchoolTypes      []string `json:"schoolTypes" db:"school_types"`
	MunicipalityCode *string  `json:"municipalityCode" db:"municipality_code"`
}

const schoolSelect = `SELECT id::text AS id, display_name, school_unit_code, school_types, municipality_code
	FROM organisations o WHERE organisation_type = 'Skolenhet'`

// Schools answers every school unit, by name.
func (s Store) Schools(ctx context.Context) ([]School, error) {
	return collect.All[School](ctx, s.DB, schoolSelect+` ORDER BY display_name`)
}

// School answers one school unit; errs.NotFound when there is none.
func (s Store) School(ctx context.Context, id string) (School, error) {
	return collect.One[School](ctx, s.DB, schoolSelect+` AND id = $1`, id)
}

// GroupSummary is a group without its members.
type GroupSummary struct {
	ID           string          `json:"id" db:"id"`
	DisplayName  string          `json:"displayName" db:"display_name"`
	GroupType    string          `json:"groupType" db:"group_type"`
	SchoolType   *string         `json:"schoolType" db:"school_type"`
	Organisation OrganisationRef `json:"organisation" db:"organisation"`
}

const groupSelect = `SELECT g.id::text AS id, g.display_name, g.group_type, g.school_type,
	  json_build_object('id', o.id, 'displayName', o.display_name) AS organisation
	FROM groups g JOIN organisations o ON o.id = g.organisation_id`

// SchoolGroups answers the school's groups in force today, by name.
func (s Store) SchoolGroups(ctx context.Context, school string) ([]GroupSummary, error) {
	return collect.All[GroupSummary](ctx, s.DB, groupSelect+` WHERE g.organisation_id = $1 AND `+Active("g")+` ORDER BY g.display_name`, school)
}

// GroupView is a group with its pupils and staff today.
type GroupView struct {
	GroupSummary
	Members []PersonRef `json:"members"`
	Staff   []GroupRole `json:"staff"`
}

// GroupRole is a staff member's role in a group.
type GroupRole struct {
	Person         PersonRef `json:"person" db:"person"`
	AssignmentRole string    `json:"assignmentRole" db:"assignment_role"`
}

// Group answers a group with its pupils and staff today; errs.NotFound when there is none.
// Persons with a protection marking, pupils or staff, are left out unless seesProtected: the
// viewer has a need to know them (Decision.SeesProtected).
func (s Store) Group(ctx context.Context, id string, seesProtected bool) (GroupView, error) {
	summary, err := collect.One[GroupSummary](ctx, s.DB, groupSelect+` WHERE g.id = $1`, id)
	if err != nil {
		return GroupView{}, err
	}
	view := GroupView{GroupSummary: summary}
	view.Members, err = collect.All[PersonRef](ctx, s.DB, `SELECT p.id::text AS id, p.given_name, p.family_name
		FROM group_memberships m JOIN persons p ON p.id = m.person_id
		WHERE m.group_id = $1 AND `+Active("m")+` AND ($2 OR `+Unprotected("p")+`)
		ORDER BY p.family_name, p.given_name`, id, seesProtected)
	if err != nil {
		return GroupView{}, err
	}
	view.Staff, err = collect.All[GroupRole](ctx, s.DB, `SELECT
		  json_build_object('id', p.id, 'givenName', p.given_name, 'familyName', p.family_name) AS person, a.assignment_role
		FROM group_assignments a JOIN duties d ON d.id = a.duty_id JOIN persons p ON p.id = d.person_id
		WHERE a.group_id = $1 AND `+Active("a")+` AND `+Active("d")+` AND ($2 OR `+Unprotected("p")+`)
		ORDER BY a.assignment_role, p.family_name`, id, seesProtected)
	if err != nil {
		return GroupView{}, err
	}
	return view, nil
}

// PersonView is a person as the viewer may see them.
type PersonView struct {
	PersonRef
	Enrolments   []EnrolmentView   `json:"enrolments"`
	Responsibles []ResponsibleView `json:"responsibles"`
}

// EnrolmentView is where a pupil is enrolled today.
type EnrolmentView struct {
	School     OrganisationRef `json:"school" db:"school"`
	SchoolType string          `json:"schoolType" db:"school_type"`
	SchoolYear *int            `json:"schoolYear" db:"school_year"`
}

// ResponsibleView is an adult responsible for the person.
type ResponsibleView struct {
	Person       PersonRef `json:"person" db:"person"`
	RelationType string    `json:"relationType" db:"relation_type"`
}

// Person answers a person with their enrolments and responsible adults today, as viewer sees
// them; errs.NotFound when there is none. An adult with a protection marking is never shown to
// the child's other adults: only to staff with a need to know (staffNeedToKnow,
// Decision.StaffNeedToKnow) and to themselves.
func (s Store) Person(ctx context.Context, id, viewer string, staffNeedToKnow bool) (PersonView, error) {
	ref, err := s.personRef(ctx, id)
	if err != nil {
		return PersonView{}, err
	}
	view := PersonView{PersonRef: ref}
	view.Enrolments, err = collect.All[EnrolmentView](ctx, s.DB, `SELECT
		  json_build_object('id', o.id, 'displayName', o.display_name) AS school, e.school_type, e.school_year
		FROM enrolments e JOIN organisations o ON o.id = e.enroled_at
		WHERE e.person_id = $1 AND `+Active("e")+` ORDER BY e.start_date`, id)
	if err != nil {
		return PersonView{}, err
	}
	view.Responsibles, err = collect.All[ResponsibleView](ctx, s.DB, `SELECT
		  json_build_object('id', a.id, 'givenName', a.given_name, 'familyName', a.family_name) AS person, r.relation_type
		FROM responsibles r JOIN persons a ON a.id = r.responsible_id
		WHERE r.person_id = $1 AND `+Active("r")+`
		  AND (`+Unprotected("a")+` OR $2 OR a.id = $3)
		ORDER BY r.relation_type DESC, a.family_name`, id, staffNeedToKnow, viewer)
	if err != nil {
		return PersonView{}, err
	}
	return view, nil
}

// personRef answers a person's name; errs.NotFound when there is none.
func (s Store) personRef(ctx context.Context, id string) (PersonRef, error) {
	return collect.One[PersonRef](ctx, s.DB, `SELECT id::text AS id, given_name, family_name FROM persons WHERE id = $1`, id)
}

// Me is the signed-in person with the duties they hold today.
type Me struct {
	PersonRef
	Duties []MyDuty `json:"duties"`
}

// MyDuty is a duty role at an organisation.
type MyDuty struct {
	ID       string          `json:"id" db:"id"`
	DutyRole string          `json:"dutyRole" db:"duty_role"`
	DutyAt   OrganisationRef `json:"dutyAt" db:"duty_at"`
}

// Me answers the person with the duties they hold today, by role; errs.NotFound when there is
// none.
func (s Store) Me(ctx context.Context, person string) (Me, error) {
	ref, err := s.personRef(ctx, person)
	if err != nil {
		return Me{}, err
	}
	me := Me{PersonRef: ref}
	me.Duties, err = collect.All[MyDuty](ctx, s.DB, `SELECT d.id::text AS id, d.duty_role,
		  json_build_object('id', o.id, 'displayName', o.display_name) AS duty_at
		FROM duties d JOIN organisations o ON o.id = d.duty_at WHERE d.person_id = $1 AND `+Active("d")+` ORDER BY d.duty_role`, person)
	if err != nil {
		return Me{}, err
	}
	return me, nil
}

// Children answers the children in the guardian's custody today (vårdnadshavare only; other
// responsible adults have none), by given name.
func (s Store) Children(ctx context.Context, guardian string) ([]PersonRef, error) {
	return collect.All[PersonRef](ctx, s.DB, `SELECT p.id::text AS id, p.given_name, p.family_name
		FROM responsibles r JOIN persons p ON p.id = r.person_id
		WHERE r.responsible_id = $1 AND `+HasCustody("r")+` AND `+Active("r")+`
		ORDER BY p.given_name`, guardian)
}

// MyGroup is a group the signed-in teacher teaches or mentors.
type MyGroup struct {
	GroupSummary
	AssignmentRoles []string `json:"assignmentRoles" db:"assignment_roles"`
}

// TeacherGroups answers the groups in force today that the person teaches or mentors through a
// duty in force today, by name, each with the person's roles in it.
func (s Store) TeacherGroups(ctx context.Context, person string) ([]MyGroup, error) {
	return collect.All[MyGroup](ctx, s.DB, `SELECT g.id::text AS id, g.display_name, g.group_type, g.school_type,
		  json_build_object('id', o.id, 'displayName', o.display_name) AS organisation,
		  array_agg(DISTINCT a.assignment_role ORDER BY a.assignment_role) AS assignment_roles
		FROM group_assignments a JOIN duties d ON d.id = a.duty_id
		JOIN groups g ON g.id = a.group_id JOIN organisations o ON o.id = g.organisation_id
		WHERE d.person_id = $1 AND `+Active("a")+` AND `+Active("d")+` AND `+Active("g")+`
		GROUP BY g.id, o.id ORDER BY g.display_name`, person)
}
