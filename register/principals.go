package register

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/collect"
)

// PrincipalRole is a role held by a person who signs in with a principal name: a duty role held
// today, or a relation to a child enrolled or placed somewhere, with the school where it holds.
type PrincipalRole struct {
	PrincipalName string `db:"principal_name"`
	PersonID      string `db:"person_id"`
	Role          string `db:"role"`
	School        string `db:"school"` // its display name
}

// PrincipalRoles answers the roles of everyone who signs in with a principal name in domain
// (name@domain), ordered by principal name, role and school. Someone who holds no role is not
// among them.
func PrincipalRoles(ctx context.Context, db *pgxpool.Pool, domain string) ([]PrincipalRole, error) {
	return collect.All[PrincipalRole](ctx, db, `
		SELECT n.principal_name, n.person_id::text AS person_id, x.role, x.school
		FROM person_principal_names n
		JOIN LATERAL (
		    SELECT d.duty_role AS role, o.display_name AS school
		    FROM duties d JOIN organisations o ON o.id = d.duty_at
		    WHERE d.person_id = n.person_id AND d.start_date <= current_date AND (d.end_date IS NULL OR d.end_date >= current_date)
		  UNION
		    SELECT r.relation_type, o.display_name
		    FROM responsibles r JOIN enrolments e ON e.person_id = r.person_id JOIN organisations o ON o.id = e.enroled_at
		    WHERE r.responsible_id = n.person_id
		  UNION
		    SELECT r.relation_type, o.display_name
		    FROM responsibles r JOIN placements p ON p.child_id = r.person_id JOIN organisations o ON o.id = p.placed_at
		    WHERE r.responsible_id = n.person_id
		) x ON true
		WHERE n.principal_name LIKE '%@' || $1
		ORDER BY 1, 3, 4`, domain)
}
