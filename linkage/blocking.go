package linkage

import (
	"runtime"
	"slices"
	"sync"
)

// Blocking is a union of rules: two records are compared when any rule
// gives them the same key. A block larger than the cap is split by the
// rule's refinements, one after another; a block still too large after the
// last is skipped (its pairs are left to the other rules).

// value reads one part of a blocking key from a record; 0 means the
// record has no such value.
type value func(f *feat, name func(uint32) string) uint64

func surnameID(f *feat, _ func(uint32) string) uint64         { return uint64(f.sur) }
func givenID(f *feat, _ func(uint32) string) uint64           { return uint64(f.given) }
func patronymicID(f *feat, _ func(uint32) string) uint64      { return uint64(f.pat) }
func surnameConsonants(f *feat, _ func(uint32) string) uint64 { return uint64(f.surCons) }
func birthYear(f *feat, _ func(uint32) string) uint64         { return uint64(f.year) }
func birthMonth(f *feat, _ func(uint32) string) uint64        { return uint64(f.month) }
func idNumber(f *feat, _ func(uint32) string) uint64          { return uint64(f.id) }

func birthDay(f *feat, _ func(uint32) string) uint64 {
	if f.prec != PrecisionDay {
		return 0
	}
	return uint64(f.days) + 1
}

func givenInitial(f *feat, name func(uint32) string) uint64 {
	if f.given == 0 {
		return 0
	}
	return uint64(name(f.given)[0])
}

func surnameInitial(f *feat, name func(uint32) string) uint64 {
	if f.sur == 0 {
		return 0
	}
	return uint64(name(f.sur)[0])
}

// namePair is the surname and given-name keys in id order, so that a name
// whose roles were read the other way round gets the same key.
func namePair(f *feat, _ func(uint32) string) uint64 {
	if f.sur == 0 || f.given == 0 {
		return 0
	}
	a, b := f.sur, f.given
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(b)
}

func wholePatronymic(f *feat, _ func(uint32) string) uint64 {
	if f.flags&flagPatInitial != 0 {
		return 0
	}
	return uint64(f.pat)
}

// rule is one blocking rule: the values its key is made of (all must be
// known) and the values that split an oversized block, in order.
type rule struct {
	name   string
	key    []value
	refine []value
}

var rules = []rule{
	{"surname+given_initial", []value{surnameID, givenInitial}, []value{givenID, birthYear}},
	{"given+surname_initial+birth_year", []value{givenID, surnameInitial, birthYear}, []value{surnameID, birthMonth}},
	{"name_key_pair", []value{namePair}, []value{birthYear}},
	{"id_number", []value{idNumber}, nil},
	{"surname+birth_date", []value{surnameID, birthDay}, []value{givenInitial}},
	{"given+birth_date", []value{givenID, birthDay}, []value{surnameInitial}},
	{"patronymic+given", []value{wholePatronymic, givenID}, []value{surnameInitial, birthYear}},
	{"surname+patronymic", []value{surnameID, wholePatronymic}, []value{birthYear}},
	{"given+surname_consonants", []value{givenID, surnameConsonants}, []value{birthYear}},
	{"birth_date+initials", []value{birthDay, surnameInitial, givenInitial}, nil},
}

const nRules = 10

// RuleNames lists the blocking rules in the order they are applied.
func RuleNames() []string {
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = r.name
	}
	return out
}

func mix(h, v uint64) uint64 {
	h ^= v + 0x9E3779B97F4A7C15 + h<<6 + h>>2
	h ^= h >> 31
	h *= 0xBF58476D1CE4E5B9
	h ^= h >> 29
	return h
}

// ruleKey is the key of record f under rule r, 0 when a value is missing.
func ruleKey(r int, f *feat, name func(uint32) string) uint64 {
	h := uint64(r+1) * 0x94D049BB133111EB
	for _, v := range rules[r].key {
		x := v(f, name)
		if x == 0 {
			return 0
		}
		h = mix(h, x)
	}
	return h | 1
}

// refineKey is the key of a block split by its depth-th refinement.
func refineKey(r, depth int, parent uint64, f *feat, name func(uint32) string) uint64 {
	return mix(parent, rules[r].refine[depth-1](f, name)+uint64(depth)<<40) | 1
}

// block is a set of records that share a key; members[start:end].
type block struct {
	rule       uint8
	start, end int32
}

// blocking is the result of applying every rule.
type blocking struct {
	blocks  []block
	members []int32
	// blockOf holds, per record and rule, the block (index in blocks) the
	// record is in, or -1: the test that a pair was already compared under
	// an earlier rule.
	blockOf [][nRules]int32
	// finalKey holds per rule and record the key of the (possibly split)
	// block the record ended in, or 0; only built for an index.
	finalKey [nRules][]uint64
	stats    BlockStats
}

// BlockStats describes what blocking did.
type BlockStats struct {
	Blocks         int   // blocks of two records or more
	SplitBlocks    int   // blocks over the cap that were split
	SkippedBlocks  int   // blocks still over the cap after every split, left out
	SkippedRecords int   // record places in skipped blocks
	Pairs          int64 // pairs within blocks, before removing pairs two rules share
}

type keyed struct {
	key uint64
	idx int32
}

// ruleBlocks applies one rule. It returns the blocks (members as record
// indexes) and, when keys is not nil, sets keys[i] to the final block key
// of record i.
func ruleBlocks(r int, fs *features, name func(uint32) string, maxBlock int, keys []uint64) (groups [][]int32, st BlockStats) {
	items := make([]keyed, 0, len(fs.feats))
	for i := range fs.feats {
		if k := ruleKey(r, &fs.feats[i], name); k != 0 {
			items = append(items, keyed{k, int32(i)})
		}
	}
	var split func(items []keyed, depth int)
	split = func(items []keyed, depth int) {
		slices.SortFunc(items, func(a, b keyed) int {
			switch {
			case a.key < b.key:
				return -1
			case a.key > b.key:
				return 1
			}
			return int(a.idx - b.idx)
		})
		for lo := 0; lo < len(items); {
			hi := lo + 1
			for hi < len(items) && items[hi].key == items[lo].key {
				hi++
			}
			g := items[lo:hi]
			lo = hi
			switch {
			case len(g) <= maxBlock:
				if keys != nil {
					for _, it := range g {
						keys[it.idx] = it.key
					}
				}
				if len(g) >= 2 {
					m := make([]int32, len(g))
					for i, it := range g {
						m[i] = it.idx
					}
					groups = append(groups, m)
					st.Blocks++
					st.Pairs += int64(len(g)) * int64(len(g)-1) / 2
				}
			case depth < len(rules[r].refine):
				st.SplitBlocks++
				sub := make([]keyed, len(g))
				for i, it := range g {
					sub[i] = keyed{refineKey(r, depth+1, it.key, &fs.feats[it.idx], name), it.idx}
				}
				split(sub, depth+1)
			default:
				st.SkippedBlocks++
				st.SkippedRecords += len(g)
			}
		}
	}
	split(items, 0)
	return groups, st
}

// buildBlocking applies every rule, in parallel. With index set it keeps
// every record's final key per rule (for lookups) instead of the blocks'
// membership.
func buildBlocking(fs *features, name func(uint32) string, maxBlock, workers int, index bool) *blocking {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	b := &blocking{}
	groups := make([][][]int32, nRules)
	stats := make([]BlockStats, nRules)
	if index {
		for r := range b.finalKey {
			b.finalKey[r] = make([]uint64, len(fs.feats))
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, workers)
	for r := 0; r < nRules; r++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(r int) {
			defer func() { <-sem; wg.Done() }()
			groups[r], stats[r] = ruleBlocks(r, fs, name, maxBlock, b.finalKey[r])
		}(r)
	}
	wg.Wait()
	for r := 0; r < nRules; r++ {
		b.stats.Blocks += stats[r].Blocks
		b.stats.SplitBlocks += stats[r].SplitBlocks
		b.stats.SkippedBlocks += stats[r].SkippedBlocks
		b.stats.SkippedRecords += stats[r].SkippedRecords
		b.stats.Pairs += stats[r].Pairs
	}
	if index {
		return b
	}
	b.blockOf = make([][nRules]int32, len(fs.feats))
	for i := range b.blockOf {
		for r := range b.blockOf[i] {
			b.blockOf[i][r] = -1
		}
	}
	for r := 0; r < nRules; r++ {
		for _, g := range groups[r] {
			id := int32(len(b.blocks))
			start := int32(len(b.members))
			b.members = append(b.members, g...)
			b.blocks = append(b.blocks, block{uint8(r), start, int32(len(b.members))})
			for _, i := range g {
				b.blockOf[i][r] = id
			}
		}
		groups[r] = nil
	}
	return b
}

// together reports whether records i and j share a block under a rule
// before r: then that rule compared them already.
func (b *blocking) together(i, j int32, r int) bool {
	bi, bj := &b.blockOf[i], &b.blockOf[j]
	for q := 0; q < r; q++ {
		if bi[q] >= 0 && bi[q] == bj[q] {
			return true
		}
	}
	return false
}

// rulesOf returns the mask of the rules whose blocks hold both i and j.
func (b *blocking) rulesOf(i, j int32) uint32 {
	bi, bj := &b.blockOf[i], &b.blockOf[j]
	var mask uint32
	for q := 0; q < nRules; q++ {
		if bi[q] >= 0 && bi[q] == bj[q] {
			mask |= 1 << q
		}
	}
	return mask
}

// candidate reports whether blocking makes i and j a candidate pair.
func (b *blocking) candidate(i, j int32) bool {
	return b.together(i, j, nRules)
}

// forEachPair calls fn for every candidate pair once, from workers
// goroutines; fn gets the worker's number. Pairs come in no fixed order.
func (b *blocking) forEachPair(workers int, progress func(done int64), fn func(w int, i, j int32)) {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	// Tasks of about taskPairs pairs: runs of small blocks, or one large one.
	const taskPairs = 1 << 16
	type task struct{ lo, hi int }
	var tasks []task
	acc := 0
	lo := 0
	for k, bl := range b.blocks {
		n := int(bl.end - bl.start)
		acc += n * (n - 1) / 2
		if acc >= taskPairs {
			tasks = append(tasks, task{lo, k + 1})
			lo, acc = k+1, 0
		}
	}
	if lo < len(b.blocks) {
		tasks = append(tasks, task{lo, len(b.blocks)})
	}
	var (
		mu   sync.Mutex
		next int
		done int64
		wg   sync.WaitGroup
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				mu.Lock()
				t := next
				next++
				mu.Unlock()
				if t >= len(tasks) {
					return
				}
				pairs := int64(0)
				for k := tasks[t].lo; k < tasks[t].hi; k++ {
					bl := b.blocks[k]
					r := int(bl.rule)
					m := b.members[bl.start:bl.end]
					pairs += int64(len(m)) * int64(len(m)-1) / 2
					for x := 0; x < len(m); x++ {
						i := m[x]
						for _, j := range m[x+1:] {
							if r > 0 && b.together(i, j, r) {
								continue
							}
							fn(w, i, j)
						}
					}
				}
				if progress != nil {
					mu.Lock()
					done += pairs
					progress(done)
					mu.Unlock()
				}
			}
		}(w)
	}
	wg.Wait()
}
