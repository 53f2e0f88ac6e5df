package policies

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/skolflow/skolflow/internal/collect"
)

// Client is a machine client: another system of the city that signs in with OAuth 2.0 client
// credentials and reads the register through SS 12000 (see package ss12000).
type Client struct {
	ID        string `db:"id"`        // the register's id: the actor in the access log
	Subject   string `db:"client_id"` // its tokens' subject
	Protected bool   `db:"protected_identity"`
}

// ClientRole is the Casbin role a grant of an SS 12000 resource gives a client in the domain of
// the organisation granted; a policy row with it as subject allows the resource's routes.
func ClientRole(resource string) string { return "client:" + resource }

// Scope is where a client may be answered about on one route: the organisations granted it for
// the route's resource and every organisation below them.
type Scope struct {
	Orgs       []string
	Everywhere bool // every organisation of the register is in the scope
}

// Allowed reports whether the route is the client's anywhere.
func (s Scope) Allowed() bool { return len(s.Orgs) > 0 }

type clientGrant struct {
	Client   string `db:"client_id"`
	Resource string `db:"resource"`
	Org      string `db:"organisation_id"`
}

// loadClients reads the registered clients and their grants, for a snapshot.
func loadClients(ctx context.Context, db *pgxpool.Pool) (map[string]Client, []clientGrant, error) {
	clients, err := collect.All[Client](ctx, db, `SELECT id::text AS id, client_id, protected_identity FROM api_clients`)
	if err != nil {
		return nil, nil, err
	}
	grants, err := collect.All[clientGrant](ctx, db, `SELECT client_id::text AS client_id, resource,
		organisation_id::text AS organisation_id FROM api_client_grants`)
	if err != nil {
		return nil, nil, err
	}
	bySubject := make(map[string]Client, len(clients))
	for _, c := range clients {
		bySubject[c.Subject] = c
	}
	return bySubject, grants, nil
}

// SignInClient answers the registered client a verified token's subject names. Clients are
// registered with the register version bumped, so the snapshot holds them all.
func (a *Authorizer) SignInClient(ctx context.Context, subject string) (Client, bool, error) {
	if err := a.refresh(ctx); err != nil {
		return Client{}, false, err
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	c, ok := a.clients[subject]
	return c, ok, nil
}

// ClientScope decides a client's request on route with method: the policy rows are asked in the
// domain of each organisation granted to the client, and every organisation below one that
// allows it is in the scope. An empty scope refuses the route.
func (a *Authorizer) ClientScope(c Client, method, route string) (Scope, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	domains, err := a.enforcer.GetDomainsForUser(c.ID)
	if err != nil {
		return Scope{}, err
	}
	var allowed []string
	for _, org := range domains {
		ok, err := a.enforcer.Enforce(c.ID, org, route, method, map[string]bool{}, "no")
		if err != nil {
			return Scope{}, err
		}
		if ok {
			allowed = append(allowed, org)
		}
	}
	orgs := a.below(allowed)
	return Scope{Orgs: orgs, Everywhere: len(orgs) > 0 && len(orgs) == len(a.snap.Parents)}, nil
}

// below lists orgs and every organisation under them, sorted. The caller holds a.mu.
func (a *Authorizer) below(orgs []string) []string {
	if len(orgs) == 0 {
		return nil
	}
	in := map[string]bool{}
	for _, o := range orgs {
		in[o] = true
	}
	var out []string
	for o := range a.snap.Parents {
		// The register keeps the tree free of cycles; the bound only guards the loop.
		for p, depth := o, 0; p != "" && depth < 64; p, depth = a.snap.Parents[p], depth+1 {
			if in[p] {
				out = append(out, o)
				break
			}
		}
	}
	slices.Sort(out)
	return out
}
