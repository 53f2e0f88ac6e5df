package demo

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/ss12000"
)

// ClientSecret is every demo client's secret at the dev issuer (client credentials).
const ClientSecret = "demo-secret"

// ClientID is the register id of a demo client by its tokens' subject.
func ClientID(subject string) string {
	return uuid.NewSHA1(namespace, []byte("client:"+subject)).String()
}

// Clients are the demo's machine clients of SS 12000:
//   - maltidsservice, the meal service of Ekbackens skola and Lönnens förskola: their
//     organisations, pupils and groups, and the preschool's placements; no grades, no one with
//     a protection marking;
//   - larplattform, the city's learning platform: every resource served, everywhere, and the
//     deletions; still no one with a protection marking.
func Clients() []ss12000.Client {
	meal := ss12000.Client{ID: ClientID("maltidsservice"), ClientID: "maltidsservice", DisplayName: "Måltidsservice"}
	for _, org := range []string{OrgID("a"), OrgID("fs")} {
		for _, r := range []string{"organisations", "persons", "groups"} {
			meal.Grants = append(meal.Grants, ss12000.Grant{Resource: r, Organisation: org})
		}
	}
	meal.Grants = append(meal.Grants, ss12000.Grant{Resource: "placements", Organisation: OrgID("fs")})
	platform := ss12000.Client{ID: ClientID("larplattform"), ClientID: "larplattform", DisplayName: "Lärplattformen"}
	for _, r := range ss12000.Resources() {
		platform.Grants = append(platform.Grants, ss12000.Grant{Resource: r, Organisation: OrgID("huvudman")})
	}
	return []ss12000.Client{meal, platform}
}

// LoadClients registers the demo clients, or brings them back to the demo's grants.
func LoadClients(ctx context.Context, db *pgxpool.Pool) error {
	for _, c := range Clients() {
		if err := ss12000.RegisterClient(ctx, db, c); err != nil {
			return err
		}
	}
	return nil
}

// ClientSecrets are the demo clients' secrets at the dev issuer, by client_id.
func ClientSecrets() map[string]string {
	out := map[string]string{}
	for _, c := range Clients() {
		out[c.ClientID] = ClientSecret
	}
	return out
}
