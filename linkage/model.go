package linkage

import (
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"time"
)

// Model is a fitted Fellegi–Sunter model: for every field and level the
// probability m that two reports of one person compare at that level and
// the probability u that two different people do, the prior probability
// that two records drawn at random are one person, and the frequencies of
// surname and given-name keys for the term-frequency adjustment. It is
// read-only once fitted and safe for concurrent use.
type Model struct {
	Fields []FieldModel
	// Lambda is the prior probability that two records drawn at random
	// report one person.
	Lambda float64
	// CandidateLambda is the share of candidate pairs (those blocking
	// yields) that EM judged to be one person.
	CandidateLambda float64
	// PriorM is set when the records held too few duplicates for EM to
	// estimate m (fewer matching pairs than minDuplicateShare of the
	// records, as for an already deduplicated register): m is then the
	// package's prior and Lambda one match per record.
	PriorM         bool
	Iterations     int  // EM iterations run
	Converged      bool // whether EM met its tolerance before MaxIterations
	RandomPairs    int  // pairs sampled to estimate u
	CandidatePairs int64
	Records        int // records the model was fitted on
	// AgeReference is the date ages refer to; zero when ages are compared
	// only with ages.
	AgeReference time.Time
	// SurnameFreq and GivenFreq hold the smoothed share of records with
	// each surname and given-name key, for keys seen at least twice; other
	// keys count as seen once.
	SurnameFreq map[string]float64
	GivenFreq   map[string]float64

	weights  [nFields][1 << levelBits]float64
	surnameU float64 // u of an exact surname agreement
	givenU   float64
	prior    float64 // log2 of the prior odds
}

// FieldModel is the model of one compared field.
type FieldModel struct {
	Name   string
	Levels []LevelModel // Levels[0] is "null", which weighs nothing
}

// LevelModel is one comparison level: its m and u probabilities and its
// match weight log2(m/u), in bits.
type LevelModel struct {
	Name   string
	M, U   float64
	Weight float64
}

// Fixed weights of identity numbers: a shared valid IIN outweighs anything
// the other fields say, and two different valid IINs are never one person.
const (
	iinEqualWeight    = 30.0
	iinConflictWeight = -30.0
)

// Priors: m and u before data, and how many pairs they count as. They keep
// small data sets from fitting wild probabilities and fill levels the data
// never shows.
var (
	priorM = [nFields][]float64{
		fSurname:     {0, 0.85, 0.06, 0.04, 0.01, 0.04},
		fGiven:       {0, 0.82, 0.06, 0.04, 0.04, 0.04},
		fPatronymic:  {0, 0.80, 0.06, 0.04, 0.05, 0.05},
		fBirth:       {0, 0.75, 0.05, 0.04, 0.04, 0.08, 0.04},
		fSex:         {0, 0.98, 0.02},
		fCitizenship: {0, 0.95, 0.05},
		fRegion:      {0, 0.85, 0.15},
		fID:          {0, 0.75, 0.10, 0.08, 0.001, 0.069},
		fAddress:     {0, 0.50, 0.35, 0.15},
	}
	priorU = [nFields][]float64{
		fSurname:     {0, 0.01, 0.005, 0.03, 0.001, 0.954},
		fGiven:       {0, 0.02, 0.005, 0.03, 0.01, 0.935},
		fPatronymic:  {0, 0.02, 0.01, 0.04, 0.01, 0.92},
		fBirth:       {0, 0.0001, 0.0003, 0.02, 0.08, 0.03, 0.8696},
		fSex:         {0, 0.5, 0.5},
		fCitizenship: {0, 0.8, 0.2},
		fRegion:      {0, 0.3, 0.7},
		fID:          {0, 1e-7, 1e-6, 1e-5, 0.98, 0.01999},
		fAddress:     {0, 0.001, 0.02, 0.979},
	}
)

const (
	minDuplicateShare = 0.01  // below this many matching pairs per record, m is the prior
	priorMPairs       = 20.0  // pseudo-pairs behind priorM
	priorUPairs       = 200.0 // pseudo-pairs behind priorU
	tfPseudo          = 1000  // pseudo-records behind a key frequency
	tfMaxBoost        = 4.0   // bits a rare key may add
	probFloor         = 1e-9  // no m or u is smaller
)

// levelCounts holds, per field and level, a count of pairs.
type levelCounts [nFields][1 << levelBits]float64

func (c *levelCounts) add(p pattern, n float64) {
	for f := 0; f < nFields; f++ {
		c[f][p.level(f)] += n
	}
}

// estimateU compares random pairs of records: almost all are two different
// people, so the share at each level estimates u. The sample is drawn in
// fixed chunks, each from its own seeded stream, so it does not depend on
// the number of workers.
func estimateU(fs *features, ageRefYear int, pairs int, seed uint64, workers int) (levelCounts, int) {
	var c levelCounts
	n := len(fs.feats)
	if n < 2 {
		return c, 0
	}
	all := int64(n) * int64(n-1) / 2
	if all <= int64(pairs) {
		cmp := newComparer(fs, ageRefYear)
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				p, _, _ := cmp.compare(&fs.feats[i], &fs.feats[j])
				c.add(p, 1)
			}
		}
		return c, int(all)
	}
	const chunks = 16
	counts := make([]levelCounts, chunks)
	var wg sync.WaitGroup
	next := make(chan int, chunks)
	for k := 0; k < chunks; k++ {
		next <- k
	}
	close(next)
	for w := 0; w < max(workers, 1); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmp := newComparer(fs, ageRefYear)
			for k := range next {
				rng := rand.New(rand.NewPCG(seed, uint64(k)))
				size := pairs / chunks
				if k == 0 {
					size += pairs % chunks
				}
				for s := 0; s < size; s++ {
					i := rng.IntN(n)
					j := rng.IntN(n - 1)
					if j >= i {
						j++
					}
					p, _, _ := cmp.compare(&fs.feats[i], &fs.feats[j])
					counts[k].add(p, 1)
				}
			}
		}()
	}
	wg.Wait()
	for k := range counts {
		for f := range c {
			for l := range c[f] {
				c[f][l] += counts[k][f][l]
			}
		}
	}
	return c, pairs
}

// smoothed turns counts into probabilities over the non-null levels, with
// the prior counted as pseudo pairs.
func smoothed(counts []float64, prior []float64, pseudo float64) []float64 {
	out := make([]float64, len(prior))
	total := 0.0
	for l := 1; l < len(prior); l++ {
		total += counts[l]
	}
	for l := 1; l < len(prior); l++ {
		out[l] = max((counts[l]+pseudo*prior[l])/(total+pseudo), probFloor)
	}
	return out
}

// session is one EM training run on the candidate pairs that share a
// block of one rule, with the fields that rule blocks on left out: within
// such blocks those fields agree by construction, so they say nothing
// about which pairs match, while the other fields are compared as they
// would be between random records, whose u is known.
type session struct {
	rule   int
	ignore [nFields]bool
}

func ignoring(rule int, fields ...int) session {
	s := session{rule: rule}
	for _, f := range fields {
		s.ignore[f] = true
	}
	return s
}

// sessions are the training runs; together they estimate every field.
var sessions = []session{
	ignoring(0, fSurname, fGiven),      // surname + given initial
	ignoring(4, fSurname, fBirth),      // surname + birth date
	ignoring(5, fGiven, fBirth),        // given name + birth date
	ignoring(7, fSurname, fPatronymic), // surname + patronymic
	ignoring(3, fID),                   // identity number
}

// patCount is a pattern with the number of pairs that have it.
type patCount struct {
	p pattern
	n float64
}

// emResult is what the EM runs estimate.
type emResult struct {
	m          [nFields][]float64
	lambda     float64 // share of matches among the candidate pairs
	prior      float64 // prior probability that two random records match
	iterations int
	converged  bool
}

// emSession runs EM with u fixed: it estimates m of the fields not
// ignored and the share of matches among the session's pairs.
func emSession(pats []patCount, u [nFields][]float64, s session, maxIter int, tol float64) (m [nFields][]float64, lambda float64, iters int, converged bool) {
	total := 0.0
	for _, x := range pats {
		total += x.n
	}
	for f := 0; f < nFields; f++ {
		m[f] = append([]float64(nil), priorM[f]...)
	}
	lambda = 0.5
	var logU [nFields][1 << levelBits]float64
	for f := 0; f < nFields; f++ {
		for l := 1; l < len(u[f]); l++ {
			logU[f][l] = math.Log(u[f][l])
		}
	}
	for iters < maxIter {
		iters++
		var logM [nFields][1 << levelBits]float64
		for f := 0; f < nFields; f++ {
			for l := 1; l < len(m[f]); l++ {
				logM[f][l] = math.Log(m[f][l])
			}
		}
		var acc levelCounts
		sumG := 0.0
		for _, x := range pats {
			d := math.Log(lambda) - math.Log(1-lambda)
			for f := 0; f < nFields; f++ {
				if !s.ignore[f] {
					l := x.p.level(f)
					d += logM[f][l] - logU[f][l]
				}
			}
			g := 1 / (1 + math.Exp(-d))
			sumG += x.n * g
			acc.add(x.p, x.n*g)
		}
		next := min(max(sumG/total, 1e-6), 1-1e-6)
		delta := math.Abs(next - lambda)
		lambda = next
		for f := 0; f < nFields; f++ {
			if s.ignore[f] {
				continue
			}
			mf := smoothed(acc[f][:len(priorM[f])], priorM[f], 1e-3)
			for l := 1; l < len(mf); l++ {
				delta = max(delta, math.Abs(mf[l]-m[f][l]))
			}
			m[f] = mf
		}
		if delta < tol {
			return m, lambda, iters, true
		}
	}
	return m, lambda, iters, false
}

// runEM estimates m from the training sessions and then the prior, from
// the candidate pairs' pattern counts keyed by pattern and, above bit 32,
// the mask of the rules whose blocks hold the pair. records is the number
// of records, for the number of all pairs.
func runEM(counts map[uint64]int64, u [nFields][]float64, records int, maxIter int, tol float64) emResult {
	keys := make([]uint64, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	var r emResult
	r.converged = true
	// m: the weighted mean of the sessions' estimates, each weighted by the
	// matches it found, with the prior as pseudo pairs.
	var sum levelCounts
	var weight [nFields]float64
	for _, s := range sessions {
		var pats []patCount
		agg := make(map[pattern]float64)
		for _, k := range keys {
			if k>>32&(1<<s.rule) != 0 {
				agg[pattern(k)] += float64(counts[k])
			}
		}
		for p, n := range agg {
			pats = append(pats, patCount{p, n})
		}
		if len(pats) == 0 {
			continue
		}
		sort.Slice(pats, func(i, j int) bool { return pats[i].p < pats[j].p })
		m, lambda, it, conv := emSession(pats, u, s, maxIter, tol)
		r.iterations += it
		r.converged = r.converged && conv
		n := 0.0
		for _, x := range pats {
			n += x.n
		}
		w := lambda * n
		for f := 0; f < nFields; f++ {
			if s.ignore[f] {
				continue
			}
			for l := 1; l < len(m[f]); l++ {
				sum[f][l] += w * m[f][l]
			}
			weight[f] += w
		}
	}
	for f := 0; f < nFields; f++ {
		r.m[f] = make([]float64, len(priorM[f]))
		for l := 1; l < len(priorM[f]); l++ {
			r.m[f][l] = max((sum[f][l]+priorMPairs*priorM[f][l])/(weight[f]+priorMPairs), probFloor)
		}
	}
	// The prior: EM over all pairs with m and u fixed, counting pairs that
	// blocking left out as non-matches.
	pats := make([]patCount, 0, len(keys))
	total := 0.0
	for _, k := range keys {
		if n := len(pats); n > 0 && pats[n-1].p == pattern(k) {
			pats[n-1].n += float64(counts[k])
		} else {
			pats = append(pats, patCount{pattern(k), float64(counts[k])})
		}
		total += float64(counts[k])
	}
	sort.Slice(pats, func(i, j int) bool { return pats[i].p < pats[j].p })
	all := float64(records) * float64(records-1) / 2
	if total == 0 || all == 0 {
		return r
	}
	bf := make([]float64, len(pats)) // log Bayes factor of each pattern
	for i, x := range pats {
		for f := 0; f < nFields; f++ {
			if l := x.p.level(f); l != 0 {
				bf[i] += math.Log(r.m[f][l]) - math.Log(u[f][l])
			}
		}
	}
	lambda := min(total/all, 0.5) / 10
	for it := 0; it < maxIter; it++ {
		r.iterations++
		logOdds := math.Log(lambda) - math.Log(1-lambda)
		matches := 0.0
		for i, x := range pats {
			matches += x.n / (1 + math.Exp(-(logOdds + bf[i])))
		}
		next := min(max(matches/all, 1e-15), 0.5)
		done := math.Abs(next-lambda) <= tol*lambda
		lambda = next
		r.lambda = matches / total
		if done {
			break
		}
	}
	r.prior = lambda
	return r
}

// finish computes the weights and the prior odds of a model whose m, u
// and Lambda are set.
func (m *Model) finish() {
	for f := range m.Fields {
		for l := range m.Fields[f].Levels {
			lv := &m.Fields[f].Levels[l]
			if l == 0 {
				lv.Weight = 0
			} else {
				lv.Weight = math.Log2(lv.M / lv.U)
			}
			switch {
			case f == fID && l == idLevelIINEqual:
				lv.Weight = max(lv.Weight, iinEqualWeight)
			case f == fID && l == idLevelConflict:
				lv.Weight = min(lv.Weight, iinConflictWeight)
			}
			m.weights[f][l] = lv.Weight
		}
	}
	m.surnameU = m.Fields[fSurname].Levels[nameExact].U
	m.givenU = m.Fields[fGiven].Levels[nameExact].U
	lambda := min(max(m.Lambda, 1e-15), 1-1e-9)
	m.prior = math.Log2(lambda / (1 - lambda))
}

// tfAdjust is the term-frequency adjustment, in bits, of an exact
// agreement on a key with the given smoothed frequency: log2(u/freq), so
// a name shared by many weighs less than the average agreement and a rare
// one more (at most tfMaxBoost bits).
func tfAdjust(u, freq float64) float64 {
	if freq <= 0 {
		return 0
	}
	return min(math.Log2(u/freq), tfMaxBoost)
}

// keyFreq is the smoothed frequency of a key in a table, a key missing
// from it counting as seen once.
func (m *Model) keyFreq(table map[string]float64, key string, u float64) float64 {
	if f, ok := table[key]; ok {
		return f
	}
	return smoothFreq(1, m.Records, u)
}

// smoothFreq is the share of records with a key counted n times among
// records records, drawn towards u by tfPseudo pseudo-records: in a small
// file one person's own reports would otherwise make their name common.
func smoothFreq(n, records int, u float64) float64 {
	return (float64(n) + tfPseudo*u) / float64(records+tfPseudo)
}

// probability turns a match weight with the prior (log2 odds) into a
// probability.
func probability(logOdds float64) float64 {
	return 1 / (1 + math.Exp2(-logOdds))
}
