// Package synth holds what the generators of synthetic data share: the demo
// scenario (package demo) and the load generator (internal/loadgen) draw
// from seeded random streams with these helpers, so that the same seed
// always gives the same data. It is for synthetic data only: nothing in it
// describes or may be fed a real person.
//
// It must not depend on any package of Habeas, on storage or on HTTP. The
// linkage evaluation (linkage/linkeval) must not use it: its generator stays
// independent of the code it evaluates and of the demo.
package synth

import "math/rand/v2"

// Weighted draws an index into weights with probability proportional to its
// weight, using one draw of r. The weights must be non-negative with a
// positive sum.
func Weighted(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}
