package alerts

import (
	"math"
	"sync"
	"time"

	"github.com/google/btree"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/rules"
)

// The live index keeps every case judged, so that the alerts page, the
// overdue queue and the counts read state instead of judging the whole
// register per request (issue 11, item 7).
//
// A case's judgement changes only at known instants: when one of its
// facts comes to have happened (an event, an investigation opened, a
// casualty: each counts from its time) and just after one of its deadlines
// passes. Between two such instants every state is the same; only how
// long is left or overdue moves, and that is worked out from the deadline
// when shown. So each case is kept with the interval [lo, hi) of moments
// its judgement holds for (rules.Bounds), and two trees of those bounds say which cases
// to judge again when the index moves to another moment: those whose hi
// has come (the clock moving on) or whose lo is still ahead (a moment in
// the past asked for). A change to a record marks the cases it touches to
// be judged again at the next read.
//
// The results that need attention (overdue, pending, unknown) are kept in
// trees in the order the pages show them, keyed by what does not move
// between those instants (the deadline, not the time left), and the counts
// per rule, city and state are kept as the cases are judged. A page then
// costs what it shows, not the size of the register; a count costs the
// number of cities times rules. A read at a moment far from the last one
// judges again every case whose state differs, as the first read judges
// them all.

// live is the index. Its fields are guarded by mu, taken with the
// watcher's read lock held; dirty, dirtyPersons and all are also written
// under the watcher's write lock (apply), which excludes every reader.
type live struct {
	mu    sync.Mutex
	built bool
	at    int64 // the moment judged at, in Unix nanoseconds

	rules   []*rules.Rule
	index   map[*rules.Rule]uint16
	ruleIDs map[string]uint16

	cases []liveCase
	slot  map[string]uint32
	free  []uint32

	// hi and lo bound each case's interval; open holds every result that
	// needs attention, in the order of the flat list; groups one entry per
	// case with something open, in the order of the grouped list.
	hi, lo *btree.BTreeG[bound]
	open   *btree.BTreeG[openItem]
	groups *btree.BTreeG[groupItem]

	// counts of results by rule, city and state; groups by city and class;
	// detentions by city; pending results and pending groups by when they
	// fall due (dueKey).
	counts     map[countKey]int
	classes    map[classKey]int
	detentions [256]int
	due        map[dueKey]int
	groupsDue  map[dueKey]int

	dirty        map[string]bool // cases to judge again
	dirtyPersons map[string]bool // persons changed: their detentions to judge again
	all          bool            // judge everything again
}

type countKey struct {
	city  city
	rule  uint16
	state state
}

// city is a city as a number: its place in habeas.Cities plus one; 0 for
// a city not in the list, anyCity in a filter or a count for every city.
type city uint8

const anyCity city = math.MaxUint8

// cityIndex returns the number of a city.
func cityIndex(name string) city { return cities[name] }

var cities = func() map[string]city {
	if len(habeas.Cities) >= int(anyCity) {
		panic("alerts: too many cities for a city number")
	}
	m := map[string]city{}
	for i, c := range habeas.Cities {
		m[c.Key] = city(i + 1)
	}
	return m
}()

// anyRule stands for every rule in a filter or a count.
const anyRule = math.MaxUint16

// dueKey counts what falls due in one bucket of time (dueBucket), for one
// city (or anyCity) and one rule (or anyRule; for groups, unknown says the
// group also has a result that cannot be judged).
type dueKey struct {
	bucket  int64
	city    city
	rule    uint16
	unknown bool
}

// dueBucket is the span of time counted together: counting what falls due
// within a span sums the buckets it covers and walks only the last one.
const dueBucket = int64(10 * time.Minute)

func bucketOf(t int64) int64 {
	b := t / dueBucket
	if t%dueBucket < 0 {
		b--
	}
	return b
}

// pivot is the slot of an item that only positions a walk: it sorts
// before every item it ties with.
const pivot = math.MaxUint32

// state is a rules.State as a number, so that what the index keeps of a
// result holds no pointer and takes few bytes.
type state uint8

const (
	sMet state = iota
	sMetLate
	sPending
	sOverdue
	sViolated
	sUnknown
)

var stateNames = [...]rules.State{sMet: rules.StateMet, sMetLate: rules.StateMetLate, sPending: rules.StatePending,
	sOverdue: rules.StateOverdue, sViolated: rules.StateViolated, sUnknown: rules.StateUnknown}

func stateOf(s rules.State) state {
	for i, n := range stateNames {
		if n == s {
			return state(i)
		}
	}
	panic("alerts: unknown state " + string(s))
}

// State returns the rules.State s stands for.
func (s state) State() rules.State { return stateNames[s] }

type classKey struct {
	city    city
	class   uint8
	unknown bool // the case has a result that cannot be judged
}

// The classes of a case in the grouped list: something overdue, something
// pending and nothing overdue, only what cannot be judged; none is not
// listed.
const (
	classOverdue uint8 = iota
	classPending
	classUnknown
	classNone
)

// The dangers a group is ordered by, most endangering first (bits of
// liveCase.danger, the highest bit the gravest).
const (
	dangerIllTreatment uint8 = 1 << iota // ill-treatment alleged
	dangerJuvenile                       // under 18 at the arrest
	dangerWhereabouts                    // where the person is held is overdue
)

// liveCase is one case as judged: a detention, or a killing outside
// custody (casualty set).
type liveCase struct {
	key      string
	casualty bool
	city     city
	lo, hi   int64
	// states holds every result's rule and state, for the counts.
	states []ruleState
	open   []openItem
	group  groupItem
	class  uint8
	danger uint8
}

type ruleState struct {
	rule  uint16
	state state
}

// openItem is a result that needs attention: the pos-th result of its
// case's judgement.
type openItem struct {
	deadline int64 // 0 for unknown
	slot     uint32
	rule     uint16
	pos      uint16
	rank     uint8 // rules.State.Rank
	severity uint8 // rules.Severity.Rank
	state    state
	city     city
}

// groupItem is a case's place in the grouped list: class, then the
// gravest danger, then the longest without a judge, the longest overdue
// (k1, k2, earliest deadline first); pending groups by their first
// deadline.
type groupItem struct {
	class  uint8
	danger uint8
	k1, k2 int64
	slot   uint32
	city   city
	// unknown says the case also has a result that cannot be judged; it
	// plays no part in the order.
	unknown bool
}

type bound struct {
	t    int64
	slot uint32
}

func newLive(eng *rules.Engine) *live {
	l := &live{rules: eng.Rules(), index: map[*rules.Rule]uint16{}, ruleIDs: map[string]uint16{}}
	if len(l.rules) >= anyRule {
		panic("alerts: too many rules for a rule number")
	}
	for i, r := range l.rules {
		l.index[r], l.ruleIDs[r.ID] = uint16(i), uint16(i)
	}
	l.reset()
	return l
}

// reset empties the index.
func (l *live) reset() {
	l.built = false
	l.cases, l.slot, l.free = nil, map[string]uint32{}, nil
	lessBound := func(a, b bound) bool {
		if a.t != b.t {
			return a.t < b.t
		}
		return a.slot < b.slot
	}
	l.hi, l.lo = btree.NewG(32, lessBound), btree.NewG(32, lessBound)
	l.open = btree.NewG(32, l.lessOpen)
	l.groups = btree.NewG(32, l.lessGroup)
	l.counts, l.classes, l.detentions = map[countKey]int{}, map[classKey]int{}, [256]int{}
	l.due, l.groupsDue = map[dueKey]int{}, map[dueKey]int{}
	l.dirty, l.dirtyPersons, l.all = map[string]bool{}, map[string]bool{}, false
}

// lessOpen orders the flat list: ongoing violations first, the most
// severe rule first, the earliest deadline (the longest overdue, the
// soonest due) first; then by case and rule.
func (l *live) lessOpen(a, b openItem) bool {
	if a.rank != b.rank {
		return a.rank < b.rank
	}
	if a.severity != b.severity {
		return a.severity < b.severity
	}
	if a.deadline != b.deadline {
		return a.deadline < b.deadline
	}
	if a.slot == pivot || b.slot == pivot {
		return a.slot == pivot && b.slot != pivot
	}
	if a.slot != b.slot {
		return l.cases[a.slot].key < l.cases[b.slot].key
	}
	if a.rule != b.rule {
		return l.rules[a.rule].ID < l.rules[b.rule].ID
	}
	return a.pos < b.pos
}

func (l *live) lessGroup(a, b groupItem) bool {
	if a.class != b.class {
		return a.class < b.class
	}
	if a.danger != b.danger {
		return a.danger > b.danger
	}
	if a.k1 != b.k1 {
		return a.k1 < b.k1
	}
	if a.k2 != b.k2 {
		return a.k2 < b.k2
	}
	if a.slot == pivot || b.slot == pivot {
		return a.slot == pivot && b.slot != pivot
	}
	return l.cases[a.slot].key < l.cases[b.slot].key
}

// nanos is rules.Nanos: t in Unix nanoseconds, clamped.
func nanos(t time.Time) int64 { return rules.Nanos(t) }

// markDirty records that a change touched a case (a detention or a
// casualty's key). Call with w.mu held for writing.
func (l *live) markDirty(key string) {
	if l.built && key != "" {
		l.dirty[key] = true
	}
}

// liveAt brings the index to the moment at: every case whose judgement
// may differ there, or that a change touched, is judged again. Call with
// w.mu held (for reading) and w.live.mu held.
func (w *Watcher) liveAt(at time.Time) {
	l := w.live
	atN := nanos(at)
	var s scratch
	var buf []rules.Result
	if !l.built || l.all {
		l.reset()
		for id := range w.detentions {
			w.rejudge(id, at, &s, &buf)
		}
		for id, c := range w.casualties {
			if c.DetentionID == "" && c.Kind == habeas.CasualtyKilled {
				w.rejudge(id, at, &s, &buf)
			}
		}
		l.built, l.at = true, atN
		return
	}
	if len(l.dirtyPersons) > 0 {
		for id, cd := range w.detentions {
			if l.dirtyPersons[cd.personID] {
				l.dirty[id] = true
			}
		}
		clear(l.dirtyPersons)
	}
	for key := range l.dirty {
		w.rejudge(key, at, &s, &buf)
	}
	clear(l.dirty)
	var due []uint32
	l.hi.Ascend(func(b bound) bool {
		if b.t > atN {
			return false
		}
		due = append(due, b.slot)
		return true
	})
	l.lo.Descend(func(b bound) bool {
		if b.t <= atN {
			return false
		}
		due = append(due, b.slot)
		return true
	})
	for _, slot := range due {
		if c := &l.cases[slot]; c.key != "" && (c.hi <= atN || c.lo > atN) {
			w.rejudge(c.key, at, &s, &buf)
		}
	}
	l.at = atN
}

// rejudge judges one case again at the moment at, or drops it if it is
// gone. Call as liveAt.
func (w *Watcher) rejudge(key string, at time.Time, s *scratch, buf *[]rules.Result) {
	l := w.live
	slot, had := l.slot[key]
	if had {
		l.remove(slot)
	}
	var c *rules.Case
	var person *habeas.Person
	var arrest time.Time
	var bounds rules.Bounds
	if cd, ok := w.detentions[key]; ok {
		d := w.detention(cd, s)
		c = w.caseOf(d)
		person = c.Person
		arrest, _ = rules.ArrestTime(d, c.Sources)
		*buf, bounds = w.engine.AppendBounded((*buf)[:0], c, at)
	} else if cas, ok := w.casualties[key]; ok && cas.DetentionID == "" && cas.Kind == habeas.CasualtyKilled {
		c = w.casualtyCase(cas)
		*buf, bounds = w.engine.AppendCasualtyBounded((*buf)[:0], c.Casualties[0], at)
	} else {
		if had {
			l.free = append(l.free, slot)
			delete(l.slot, key)
		}
		return
	}
	if !had {
		if n := len(l.free); n > 0 {
			slot, l.free = l.free[n-1], l.free[:n-1]
		} else {
			slot = uint32(len(l.cases))
			l.cases = append(l.cases, liveCase{})
		}
		l.slot[key] = slot
	}
	lc := &l.cases[slot]
	*lc = liveCase{key: key, casualty: c.Detention == nil, city: cityIndex(c.City()), states: lc.states[:0], open: lc.open[:0]}
	lc.lo, lc.hi = bounds.From, bounds.To
	atN := nanos(at)
	judgeDue, firstOverdue, firstPending := int64(math.MaxInt64), int64(math.MaxInt64), int64(math.MaxInt64)
	for i, r := range *buf {
		ri := l.index[r.Rule]
		lc.states = append(lc.states, ruleState{rule: ri, state: stateOf(r.State)})
		var deadline int64
		switch r.State {
		case rules.StateOverdue, rules.StatePending:
			deadline = nanos(r.Deadline)
		case rules.StateUnknown:
		default:
			continue
		}
		lc.open = append(lc.open, openItem{rank: uint8(r.State.Rank()), severity: uint8(r.Rule.Severity.Rank()),
			deadline: deadline, slot: slot, rule: ri, pos: uint16(i), state: stateOf(r.State), city: lc.city})
		switch r.State {
		case rules.StateOverdue:
			firstOverdue = min(firstOverdue, deadline)
			if r.Rule.Safeguard == "judge" {
				judgeDue = min(judgeDue, deadline)
			}
			if r.Rule.Safeguard == "whereabouts" {
				lc.danger |= dangerWhereabouts
			}
		case rules.StatePending:
			firstPending = min(firstPending, deadline)
		}
	}
	if d := c.Detention; d != nil {
		if !arrest.IsZero() && habeas.AgeGroupAt(person, arrest, zoneOf(d.City)) == habeas.AgeJuvenile {
			lc.danger |= dangerJuvenile
		}
		for i := range d.Events {
			if e := &d.Events[i]; e.Type == habeas.EventIllTreatment && nanos(e.At) <= atN {
				lc.danger |= dangerIllTreatment
				break
			}
		}
	}
	switch {
	case firstOverdue != math.MaxInt64:
		lc.class = classOverdue
		lc.group = groupItem{class: classOverdue, danger: lc.danger, k1: judgeDue, k2: firstOverdue}
	case firstPending != math.MaxInt64:
		lc.class = classPending
		lc.group = groupItem{class: classPending, k1: firstPending}
	case len(lc.open) > 0:
		lc.class = classUnknown
		lc.group = groupItem{class: classUnknown, danger: lc.danger}
	default:
		lc.class = classNone
	}
	lc.group.slot, lc.group.city, lc.group.unknown = slot, lc.city, lc.classKey().unknown
	l.add(slot)
}

// add puts what a judged case contributes into the trees and counts.
func (l *live) add(slot uint32) {
	c := &l.cases[slot]
	l.hi.ReplaceOrInsert(bound{c.hi, slot})
	l.lo.ReplaceOrInsert(bound{c.lo, slot})
	for _, s := range c.states {
		l.counts[countKey{c.city, s.rule, s.state}]++
	}
	for _, it := range c.open {
		l.open.ReplaceOrInsert(it)
		if it.state == sPending {
			l.countDue(it, 1)
		}
	}
	if c.class != classNone {
		l.groups.ReplaceOrInsert(c.group)
	}
	if c.class == classPending {
		l.countGroupDue(c.group, 1)
	}
	l.classes[c.classKey()]++
	if !c.casualty {
		l.detentions[c.city]++
	}
}

// remove takes a case's contributions out, as add put them in.
func (l *live) remove(slot uint32) {
	c := &l.cases[slot]
	l.hi.Delete(bound{c.hi, slot})
	l.lo.Delete(bound{c.lo, slot})
	for _, s := range c.states {
		k := countKey{c.city, s.rule, s.state}
		if l.counts[k]--; l.counts[k] == 0 {
			delete(l.counts, k)
		}
	}
	for _, it := range c.open {
		l.open.Delete(it)
		if it.state == sPending {
			l.countDue(it, -1)
		}
	}
	if c.class != classNone {
		l.groups.Delete(c.group)
	}
	if c.class == classPending {
		l.countGroupDue(c.group, -1)
	}
	if k := c.classKey(); true {
		if l.classes[k]--; l.classes[k] == 0 {
			delete(l.classes, k)
		}
	}
	if !c.casualty {
		l.detentions[c.city]--
	}
	c.key = ""
}

// countDue adds n to the counts of a pending result by when it falls due:
// for its city and rule, its city, its rule, and all.
func (l *live) countDue(it openItem, n int) {
	b := bucketOf(it.deadline)
	for _, k := range [...]dueKey{{b, it.city, it.rule, false}, {b, it.city, anyRule, false}, {b, anyCity, it.rule, false}, {b, anyCity, anyRule, false}} {
		if l.due[k] += n; l.due[k] == 0 {
			delete(l.due, k)
		}
	}
}

// countGroupDue adds n to the counts of a group with only deadlines ahead
// by when its first falls due: for its city and all, apart for those that
// also have a result that cannot be judged.
func (l *live) countGroupDue(g groupItem, n int) {
	b := bucketOf(g.k1)
	for _, k := range [...]dueKey{{b, g.city, anyRule, g.unknown}, {b, anyCity, anyRule, g.unknown}} {
		if l.groupsDue[k] += n; l.groupsDue[k] == 0 {
			delete(l.groupsDue, k)
		}
	}
}

// zoneOf returns the zone of a city, UTC if unknown.
func zoneOf(city string) *time.Location {
	if c, ok := habeas.FindCity(city); ok {
		return c.Location()
	}
	return time.UTC
}

func (c *liveCase) classKey() classKey {
	k := classKey{city: c.city, class: c.class}
	for _, it := range c.open {
		k.unknown = k.unknown || it.state == sUnknown
	}
	return k
}
