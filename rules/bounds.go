package rules

import (
	"math"
	"time"
)

// Bounds is the stretch of time around a moment over which a case's
// judgement holds: at every moment from From (inclusive) to To
// (exclusive) every rule of the case stands in the same state, against
// the same deadline; only how long is left or overdue moves. A judgement
// changes only when one of the case's facts comes to have happened (each
// counts from its time: an event, an investigation opened, a casualty) or
// just after a deadline passes, a deadline of a clock the results no
// longer show included (a window superseded by a transfer that would turn
// overdue). Bounds are in Unix nanoseconds; math.MinInt64 and
// math.MaxInt64 stand for no bound.
//
// The live alerts index (package alerts) keeps each case's judgement for
// its bounds, and judges it again only once a moment outside them is
// asked for.
type Bounds struct {
	From, To int64
	at       int64
}

func newBounds(at time.Time) *Bounds {
	return &Bounds{From: math.MinInt64, To: math.MaxInt64, at: Nanos(at)}
}

// see notes t, the first moment of a judgement that may differ.
func (b *Bounds) see(t int64) {
	if t <= b.at {
		b.From = max(b.From, t)
	} else {
		b.To = min(b.To, t)
	}
}

// fact notes the time a fact happened: from then on it counts.
func (b *Bounds) fact(t time.Time) {
	if b != nil && !t.IsZero() {
		b.see(Nanos(t))
	}
}

// deadline notes a deadline: a rule not met is pending at it, overdue
// just after.
func (b *Bounds) deadline(t time.Time) {
	if n := Nanos(t); b != nil && !t.IsZero() && n < math.MaxInt64 {
		b.see(n + 1)
	}
}

// Nanos returns t in Unix nanoseconds, the zero time and times beyond
// what an int64 holds clamped to its ends.
func Nanos(t time.Time) int64 {
	switch {
	case t.IsZero() || t.Before(minNanos):
		return math.MinInt64
	case t.After(maxNanos):
		return math.MaxInt64
	}
	return t.UnixNano()
}

var (
	minNanos = time.Unix(0, math.MinInt64+1)
	maxNanos = time.Unix(0, math.MaxInt64-1)
)

// AppendBounded is Append, and also returns the bounds of the judgement.
func (e *Engine) AppendBounded(buf []Result, c *Case, at time.Time) ([]Result, Bounds) {
	b := newBounds(at)
	f := newFacts(c, at)
	f.bounds = b
	n := len(buf)
	for _, r := range e.rules {
		buf = e.evaluate(buf, r, c, &f, at)
	}
	for i := range c.Detention.Events {
		b.fact(c.Detention.Events[i].At)
	}
	b.caseFacts(c, buf[n:])
	return buf, *b
}

// AppendCasualtyBounded is AppendCasualty, and also returns the bounds of
// the judgement.
func (e *Engine) AppendCasualtyBounded(buf []Result, cc CasualtyCase, at time.Time) ([]Result, Bounds) {
	b := newBounds(at)
	n := len(buf)
	buf = e.AppendCasualty(buf, cc, at)
	b.caseFacts(&Case{Casualties: []CasualtyCase{cc}}, buf[n:])
	return buf, *b
}

// caseFacts notes the times of a case's investigations and casualties,
// and the deadlines of its results.
func (b *Bounds) caseFacts(c *Case, results []Result) {
	for _, inv := range c.Investigations {
		b.fact(inv.Opened)
	}
	for _, cc := range c.Casualties {
		b.fact(cc.Casualty.At)
		for _, inv := range cc.Investigations {
			b.fact(inv.Opened)
		}
	}
	for i := range results {
		b.deadline(results[i].Deadline)
		if d := results[i].Doubt; d != nil {
			b.deadline(d.Deadline)
		}
	}
}
