package incidents

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/policies"
	"github.com/skolflow/skolflow/register"
)

// IncidentTarget finds an incident (:incidentId) for the Authorizer: its school unit, whether a
// pupil it concerns is protected, and whether the asker reported it (incident-reporter).
func IncidentTarget(ctx context.Context, db *pgxpool.Pool, id, person string) (policies.Facts, error) {
	f := policies.Facts{Exists: true, SchoolIDs: make([]string, 1)}
	var reporter bool
	err := db.QueryRow(ctx, `SELECT (SELECT version FROM register_version), current_date::text, i.school_unit_id::text,
		  EXISTS (SELECT 1 FROM incident_pupils ip JOIN persons p ON p.id = ip.pupil_id WHERE ip.incident_id = i.id AND NOT `+register.Unprotected("p")+`),
		  i.reported_by = $2
		FROM incidents i WHERE i.id = $1`, id, person).Scan(&f.AsOf.Version, &f.AsOf.Today, &f.SchoolIDs[0], &f.Protected, &reporter)
	if errors.Is(err, pgx.ErrNoRows) {
		return policies.Facts{}, nil
	}
	f.Relations = map[string]bool{"incident-reporter": reporter}
	return f, err
}
