package policies

import (
	"context"

	"github.com/skolflow/skolflow/register"
)

// SignIn answers the register person a verified principal name (eduPersonPrincipalName) belongs
// to. Names change only through the register import, which bumps the register version; the
// answers are kept with the snapshot of that version and forgotten when it reloads, so a name
// seen before costs no query. Between an import's commit and the change listener's reload (a
// few milliseconds) a request may still be answered from the snapshot before it.
func (a *Authorizer) SignIn(ctx context.Context, principal string) (person string, found bool, err error) {
	a.mu.RLock()
	person, known := a.principals[principal]
	version := a.snap.AsOf.Version
	a.mu.RUnlock()
	if known {
		return person, true, nil
	}
	person, found, err = register.PersonByPrincipalName(ctx, a.db, principal)
	if err != nil || !found {
		return "", false, err // a name not in the register is looked up again next time
	}
	a.mu.Lock()
	if a.snap.AsOf.Version == version && len(a.principals) < maxPrincipals { // not across a reload
		a.principals[principal] = person
	}
	a.mu.Unlock()
	return person, found, nil
}

// maxPrincipals bounds the names kept: a city's people, with room to spare.
const maxPrincipals = 1 << 20
