package linkage

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/habeas-project/habeas"
)

// Pair is a scored pair of records, by index in the input and by id.
type Pair struct {
	I, J        int    // indexes into the records, I < J
	A, B        string // their ids
	Probability float64
	Weight      float64 // match weight in bits, prior included (log2 odds)
	// Merged reports whether the two records ended in one cluster.
	Merged bool
}

// Stats describes a run of Link.
type Stats struct {
	Records        int    // records linked
	BlockStats            // what blocking did
	CandidatePairs int64  // distinct pairs compared
	MergeEdges     int    // pairs above the threshold that merged two clusters
	RefusedMerges  int    // merges refused because of a cannot-link pair
	Clusters       int    // clusters, singletons included
	Durations      []Step // time per stage
}

// Step is the wall time of one stage of a run.
type Step struct {
	Stage    string
	Duration time.Duration
}

// Result is what Link found.
type Result struct {
	// Clusters holds, for each input record in order, its cluster id: the
	// smallest record id (by byte order) in its cluster.
	Clusters []string
	// Review lists the pairs in the uncertain band, most informative
	// first: probability closest to 0.5 (greatest entropy), then by I
	// and J.
	Review []Pair
	Model  *Model
	Stats  Stats
	block  *blocking
	order  []int32 // internal index → input index
	rank   []int32 // input index → internal index, built on demand
	once   sync.Once
}

func (r *Result) internal(i int) int32 {
	r.once.Do(func() {
		r.rank = make([]int32, len(r.order))
		for k, i := range r.order {
			r.rank[i] = int32(k)
		}
	})
	return r.rank[i]
}

// Candidate reports whether blocking made records i and j (indexes into
// the input) a candidate pair: the measure of pair completeness.
func (r *Result) Candidate(i, j int) bool {
	if i == j || i < 0 || j < 0 || i >= len(r.Clusters) || j >= len(r.Clusters) {
		return false
	}
	return r.block.candidate(r.internal(i), r.internal(j))
}

// ForEachCandidate calls fn for every candidate pair (i < j, indexes into
// the input), one at a time, in the order of the blocks, until fn returns
// false.
func (r *Result) ForEachCandidate(fn func(i, j int) bool) {
	b := r.block
	for _, bl := range b.blocks {
		m := b.members[bl.start:bl.end]
		for x, i := range m {
			for _, j := range m[x+1:] {
				if bl.rule > 0 && b.together(i, j, int(bl.rule)) {
					continue
				}
				a, c := int(r.order[i]), int(r.order[j])
				if a > c {
					a, c = c, a
				}
				if !fn(a, c) {
					return
				}
			}
		}
	}
}

// checkRecords rejects records Link cannot use: an empty or duplicate id,
// or a name with no letters.
func checkRecords(recs []Record) error {
	seen := make(map[string]int, len(recs))
	for i, r := range recs {
		switch {
		case r.ID == "":
			return habeas.Errorf(habeas.EINVALID, "record %d: id is required", i+1)
		case r.FullName == "":
			return habeas.Errorf(habeas.EINVALID, "record %s: full name is required", r.ID)
		}
		if j, dup := seen[r.ID]; dup {
			return habeas.Errorf(habeas.EINVALID, "records %d and %d have the same id %q", j+1, i+1, r.ID)
		}
		seen[r.ID] = i
	}
	return nil
}

// Link finds which records report the same person. It fits a model
// (unless opt.Model is set), compares every candidate pair that blocking
// yields, clusters the pairs at or above opt.Threshold while keeping every
// cannot-link pair apart, and lists the uncertain pairs for review. The
// result depends only on the set of records and the options: not on their
// order, nor on the number of workers.
func Link(recs []Record, opt Options) (*Result, error) {
	p, err := prepare(recs, opt)
	if err != nil {
		return nil, err
	}
	opt = p.opt
	m := opt.Model
	var pairs int64
	if m == nil {
		m, pairs = p.fit()
	}
	// Score every candidate pair; keep those that may merge or need review.
	sc := newScorer(m, p.fs)
	keep := float32(math.Log2(min(opt.ReviewLow, opt.Threshold) / (1 - min(opt.ReviewLow, opt.Threshold))))
	w := opt.Workers
	kept := make([][]edge, w)
	counted := make([]int64, w)
	ref := ageRefYear(opt.AgeReference)
	cmps := make([]*comparer, w)
	for k := range cmps {
		cmps[k] = newComparer(p.fs, ref)
	}
	p.block.forEachPair(w, opt.progress("score", p.block.stats.Pairs), func(k int, i, j int32) {
		pt, ts, tg := cmps[k].compare(&p.fs.feats[i], &p.fs.feats[j])
		counted[k]++
		if s := sc.score(pt, ts, tg); s >= keep {
			kept[k] = append(kept[k], edge{i, j, s})
		}
	})
	p.step("score")
	if m == opt.Model {
		for _, c := range counted {
			pairs += c
		}
	}
	var all []edge
	for _, e := range kept {
		all = append(all, e...)
	}
	kept = nil
	// Cluster on the edges at or above the threshold.
	thr := float32(math.Log2(opt.Threshold / (1 - opt.Threshold)))
	var merge []edge
	for _, e := range all {
		if e.w >= thr {
			merge = append(merge, e)
		}
	}
	if f := opt.progress("cluster", int64(len(merge))); f != nil {
		f(0)
	}
	roots, cst := cluster(p.fs.feats, merge)
	// Internal indexes follow the ids, so a cluster's id is the id of its
	// smallest member.
	res := &Result{Clusters: make([]string, len(recs)), Model: m, block: p.block, order: p.order}
	first := make(map[int32]int32)
	for k, r := range roots {
		if _, ok := first[r]; !ok {
			first[r] = int32(k)
		}
	}
	for k, r := range roots {
		res.Clusters[p.order[k]] = recs[p.order[first[r]]].ID
	}
	// The review queue.
	lo, hi := float32(math.Log2(opt.ReviewLow/(1-opt.ReviewLow))), float32(math.Log2(opt.ReviewHigh/(1-opt.ReviewHigh)))
	for _, e := range all {
		if e.w < lo || e.w > hi {
			continue
		}
		i, j := int(p.order[e.i]), int(p.order[e.j])
		if i > j {
			i, j = j, i
		}
		res.Review = append(res.Review, Pair{
			I: i, J: j, A: recs[i].ID, B: recs[j].ID,
			Probability: probability(float64(e.w)), Weight: float64(e.w),
			Merged: roots[e.i] == roots[e.j],
		})
	}
	slices.SortFunc(res.Review, func(a, b Pair) int {
		if c := cmp.Compare(math.Abs(a.Weight), math.Abs(b.Weight)); c != 0 {
			return c
		}
		if a.I != b.I {
			return cmp.Compare(a.I, b.I)
		}
		return cmp.Compare(a.J, b.J)
	})
	if f := opt.progress("cluster", int64(len(merge))); f != nil {
		f(int64(len(merge)))
	}
	p.step("cluster")
	res.Stats = Stats{
		Records:        len(recs),
		BlockStats:     p.block.stats,
		CandidatePairs: pairs,
		MergeEdges:     cst.edges,
		RefusedMerges:  cst.refused,
		Clusters:       len(first),
		Durations:      p.steps,
	}
	return res, nil
}

// String summarises the statistics on one line.
func (s Stats) String() string {
	return fmt.Sprintf("%d records, %d blocks (%d split, %d skipped), %d candidate pairs, %d merges (%d refused), %d clusters",
		s.Records, s.Blocks, s.SplitBlocks, s.SkippedBlocks, s.CandidatePairs, s.MergeEdges, s.RefusedMerges, s.Clusters)
}
