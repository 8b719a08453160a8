package alerts

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/rules"
)

// OverdueDetention is a detention with at least one safeguard overdue: the
// queue habeas.QueueOverdue.
type OverdueDetention struct {
	Detention *habeas.Detention
	// Overdue counts the results that are overdue; Longest is how long the
	// most overdue of them has been.
	Overdue int
	Longest time.Duration
	// Safeguards names the safeguards overdue, each once, in the order of
	// the longest overdue first.
	Safeguards []string
}

// Overdue evaluates the detentions that match f (city, procedure, status,
// arrest range and person; its queue and page aside) at the moment at, and
// returns the page f asks for of those with at least one result overdue,
// the longest overdue first, with how many there are in all. Ongoing
// violations only: a safeguard met late, or never met before a death, is
// a violation on record but nothing a caseworker can still act on.
func (w *Watcher) Overdue(ctx context.Context, f habeas.DetentionFilter, at time.Time) ([]OverdueDetention, int, error) {
	if err := w.Sync(ctx); err != nil {
		return nil, 0, err
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	var out []OverdueDetention
	var buf []rules.Result
	for _, d := range w.detentions {
		if !matches(d, f) {
			continue
		}
		buf = w.engine.Append(buf[:0], w.caseOf(d), at)
		var od OverdueDetention
		var longest []rules.Result
		for _, r := range buf {
			if r.State == rules.StateOverdue {
				longest = append(longest, r)
			}
		}
		if len(longest) == 0 {
			continue
		}
		sort.SliceStable(longest, func(i, j int) bool { return longest[i].By > longest[j].By })
		od = OverdueDetention{Detention: d, Overdue: len(longest), Longest: longest[0].By}
		for _, r := range longest {
			if !slices.Contains(od.Safeguards, r.Rule.Safeguard) {
				od.Safeguards = append(od.Safeguards, r.Rule.Safeguard)
			}
		}
		out = append(out, od)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Longest != out[j].Longest {
			return out[i].Longest > out[j].Longest
		}
		return out[i].Detention.ID < out[j].Detention.ID
	})
	total := len(out)
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	out = out[min(max(f.Offset, 0), total):]
	return out[:min(limit, len(out))], total, nil
}

// matches reports whether d passes the filters of f other than its queue.
func matches(d *habeas.Detention, f habeas.DetentionFilter) bool {
	if f.PersonID != nil && d.PersonID != *f.PersonID ||
		f.City != nil && d.City != *f.City ||
		f.Procedure != nil && d.Procedure != *f.Procedure {
		return false
	}
	if f.From != nil || f.To != nil {
		t := d.ArrestedAt()
		if f.From != nil && t.Before(*f.From) || f.To != nil && !t.Before(*f.To) {
			return false
		}
	}
	return f.Status == nil || d.Status() == *f.Status
}
