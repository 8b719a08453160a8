package linkage

import (
	"time"
)

// prepared is the state Fit and Link share.
type prepared struct {
	opt   Options
	order []int32 // internal index → input index; internal order is by id
	fs    *features
	block *blocking
	steps []Step
	start time.Time
}

func (p *prepared) step(stage string) {
	now := time.Now()
	p.steps = append(p.steps, Step{stage, now.Sub(p.start)})
	p.start = now
}

func prepare(recs []Record, opt Options) (*prepared, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := checkRecords(recs); err != nil {
		return nil, err
	}
	if opt.Model != nil {
		opt.AgeReference = opt.Model.AgeReference
	}
	p := &prepared{opt: opt, start: time.Now()}
	n := int64(len(recs))
	var prog func(int)
	if f := opt.progress("parse", n); f != nil {
		prog = func(d int) { f(int64(d)) }
	}
	p.order = idOrder(recs)
	p.fs = buildFeatures(recs, p.order, opt.Workers, prog)
	p.step("parse")
	p.block = buildBlocking(p.fs, p.fs.names.str, opt.MaxBlock, opt.Workers, false)
	if f := opt.progress("block", n); f != nil {
		f(n)
	}
	p.step("block")
	return p, nil
}

func (d *dict) str(id uint32) string { return d.strs[id] }

// Fit estimates a model from records without clustering them: u from
// random pairs, m and the share of matches by EM on the candidate pairs,
// key frequencies from the records.
func Fit(recs []Record, opt Options) (*Model, error) {
	p, err := prepare(recs, opt)
	if err != nil {
		return nil, err
	}
	m, _ := p.fit()
	return m, nil
}

// fit estimates the model of prepared records and returns it with the
// number of candidate pairs.
func (p *prepared) fit() (*Model, int64) {
	opt, fs := p.opt, p.fs
	ref := ageRefYear(opt.AgeReference)
	// u from random pairs.
	uc, sampled := estimateU(fs, ref, opt.RandomPairs, opt.Seed, opt.Workers)
	var u [nFields][]float64
	for f := 0; f < nFields; f++ {
		u[f] = smoothed(uc[f][:len(priorU[f])], priorU[f], priorUPairs)
	}
	// Pattern counts of the candidate pairs.
	counts, pairs := p.patternCounts()
	p.step("compare")
	em := runEM(counts, u, len(fs.feats), opt.MaxIterations, opt.Tolerance)
	// Records with (almost) no duplicates teach EM nothing about m: fall
	// back on the prior m, and on one match per record for the prior.
	n := float64(len(fs.feats))
	priorOnly := n >= 2 && em.prior*n*(n-1)/2 < minDuplicateShare*n
	if priorOnly {
		for f := range em.m {
			em.m[f] = append([]float64(nil), priorM[f]...)
		}
		em.prior = 1 / n
	}
	m := &Model{
		PriorM:          priorOnly,
		Lambda:          em.prior,
		CandidateLambda: em.lambda,
		Iterations:      em.iterations,
		Converged:       em.converged,
		RandomPairs:     sampled,
		CandidatePairs:  pairs,
		Records:         len(fs.feats),
		AgeReference:    opt.AgeReference,
	}
	m.Fields = make([]FieldModel, nFields)
	for f := 0; f < nFields; f++ {
		fm := FieldModel{Name: fieldInfos[f].name, Levels: make([]LevelModel, len(priorM[f]))}
		for l := range fm.Levels {
			fm.Levels[l] = LevelModel{Name: fieldInfos[f].levels[l], M: em.m[f][l], U: u[f][l]}
		}
		m.Fields[f] = fm
	}
	m.finish()
	m.SurnameFreq, m.GivenFreq = keyFrequencies(fs, m.surnameU, m.givenU)
	p.step("estimate")
	return m, pairs
}

// keyFrequencies counts the records with each surname and given-name key.
func keyFrequencies(fs *features, surU, givU float64) (sur, giv map[string]float64) {
	cs := make([]int32, len(fs.names.strs))
	cg := make([]int32, len(fs.names.strs))
	for i := range fs.feats {
		cs[fs.feats[i].sur]++
		cg[fs.feats[i].given]++
	}
	sur, giv = make(map[string]float64), make(map[string]float64)
	n := len(fs.feats)
	for id := 1; id < len(cs); id++ {
		if cs[id] >= 2 {
			sur[fs.names.strs[id]] = smoothFreq(int(cs[id]), n, surU)
		}
		if cg[id] >= 2 {
			giv[fs.names.strs[id]] = smoothFreq(int(cg[id]), n, givU)
		}
	}
	return sur, giv
}

// patternCounts compares every candidate pair and counts the pairs by
// pattern and by the set of rules whose blocks hold them (bits 32 up).
func (p *prepared) patternCounts() (map[uint64]int64, int64) {
	w := p.opt.Workers
	ref := ageRefYear(p.opt.AgeReference)
	tables := make([]*countTable, w)
	cmps := make([]*comparer, w)
	for k := range tables {
		tables[k] = newCountTable()
		cmps[k] = newComparer(p.fs, ref)
	}
	b := p.block
	b.forEachPair(w, p.opt.progress("estimate", b.stats.Pairs), func(k int, i, j int32) {
		pt, _, _ := cmps[k].compare(&p.fs.feats[i], &p.fs.feats[j])
		tables[k].add(uint64(pt) | uint64(b.rulesOf(i, j))<<32)
	})
	all := make(map[uint64]int64)
	total := int64(0)
	for _, t := range tables {
		for k, key := range t.keys {
			if key != 0 {
				all[key] += t.counts[k]
				total += t.counts[k]
			}
		}
	}
	return all, total
}

// countTable counts non-zero keys: an open-addressing hash table, much
// cheaper than a map in the loop over every candidate pair.
type countTable struct {
	keys   []uint64
	counts []int64
	used   int
}

func newCountTable() *countTable {
	return &countTable{keys: make([]uint64, 1<<12), counts: make([]int64, 1<<12)}
}

func (t *countTable) add(key uint64) {
	mask := uint64(len(t.keys) - 1)
	for h := (key * 0x9E3779B97F4A7C15) >> 20 & mask; ; h = (h + 1) & mask {
		switch t.keys[h] {
		case key:
			t.counts[h]++
			return
		case 0:
			t.keys[h] = key
			t.counts[h] = 1
			t.used++
			if 2*t.used > len(t.keys) {
				t.grow()
			}
			return
		}
	}
}

func (t *countTable) grow() {
	old, oldCounts := t.keys, t.counts
	t.keys, t.counts, t.used = make([]uint64, 2*len(old)), make([]int64, 2*len(old)), 0
	mask := uint64(len(t.keys) - 1)
	for k, key := range old {
		if key == 0 {
			continue
		}
		h := (key * 0x9E3779B97F4A7C15) >> 20 & mask
		for t.keys[h] != 0 {
			h = (h + 1) & mask
		}
		t.keys[h], t.counts[h] = key, oldCounts[k]
		t.used++
	}
}
