package documents

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/policies"
	"github.com/skolflow/skolflow/register"
)

// DocumentTarget finds a document (:documentId) for the Authorizer: its school unit, whether its
// pupil is protected, and the asker's relations to it, named as policy.csv names them:
//   - document-staff: assigned to the document;
//   - document-principal: the principal (Rektor) of its school unit today;
//   - document-custodian: a custodial guardian of its pupil, once a version is signed. A guardian
//     never sees a draft: to them a document with none signed does not exist.
func DocumentTarget(ctx context.Context, db *pgxpool.Pool, id, person string) (policies.Facts, error) {
	f := policies.Facts{Exists: true, SchoolIDs: make([]string, 1)}
	var marking string
	var staff, principal, custodian bool
	err := db.QueryRow(ctx, `SELECT (SELECT version FROM register_version), current_date::text, d.school_unit_id::text, p.security_marking,
		  EXISTS (SELECT 1 FROM document_staff ds WHERE ds.document_id = d.id AND ds.person_id = $2),
		  `+principalOf("d", "$2")+`,
		  EXISTS (SELECT 1 FROM responsibles r WHERE r.person_id = d.pupil_id AND r.responsible_id = $2
		    AND `+register.HasCustody("r")+` AND `+register.Active("r")+`)
		  AND EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = d.id AND v.signed_at IS NOT NULL)
		FROM documents d JOIN persons p ON p.id = d.pupil_id WHERE d.id = $1`, id, person).
		Scan(&f.AsOf.Version, &f.AsOf.Today, &f.SchoolIDs[0], &marking, &staff, &principal, &custodian)
	if errors.Is(err, pgx.ErrNoRows) {
		return policies.Facts{}, nil
	}
	f.Protected = register.Protected(marking)
	f.Relations = map[string]bool{"document-staff": staff, "document-principal": principal, "document-custodian": custodian}
	return f, err
}
