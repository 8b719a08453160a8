package alerts

import (
	"context"
	"sort"
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

// Report is the answer to a query: the alerts, urgent first, and counts.
type Report struct {
	At      time.Time
	Alerts  []Alert
	Total   int
	Overdue int
	DueSoon int
	Unknown int
	// Detentions is how many detentions were evaluated.
	Detentions int
}

// Alerts evaluates every detention at q.At and returns those results that
// need attention: ongoing violations first (the most severe rule, then the
// longest overdue), then deadlines falling due within q.Within (soonest
// first), then, if asked, what cannot be judged.
func (w *Watcher) Alerts(ctx context.Context, q Query) (*Report, error) {
	if err := w.Sync(ctx); err != nil {
		return nil, err
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	rep := &Report{At: q.At}
	var buf []rules.Result
	w.eachCase(q.At, func(c *rules.Case, results []rules.Result, keep func() *rules.Case) {
		if q.City != "" && c.City() != q.City {
			return
		}
		if c.Detention != nil {
			rep.Detentions++
		}
		for _, r := range results {
			if q.RuleID != "" && r.Rule.ID != q.RuleID {
				continue
			}
			switch {
			case r.State == rules.StateOverdue:
				rep.Overdue++
			case r.State == rules.StatePending && r.By <= q.Within:
				rep.DueSoon++
			case r.State == rules.StateUnknown && q.Unknown:
				rep.Unknown++
			default:
				continue
			}
			rep.Alerts = append(rep.Alerts, newAlert(keep(), r))
		}
	}, &buf)
	sortAlerts(rep.Alerts)
	rep.Total = len(rep.Alerts)
	rep.Alerts = rep.Alerts[min(max(q.Offset, 0), len(rep.Alerts)):]
	if q.Limit > 0 && len(rep.Alerts) > q.Limit {
		rep.Alerts = rep.Alerts[:q.Limit]
	}
	// Explanations are written only for the alerts returned.
	for i := range rep.Alerts {
		rep.Alerts[i].Explanation = rules.Explain(rep.Alerts[i].Result, rep.Alerts[i].c)
	}
	return rep, nil
}

// sortAlerts puts ongoing violations first, most severe rule first, the
// longest overdue first; then pending, soonest first; then unknown.
func sortAlerts(as []Alert) {
	sort.Slice(as, func(i, j int) bool {
		a, b := as[i], as[j]
		if a.State.Rank() != b.State.Rank() {
			return a.State.Rank() < b.State.Rank()
		}
		if ra, rb := a.Rule.Severity.Rank(), b.Rule.Severity.Rank(); ra != rb {
			return ra < rb
		}
		if a.By != b.By {
			if a.State == rules.StateOverdue {
				return a.By > b.By
			}
			return a.By < b.By
		}
		if a.DetentionID+a.CasualtyID != b.DetentionID+b.CasualtyID {
			return a.DetentionID+a.CasualtyID < b.DetentionID+b.CasualtyID
		}
		return a.Rule.ID < b.Rule.ID
	})
}

// RuleCount is how many detentions stand in each state of one rule.
type RuleCount struct {
	Rule   *rules.Rule
	States map[rules.State]int
	// Violations counts met late, overdue and violated together.
	Violations int
}

// Counts evaluates every detention at the moment at and counts the states
// of each rule, for reports. Rules are in pack order.
func (w *Watcher) Counts(ctx context.Context, at time.Time) ([]RuleCount, error) {
	if err := w.Sync(ctx); err != nil {
		return nil, err
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	index := map[*rules.Rule]int{}
	counts := make([]RuleCount, len(w.engine.Rules()))
	for i, r := range w.engine.Rules() {
		index[r] = i
		counts[i] = RuleCount{Rule: r, States: map[rules.State]int{}}
	}
	var buf []rules.Result
	w.eachCase(at, func(_ *rules.Case, results []rules.Result, _ func() *rules.Case) {
		for _, r := range results {
			rc := &counts[index[r.Rule]]
			rc.States[r.State]++
			if r.State.Violation() {
				rc.Violations++
			}
		}
	}, &buf)
	return counts, nil
}

// eachCase evaluates every detention, then every killing outside custody,
// at the moment at, and calls fn with each case and its results. The case
// and results are valid only during the call (buf is reused for the
// results, and the memory of detentions is reused too); keep returns a
// copy of the case that fn may keep. Call with w.mu held.
func (w *Watcher) eachCase(at time.Time, fn func(c *rules.Case, results []rules.Result, keep func() *rules.Case), buf *[]rules.Result) {
	var s scratch
	for _, cd := range w.detentions {
		c := w.caseOf(w.detention(cd, &s))
		var kept *rules.Case
		keep := func() *rules.Case {
			if kept == nil {
				kept = w.caseOf(w.detention(cd, nil))
			}
			return kept
		}
		*buf = w.engine.Append((*buf)[:0], c, at)
		fn(c, *buf, keep)
	}
	for _, cas := range w.casualties {
		if cas.DetentionID != "" || cas.Kind != habeas.CasualtyKilled {
			continue // deaths in custody are evaluated with their detention
		}
		cc := rules.CasualtyCase{Casualty: cas}
		for _, id := range sortedKeys(w.invOf[cas.ID]) {
			cc.Investigations = append(cc.Investigations, w.investigations[id])
		}
		c := &rules.Case{Person: w.persons[cas.PersonID], Casualties: []rules.CasualtyCase{cc}}
		*buf = w.engine.AppendCasualty((*buf)[:0], cc, at)
		fn(c, *buf, func() *rules.Case { return c })
	}
}
