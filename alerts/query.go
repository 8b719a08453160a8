package alerts

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/rules"
)

// Query selects alerts.
type Query struct {
	At time.Time // the moment of evaluation
	// Within includes pending deadlines that fall due within this long of At.
	Within time.Duration
	// Unknown includes rules that cannot be judged for want of a fact.
	Unknown bool
	City    string // empty: every city
	RuleID  string // empty: every rule
	// Detentions, when not nil, keeps only the alerts of the detentions
	// it names (a lawyer's clients), and none of killings outside
	// custody.
	Detentions []string
	// Offset skips that many alerts, in their order, and Limit caps the
	// number returned (0: no cap), for pages; Total in the report still
	// counts them all.
	Offset, Limit int
}

// Alert is one rule of one detention, or of one killing outside custody,
// that needs attention.
type Alert struct {
	DetentionID string // empty for a killing outside custody
	CasualtyID  string // set for a killing outside custody
	PersonID    string
	PersonName  string
	City        string
	Zone        string
	rules.Result
	Explanation string
	c           *rules.Case
}

// newAlert returns the alert for one result of a case: of a detention, or
// of a killing outside custody. The explanation is written later, and only
// for the alerts that are shown.
func newAlert(c *rules.Case, r rules.Result) Alert {
	a := Alert{City: c.City(), Result: r, c: c}
	if d := c.Detention; d != nil {
		a.PersonID, a.DetentionID = d.PersonID, d.ID
	} else {
		a.PersonID, a.CasualtyID = c.Casualties[0].Casualty.PersonID, c.Casualties[0].Casualty.ID
	}
	if ci, ok := habeas.FindCity(a.City); ok {
		a.Zone = ci.Zone
	}
	if p := c.Person; p != nil {
		a.PersonName = p.DisplayName()
	}
	return a
}

// ExplainIn is the alert's explanation in lang ("en", "ru" or "kk"), for
// readers of another language than the English of Explanation.
func (a Alert) ExplainIn(lang string) string { return rules.ExplainIn(a.Result, a.c, lang) }

// ExplainUnnamed is ExplainIn with every source named by its identifier
// alone, not its title, which may say who the source is: for readers of
// the register pseudonymised.
func (a Alert) ExplainUnnamed(lang string) string {
	c := *a.c
	c.Sources = nil
	return rules.ExplainIn(a.Result, &c, lang)
}

// Report is the answer to a query: the alerts, urgent first, and counts.
type Report struct {
	At     time.Time
	Alerts []Alert
	Total  int
	Tally
}

// Tally is how many results need attention under a query, by state, and
// how many detentions were evaluated.
type Tally struct {
	Overdue, DueSoon, Unknown int
	Detentions                int
}

// tally counts what the filter shows. Call as liveAt.
func (l *live) tally(f filter) Tally {
	if f.only != nil {
		return l.tallyOnly(f)
	}
	t := Tally{Detentions: l.detentionsIn(f), Overdue: l.count(f, sOverdue), DueSoon: l.dueSoon(f)}
	if f.unknown {
		t.Unknown = l.count(f, sUnknown)
	}
	return t
}

// tallyOnly is tally for a filter that names its cases: they are few (a
// lawyer's clients), so their results are counted one by one.
func (l *live) tallyOnly(f filter) Tally {
	var t Tally
	if f.none {
		return t
	}
	for slot := range f.only {
		c := &l.cases[slot]
		if f.city != anyCity && c.city != f.city {
			continue
		}
		t.Detentions++
		for _, it := range c.open {
			if !f.shows(it) {
				continue
			}
			switch it.state {
			case sOverdue:
				t.Overdue++
			case sPending:
				t.DueSoon++
			case sUnknown:
				t.Unknown++
			}
		}
	}
	return t
}

// read brings the live index up to the change log and to the moment at,
// and calls fn with it, locked.
func (w *Watcher) read(ctx context.Context, at time.Time, fn func(l *live) error) error {
	if err := w.Sync(ctx); err != nil {
		return err
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	l := w.live
	l.mu.Lock()
	defer l.mu.Unlock()
	w.liveAt(at)
	return fn(l)
}

// Alerts returns the results that need attention at q.At: ongoing
// violations first (the most severe rule, then the longest overdue), then
// deadlines falling due within q.Within (the most severe, then the
// soonest), then, if asked, what cannot be judged. It reads the live
// index (live.go), brought to q.At.
func (w *Watcher) Alerts(ctx context.Context, q Query) (*Report, error) {
	var rep *Report
	err := w.read(ctx, q.At, func(l *live) (err error) {
		rep, err = w.alerts(l, q)
		return err
	})
	return rep, err
}

func (w *Watcher) alerts(l *live, q Query) (*Report, error) {
	f := l.filter(q)
	rep := &Report{At: q.At, Tally: l.tally(f)}
	rep.Total = rep.Overdue + rep.DueSoon + rep.Unknown
	var page []openItem
	n, offset := 0, max(q.Offset, 0)
	if offset < rep.Total {
		l.open.Ascend(func(it openItem) bool {
			if !f.shows(it) {
				return true
			}
			if n >= offset {
				page = append(page, it)
			}
			n++
			return q.Limit <= 0 || len(page) < q.Limit
		})
	}
	var err error
	if rep.Alerts, err = w.alertsOf(page, q.At); err != nil {
		return nil, err
	}
	return rep, nil
}

// filter is a query as the index reads it.
type filter struct {
	city      city   // anyCity for every city
	rule      uint16 // anyRule for every rule
	at, until int64  // the moment, and the end of the span ahead asked for
	unknown   bool
	none      bool // a city or rule the index does not know: nothing matches
	// only, when not nil, holds the slots of the only cases shown.
	only map[uint32]bool
}

// filter compiles q. Call as liveAt.
func (l *live) filter(q Query) filter {
	at := nanos(q.At)
	f := filter{city: anyCity, rule: anyRule, at: at, until: addNanos(at, q.Within), unknown: q.Unknown}
	if q.City != "" {
		c, ok := cities[q.City]
		f.city, f.none = c, !ok
	}
	if q.RuleID != "" {
		r, ok := l.ruleIDs[q.RuleID]
		f.rule, f.none = r, f.none || !ok
	}
	if q.Detentions != nil {
		f.only = make(map[uint32]bool, len(q.Detentions))
		for _, id := range q.Detentions {
			if slot, ok := l.slot[id]; ok && !l.cases[slot].casualty {
				f.only[slot] = true
			}
		}
	}
	return f
}

// shows reports whether the filter shows an open result.
func (f filter) shows(it openItem) bool {
	if f.none || f.city != anyCity && it.city != f.city || f.rule != anyRule && it.rule != f.rule ||
		f.only != nil && !f.only[it.slot] {
		return false
	}
	switch it.state {
	case sPending:
		return it.deadline <= f.until
	case sUnknown:
		return f.unknown
	}
	return true
}

// addNanos returns at + d, saturated at the ends of int64.
func addNanos(at int64, d time.Duration) int64 {
	if d > 0 && at > math.MaxInt64-int64(d) {
		return math.MaxInt64
	}
	return at + int64(d)
}

// count returns how many results the filter's city and rule have in the
// state.
func (l *live) count(f filter, st state) int {
	if f.none {
		return 0
	}
	n := 0
	for k, v := range l.counts {
		if k.state == st && (f.city == anyCity || k.city == f.city) && (f.rule == anyRule || k.rule == f.rule) {
			n += v
		}
	}
	return n
}

// detentionsIn returns how many detentions the index holds in the
// filter's city.
func (l *live) detentionsIn(f filter) int {
	switch {
	case f.none && f.city == 0:
		return 0
	case f.city != anyCity:
		return l.detentions[f.city]
	}
	n := 0
	for _, v := range l.detentions {
		n += v
	}
	return n
}

// maxDueBuckets bounds the buckets summed for a span ahead; a longer span
// walks the results instead.
const maxDueBuckets = 60_000

// dueSoon counts the pending results the filter shows: those falling due
// by f.until. Every pending result falls due at or after f.at, so it sums
// the counts kept per bucket from the bucket of f.at up to the bucket of
// f.until, and walks the results of that last bucket alone.
func (l *live) dueSoon(f filter) int {
	if f.none || f.until < f.at {
		return 0
	}
	n, from := 0, int64(math.MinInt64)
	if b0, b1 := bucketOf(f.at), bucketOf(f.until); b1-b0 <= maxDueBuckets {
		for b := b0; b < b1; b++ {
			n += l.due[dueKey{bucket: b, city: f.city, rule: f.rule}]
		}
		from = b1 * dueBucket
	}
	// The flat order puts pending results by severity, then deadline: for
	// each severity, walk from the last bucket to f.until.
	rank := uint8(rules.StatePending.Rank())
	for sev := 0; sev <= math.MaxUint8; {
		next := -1
		l.open.AscendGreaterOrEqual(openItem{rank: rank, severity: uint8(sev), deadline: from, slot: pivot}, func(it openItem) bool {
			if it.rank != rank {
				return false
			}
			if it.severity != uint8(sev) {
				next = int(it.severity) // nothing of this severity left within
				return false
			}
			if it.deadline > f.until {
				next = sev + 1
				return false
			}
			if f.shows(it) {
				n++
			}
			return true
		})
		if next < 0 {
			break
		}
		sev = next
	}
	return n
}

// alertsOf judges the cases of a page's results again, at the moment the
// index holds (so alike), and returns each result as an alert with its
// explanation. Should the engine not give the result the index holds (a
// fact the index's bounds miss: a bug), it says so, and the index is
// rebuilt at the next read. Call as liveAt.
func (w *Watcher) alertsOf(items []openItem, at time.Time) ([]Alert, error) {
	type judged struct {
		c       *rules.Case
		results []rules.Result
	}
	l := w.live
	cases := map[uint32]judged{}
	out := make([]Alert, 0, len(items))
	for _, it := range items {
		j, ok := cases[it.slot]
		if !ok {
			j.c, j.results = w.judgeCase(l.cases[it.slot].key, at)
			cases[it.slot] = j
		}
		if int(it.pos) >= len(j.results) || j.results[it.pos].Rule != l.rules[it.rule] || j.results[it.pos].State != it.state.State() {
			l.all = true
			return nil, fmt.Errorf("alerts: the live index holds %s %s as %s, the engine judges otherwise; it will be rebuilt",
				l.cases[it.slot].key, l.rules[it.rule].ID, it.state.State())
		}
		a := newAlert(j.c, j.results[it.pos])
		a.Explanation = rules.Explain(a.Result, j.c)
		out = append(out, a)
	}
	return out, nil
}

// judgeCase builds the case for a detention or a killing outside custody
// in memory of its own, and judges it at the moment at. Call with w.mu
// held.
func (w *Watcher) judgeCase(key string, at time.Time) (*rules.Case, []rules.Result) {
	if cd, ok := w.detentions[key]; ok {
		c := w.caseOf(w.detention(cd, nil))
		return c, w.engine.Append(nil, c, at)
	}
	c := w.casualtyCase(w.casualties[key])
	return c, w.engine.AppendCasualty(nil, c.Casualties[0], at)
}

// RuleCount is how many detentions stand in each state of one rule.
type RuleCount struct {
	Rule   *rules.Rule
	States map[rules.State]int
	// Violations counts met late, overdue and violated together.
	Violations int
}

// Counts returns how many results of each rule stand in each state at the
// moment at, for reports, from the live index. Rules are in pack order.
func (w *Watcher) Counts(ctx context.Context, at time.Time) ([]RuleCount, error) {
	var counts []RuleCount
	err := w.read(ctx, at, func(l *live) error {
		counts = l.ruleCounts()
		return nil
	})
	return counts, err
}

// ruleCounts returns the counts per rule. Call as liveAt.
func (l *live) ruleCounts() []RuleCount {
	counts := make([]RuleCount, len(l.rules))
	for i, r := range l.rules {
		counts[i] = RuleCount{Rule: r, States: map[rules.State]int{}}
	}
	for k, n := range l.counts {
		rc := &counts[k.rule]
		rc.States[k.state.State()] += n
		if k.state.State().Violation() {
			rc.Violations += n
		}
	}
	return counts
}

// casualtyCase returns the case of a killing outside custody: the
// casualty with its investigations. Call with w.mu held.
func (w *Watcher) casualtyCase(cas *habeas.Casualty) *rules.Case {
	cc := rules.CasualtyCase{Casualty: cas}
	for _, id := range sortedKeys(w.invOf[cas.ID]) {
		cc.Investigations = append(cc.Investigations, w.investigations[id])
	}
	return &rules.Case{Person: w.persons[cas.PersonID], Casualties: []rules.CasualtyCase{cc}}
}
