package enrollment

import (
	"crypto/sha256"
	"encoding/binary"
)

// Priority is a child's standing at one school: who comes first when more children choose the
// school than it has seats. The order (Before) is the city's rules, in turn:
//
//  1. Sibling: a sibling of the child will be at the school (syskonförtur).
//  2. Proximity: the child's relative proximity to the school in metres (RelativeProximity);
//     the larger, the stronger the claim to a school near home (skollagen 10 kap. 30 §).
//  3. Lottery: the child's lottery number (Lottery); the lower comes first.
//  4. Child: the child's ID, lower first. Lottery numbers are 64 bits, so this all but never
//     decides, but it makes the order total: no two children ever tie, and so the placement
//     cannot depend on the order the applications came in.
//
// Child names the child whose priority it is; Match sets it itself. A cut-off is another
// child's priority, so tell a family its sibling, proximity and lottery number, never its Child.
type Priority struct {
	Sibling   bool
	Proximity int
	Lottery   uint64
	Child     string
}

// Before tells whether p comes before q at the school: the child of p is admitted first.
func (p Priority) Before(q Priority) bool {
	switch {
	case p.Sibling != q.Sibling:
		return p.Sibling
	case p.Proximity != q.Proximity:
		return p.Proximity > q.Proximity
	case p.Lottery != q.Lottery:
		return p.Lottery < q.Lottery
	}
	return p.Child < q.Child
}

// Lottery is a child's lottery number in the placement round drawn with seed: the first eight
// bytes, big-endian, of SHA-256 over the seed (eight bytes, big-endian) and the child's ID.
// SHA-256 is fixed by its standard (FIPS 180-4), so the number is the same on every machine and
// every Go version, where math/rand's streams may change: with the seed recorded, a round can be
// run again, for an appeal or an audit, and give the same placement. Draw the seed after the
// choices are in, so that no one can know a number before choosing.
//
// A child has one number for every school (single tie-breaking): ties at different schools are
// broken alike, which in New York's data placed more children at their first choice than a new
// draw per school (Abdulkadiroğlu, Pathak and Roth 2009).
func Lottery(seed uint64, childID string) uint64 {
	h := sha256.New()
	h.Write(binary.BigEndian.AppendUint64(nil, seed))
	h.Write([]byte(childID))
	return binary.BigEndian.Uint64(h.Sum(nil))
}
