package demo

import (
	"encoding/base32"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/synth"
)

// rng wraps the scenario's single random stream with the few helpers the
// generator needs. Everything is drawn in a fixed order, so the same seed
// always gives the same scenario.
type rng struct {
	*rand.Rand
}

func newRNG(seed int64, stream uint64) rng {
	return rng{rand.New(rand.NewPCG(uint64(seed), stream))}
}

// chance reports true with probability p.
func (r rng) chance(p float64) bool { return r.Float64() < p }

// between returns an int in [lo, hi].
func (r rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.IntN(hi-lo+1)
}

// dur returns a duration in [lo, hi), to the second.
func (r rng) dur(lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	d := lo + time.Duration(r.Int64N(int64(hi-lo)))
	return d.Truncate(time.Second)
}

// skewed returns a duration in [lo, hi) leaning towards lo: most delays are
// short, a few are long.
func (r rng) skewed(lo, hi time.Duration) time.Duration {
	u := r.Float64()
	d := lo + time.Duration(u*u*float64(hi-lo))
	return d.Truncate(time.Second)
}

// weighted returns an index into weights with probability proportional to
// its weight.
func (r rng) weighted(weights []int) int { return synth.Weighted(r.Rand, weights) }

// pick returns a random element of list.
func pick[T any](r rng, list []T) T { return list[r.IntN(len(list))] }

// choice is a value with a weight, for weighted tables written inline.
type choice[T any] struct {
	w int
	v T
}

// pickW returns a value from a weighted table.
func pickW[T any](r rng, table []choice[T]) T {
	ws := make([]int, len(table))
	for i, c := range table {
		ws[i] = c.w
	}
	return table[r.weighted(ws)].v
}

// tri returns a tri-state fact: true, false or unknown (nil) with the
// given probabilities of true and false.
func (r rng) tri(pTrue, pFalse float64) *bool {
	u := r.Float64()
	switch {
	case u < pTrue:
		t := true
		return &t
	case u < pTrue+pFalse:
		f := false
		return &f
	}
	return nil
}

// sample marks k distinct positions out of n.
func (r rng) sample(n, k int) []bool {
	k = min(k, n)
	out := make([]bool, n)
	for picked := 0; picked < k; {
		i := r.IntN(n)
		if !out[i] {
			out[i] = true
			picked++
		}
	}
	return out
}

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// idSource draws identifiers in the format of habeas.NewID (a kind prefix,
// "_", 16 lower-case base32 characters) from its own seeded stream, so that
// identifiers are as reproducible as the data. It never returns the same
// identifier twice.
type idSource struct {
	r    rng
	seen map[[10]byte]struct{}
}

func newIDSource(seed int64) *idSource {
	return &idSource{r: newRNG(seed, 0x6964732d68616265), seen: map[[10]byte]struct{}{}}
}

var idPrefixes = map[habeas.Kind]string{
	habeas.KindPerson: "per", habeas.KindSource: "src", habeas.KindIncident: "inc",
	habeas.KindDetention: "det", habeas.KindCasualty: "cas", habeas.KindInvestigation: "inv",
	habeas.KindLawyer: "law", habeas.KindAssignment: "asg", habeas.KindEvidence: "evd",
}

func (s *idSource) next(k habeas.Kind) string {
	for {
		var b [10]byte
		u, v := s.r.Uint64(), s.r.Uint64()
		for i := 0; i < 8; i++ {
			b[i] = byte(u >> (8 * i))
		}
		b[8], b[9] = byte(v), byte(v>>8)
		if _, dup := s.seen[b]; dup {
			continue
		}
		s.seen[b] = struct{}{}
		return idPrefixes[k] + "_" + strings.ToLower(idEncoding.EncodeToString(b[:]))
	}
}

// hex64 returns 64 lower-case hexadecimal digits, a stand-in SHA-256.
func (r rng) hex64() string {
	const digits = "0123456789abcdef"
	var b [64]byte
	for i := 0; i < 64; i += 16 {
		u := r.Uint64()
		for j := 0; j < 16; j++ {
			b[i+j] = digits[u&15]
			u >>= 4
		}
	}
	return string(b[:])
}

// later returns the later of two instants.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
