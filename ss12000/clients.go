package ss12000

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/errs"
	"github.com/skolflow/skolflow/register"
)

// Client is a machine client as it is registered: the system's name, its tokens' subject, whether
// persons with a protection marking are served to it, and its grants.
type Client struct {
	ID          string  `json:"id"`
	ClientID    string  `json:"clientId"` // its tokens' subject at the OIDC issuer
	DisplayName string  `json:"displayName"`
	Protected   bool    `json:"protectedIdentity"`
	Grants      []Grant `json:"grants"`
}

// Grant gives a client a resource at an organisation and every organisation below it.
type Grant struct {
	Resource     string `json:"resource"`
	Organisation string `json:"organisation"`
}

// The grants to report: attendance at lessons, and guardians' reports of absence.
const (
	reportAttendances = "attendances.report"
	reportAbsences    = "absences.report"
	reportEvents      = "attendanceEvents.report"
)

// Resources are what a client can be granted: the resources served, and deletedEntities.
func Resources() []string {
	out := []string{deletedEntities.name, aggregatedAttendance.name, subscriptions.name, reportAttendances, reportAbsences, reportEvents}
	for _, r := range resources {
		out = append(out, r.name)
	}
	slices.Sort(out)
	return out
}

// RegisterClient registers a client, or brings a registered one (by id) in line: its grants are
// replaced by c's. It is one transaction, and bumps the register version, so that every API
// instance honours it on its next request.
func RegisterClient(ctx context.Context, db *pgxpool.Pool, c Client) error {
	const op = "ss12000.register-client"
	var bad []errs.FieldError
	if checkUUID(c.ID) != "" {
		bad = append(bad, errs.FieldError{Field: "id", Detail: "must be a UUID"})
	}
	if checkText(c.ClientID) != "" {
		bad = append(bad, errs.FieldError{Field: "clientId", Detail: "must be text of 1 to 200 characters"})
	}
	if checkText(c.DisplayName) != "" {
		bad = append(bad, errs.FieldError{Field: "displayName", Detail: "must be text of 1 to 200 characters"})
	}
	for _, g := range c.Grants {
		if !slices.Contains(Resources(), g.Resource) {
			bad = append(bad, errs.FieldError{Field: "grants.resource", Detail: "must be one of the resources served"})
		}
		if checkUUID(g.Organisation) != "" {
			bad = append(bad, errs.FieldError{Field: "grants.organisation", Detail: "must be a UUID"})
		}
	}
	if len(bad) > 0 {
		return errs.E(op, errs.Invalid, errs.Msg("The client is not valid."), bad)
	}
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		orgs := make([]string, len(c.Grants))
		for i, g := range c.Grants {
			orgs[i] = g.Organisation
		}
		var taken bool
		var unknown int
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM api_clients WHERE client_id = $1 AND id <> $2),
			(SELECT count(*) FROM unnest($3::uuid[]) o WHERE NOT EXISTS (SELECT 1 FROM organisations WHERE id = o))`,
			c.ClientID, c.ID, orgs).Scan(&taken, &unknown); err != nil {
			return errs.E(op, err)
		}
		if taken {
			bad = append(bad, errs.FieldError{Field: "clientId", Detail: "is another registered client's"})
		}
		if unknown > 0 {
			bad = append(bad, errs.FieldError{Field: "grants.organisation", Detail: "names an organisation the register does not hold"})
		}
		if len(bad) > 0 {
			return errs.E(op, errs.Invalid, errs.Msg("The client is not valid."), bad)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO api_clients (id, client_id, display_name, protected_identity) VALUES ($1, $2, $3, $4)
			ON CONFLICT (id) DO UPDATE SET client_id = EXCLUDED.client_id, display_name = EXCLUDED.display_name,
			  protected_identity = EXCLUDED.protected_identity`, c.ID, c.ClientID, c.DisplayName, c.Protected); err != nil {
			return errs.E(op, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM api_client_grants WHERE client_id = $1`, c.ID); err != nil {
			return errs.E(op, err)
		}
		resources, orgs := make([]string, len(c.Grants)), make([]string, len(c.Grants))
		for i, g := range c.Grants {
			resources[i], orgs[i] = g.Resource, g.Organisation
		}
		if _, err := tx.Exec(ctx, `INSERT INTO api_client_grants (client_id, resource, organisation_id)
			SELECT DISTINCT $1::uuid, r, o FROM unnest($2::text[], $3::uuid[]) AS g (r, o)`, c.ID, resources, orgs); err != nil {
			return errs.E(op, err)
		}
		// Every API instance honours the grants on its next request (register.Changed).
		if err := register.Changed(ctx, tx); err != nil {
			return errs.E(op, err)
		}
		return nil
	})
}
