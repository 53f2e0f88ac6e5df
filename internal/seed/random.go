package seed

import (
	"hash/fnv"
	"math/rand/v2"
)

// stream is the random source of one part of the generator, seeded from its name, so that the
// same scale always gives the same register and a change to one part does not reshuffle the
// others.
func stream(name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(h.Sum64(), 0x5ec0_f10a_5eed_2026))
}

// chance is true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// pick is a random element of xs.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }
