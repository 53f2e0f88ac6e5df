package seed

import "github.com/google/uuid"

// Domain is the domain of every seeded principal name: a benchmark signs in as
// larare-12@seed.skolflow.test. It is not the demo's (skolflow.test), so `skolflow dev` never
// mints tokens for a seeded register, and a seeded register is told from any other by it.
const Domain = "seed.skolflow.test"

// namespace is the UUID namespace of seeded ids; it is not the demo register's.
var namespace = uuid.MustParse("3a8c1f5e-7d2b-4e90-b6a4-51c9e0d2f7a3")

// id is the name-based (SHA-1) UUID of a stable key, such as "person:elev-17".
func id(kind, key string) uuid.UUID { return uuid.NewSHA1(namespace, []byte(kind+":"+key)) }

// PersonID is the id of the seeded person with key, e.g. "elev-17" or "larare-3": the part of
// their principal name before the @.
func PersonID(key string) uuid.UUID { return id("person", key) }

// PrincipalName is the name the seeded person with key signs in with.
func PrincipalName(key string) string { return key + "@" + Domain }
