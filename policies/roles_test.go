package policies

import (
	"strings"
	"testing"
)

// Every duty role that policy.csv names says how far it reaches (a client's role comes only from
// its grants, never from a duty), so that a new row for a new
// role cannot be given out by a school's administrator before someone has decided whether it may.
func TestEveryRoleInThePolicyIsClassified(t *testing.T) {
	for _, r := range Rules() {
		if relations[r.Subject] || strings.HasPrefix(r.Subject, ClientRole("")) {
			continue
		}
		n := 0
		for _, set := range []map[string]bool{AuthorityRoles, OrganiserRoles, SchoolRoles} {
			if set[r.Subject] {
				n++
			}
		}
		if n != 1 {
			t.Errorf("policy.csv names %q: it must be in exactly one of AuthorityRoles, OrganiserRoles and SchoolRoles", r.Subject)
		}
	}
}
