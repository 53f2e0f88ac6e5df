package register

import (
	"context"

	"github.com/skolflow/skolflow/internal/collect"
)

// StaffMember is a person with a duty at a school today, and the duty roles they hold there.
type StaffMember struct {
	PersonRef
	DutyRoles []string `json:"dutyRoles" db:"duty_roles"`
}

// SchoolStaff answers the persons with a duty at the school unit today (not above it: the
// organiser's staff are the organiser's), by name, each with their roles there. Staff with a
// protection marking are left out unless seesProtected (Decision.SeesProtected).
func (s Store) SchoolStaff(ctx context.Context, school string, seesProtected bool) ([]StaffMember, error) {
	return collect.All[StaffMember](ctx, s.DB, `SELECT p.id::text AS id, p.given_name, p.family_name,
		  array_agg(DISTINCT d.duty_role ORDER BY d.duty_role) AS duty_roles
		FROM duties d JOIN persons p ON p.id = d.person_id
		WHERE d.duty_at = $1 AND `+Active("d")+` AND ($2 OR `+Unprotected("p")+`)
		GROUP BY p.id ORDER BY p.family_name, p.given_name, p.id`, school, seesProtected)
}
