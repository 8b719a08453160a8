package linkage

import (
	"cmp"
	"slices"
	"sort"
	"sync"
)

// Match is one indexed record a query may report.
type Match struct {
	RecordID string
	// Score is the probability that the query and the record report one
	// person.
	Score float64
	// Weight is the match weight in bits, prior included.
	Weight float64
}

// Index holds records for query-time matching: the blocking keys of every
// record, sorted for lookup, and a model to score candidates with. It is
// read-only once built and safe for concurrent use.
type Index struct {
	ids   []string
	fs    *features
	model *Model
	sc    *scorer
	ref   int
	rules [nRules]ruleIndex
	pool  sync.Pool // *comparer
}

// ruleIndex is one rule's final block keys, sorted, with their records.
type ruleIndex struct {
	keys []uint64
	recs []int32
}

// NewIndex indexes records for Match. It fits a model on them unless
// opt.Model is set (Link's Result.Model, say). Options that are out of
// range are replaced by their defaults; duplicate ids are allowed and
// each record is matched on its own.
func NewIndex(recs []Record, opt Options) *Index {
	o, err := opt.withDefaults()
	if err != nil {
		d, _ := Options{}.withDefaults()
		d.AgeReference, d.Model, d.Workers, d.Progress = opt.AgeReference, opt.Model, o.Workers, opt.Progress
		o = d
	}
	p := &prepared{opt: o}
	if o.Model != nil {
		p.opt.AgeReference = o.Model.AgeReference
	}
	order := idOrder(recs)
	var prog func(int)
	if f := o.progress("parse", int64(len(recs))); f != nil {
		prog = func(d int) { f(int64(d)) }
	}
	p.fs = buildFeatures(recs, order, o.Workers, prog)
	x := &Index{ids: make([]string, len(recs)), fs: p.fs, model: o.Model}
	for k, i := range order {
		x.ids[k] = recs[i].ID
	}
	if x.model == nil {
		p.block = buildBlocking(p.fs, p.fs.names.str, o.MaxBlock, o.Workers, false)
		x.model, _ = p.fit()
		p.block = nil
	}
	x.ref = ageRefYear(x.model.AgeReference)
	x.sc = newScorer(x.model, p.fs)
	b := buildBlocking(p.fs, p.fs.names.str, o.MaxQueryBlock, o.Workers, true)
	var wg sync.WaitGroup
	for r := 0; r < nRules; r++ {
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			keys := b.finalKey[r]
			n := 0
			for _, k := range keys {
				if k != 0 {
					n++
				}
			}
			ri := ruleIndex{keys: make([]uint64, 0, n), recs: make([]int32, 0, n)}
			order := make([]int32, 0, n)
			for i, k := range keys {
				if k != 0 {
					order = append(order, int32(i))
				}
			}
			slices.SortFunc(order, func(a, c int32) int {
				if d := cmp.Compare(keys[a], keys[c]); d != 0 {
					return d
				}
				return cmp.Compare(a, c)
			})
			for _, i := range order {
				ri.keys = append(ri.keys, keys[i])
				ri.recs = append(ri.recs, i)
			}
			x.rules[r] = ri
		}(r)
	}
	wg.Wait()
	x.pool.New = func() any { return newComparer(x.fs, x.ref) }
	return x
}

// Model returns the model the index scores with.
func (x *Index) Model() *Model { return x.model }

// Len returns the number of indexed records.
func (x *Index) Len() int { return len(x.ids) }

// lookup appends the records whose final key under rule r is key.
func (ri *ruleIndex) lookup(key uint64, out []int32) []int32 {
	i := sort.Search(len(ri.keys), func(k int) bool { return ri.keys[k] >= key })
	for ; i < len(ri.keys) && ri.keys[i] == key; i++ {
		out = append(out, ri.recs[i])
	}
	return out
}

// queryFeat derives the features of a query, with ids from the index's
// dictionaries and, for values the index has never seen, ids of the
// comparer's own (^0, ^1, ...).
func (x *Index) queryFeat(c *comparer, q *Record) feat {
	p := parseRecord(q, nil)
	f := p.f
	c.qnames, c.qother, c.qaddr = c.qnames[:0], c.qother[:0], c.qaddr[:0]
	look := func(d *dict, s string, extra *[]string) uint32 {
		if s == "" {
			return 0
		}
		if id, ok := d.ids[s]; ok {
			return id
		}
		for k, e := range *extra {
			if e == s {
				return ^uint32(k)
			}
		}
		*extra = append(*extra, s)
		return ^uint32(len(*extra) - 1)
	}
	f.sur, f.given, f.pat = look(x.fs.names, p.sur, &c.qnames), look(x.fs.names, p.given, &c.qnames), look(x.fs.names, p.pat, &c.qnames)
	if p.cit != "" {
		f.cit = look(x.fs.other, "c:"+p.cit, &c.qother)
	}
	if p.reg != "" {
		f.reg = look(x.fs.other, "r:"+p.reg, &c.qother)
	}
	f.id = look(x.fs.other, p.id, &c.qother)
	if len(p.addr) > 0 {
		var unseen []string
		for _, w := range p.addr {
			c.qaddr = append(c.qaddr, look(x.fs.words, w, &unseen))
		}
		slices.Sort(c.qaddr)
		f.addrOff, f.addrLen = uint32(len(x.fs.addr)), uint16(len(c.qaddr))
	}
	return f
}

// Match returns up to k indexed records that may report the same person
// as q, best first (by score, then by record id). Candidates are the
// records that share a blocking key with q; each is scored with the
// index's model.
func (x *Index) Match(q Record, k int) []Match {
	if k <= 0 || len(x.ids) == 0 {
		return nil
	}
	c := x.pool.Get().(*comparer)
	defer x.pool.Put(c)
	qf := x.queryFeat(c, &q)
	var cands []int32
	for r := 0; r < nRules; r++ {
		key := ruleKey(r, &qf, c.name)
		if key == 0 {
			continue
		}
		for depth := 0; ; depth++ {
			cands = x.rules[r].lookup(key, cands)
			if depth == len(rules[r].refine) {
				break
			}
			key = refineKey(r, depth+1, key, &qf, c.name)
		}
	}
	slices.Sort(cands)
	cands = slices.Compact(cands)
	type scored struct {
		i int32
		w float32
	}
	out := make([]scored, 0, len(cands))
	for _, i := range cands {
		pt, ts, tg := c.compare(&x.fs.feats[i], &qf)
		out = append(out, scored{i, x.sc.score(pt, ts, tg)})
	}
	slices.SortFunc(out, func(a, b scored) int {
		if a.w != b.w {
			return cmp.Compare(b.w, a.w)
		}
		return cmp.Compare(x.ids[a.i], x.ids[b.i])
	})
	if len(out) > k {
		out = out[:k]
	}
	ms := make([]Match, len(out))
	for n, s := range out {
		ms[n] = Match{RecordID: x.ids[s.i], Score: probability(float64(s.w)), Weight: float64(s.w)}
	}
	return ms
}
