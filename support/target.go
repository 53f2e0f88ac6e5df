package support

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/policies"
	"github.com/skolflow/skolflow/register"
)

// CaseTarget finds a support case (:caseId) for the Authorizer: its school unit, whether its
// pupil is protected, and the asker's relations to it, named as policy.csv names them:
//   - case-staff: signalled the need, or is on the staff of its investigation;
//   - case-principal: the principal (Rektor) of its school unit today;
//   - case-custodian: a custodial guardian of its pupil.
func CaseTarget(ctx context.Context, db *pgxpool.Pool, id, person string) (policies.Facts, error) {
	f := policies.Facts{Exists: true, SchoolIDs: make([]string, 1)}
	var marking string
	var staff, principal, custodian bool
	err := db.QueryRow(ctx, `SELECT (SELECT version FROM register_version), current_date::text, c.school_unit_id::text, p.security_marking,
		  c.signalled_by = $2 OR EXISTS (SELECT 1 FROM document_staff ds WHERE ds.document_id = c.investigation_id AND ds.person_id = $2),
		  EXISTS (SELECT 1 FROM duties du WHERE du.person_id = $2 AND du.duty_at = c.school_unit_id AND du.duty_role = 'Rektor'
		    AND `+register.Active("du")+`),
		  EXISTS (SELECT 1 FROM responsibles r WHERE r.person_id = c.pupil_id AND r.responsible_id = $2
		    AND `+register.HasCustody("r")+` AND `+register.Active("r")+`)
		FROM support_cases c JOIN persons p ON p.id = c.pupil_id WHERE c.id = $1`, id, person).
		Scan(&f.AsOf.Version, &f.AsOf.Today, &f.SchoolIDs[0], &marking, &staff, &principal, &custodian)
	if errors.Is(err, pgx.ErrNoRows) {
		return policies.Facts{}, nil
	}
	f.Protected = register.Protected(marking)
	f.Relations = map[string]bool{"case-staff": staff, "case-principal": principal, "case-custodian": custodian}
	return f, err
}
