package alerts

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/habeas-project/habeas"
)

// OverdueDetention is a detention with at least one safeguard overdue: the
// queue habeas.QueueOverdue.
type OverdueDetention struct {
	// Detention is the detention without its events or what else the
	// watcher does not keep (slim.go): read the record from the store to
	// show it.
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
//
// The whole queue is kept for the last few (change log, moment, filter)
// asked, so that turning its pages, or counting it beside the list, does
// not judge every detention again; callers that judge "now" should round
// the moment (to the minute, say) to profit from it.
func (w *Watcher) Overdue(ctx context.Context, f habeas.DetentionFilter, at time.Time) ([]OverdueDetention, int, error) {
	if err := w.Sync(ctx); err != nil {
		return nil, 0, err
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	key := overdueKey{seq: w.seq, at: at.UnixNano(), filter: filterKey(f)}
	out, ok := w.overdue.get(key)
	if !ok {
		out = w.judgeOverdue(f, at)
		w.overdue.put(key, out)
	}
	total := len(out)
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	out = out[min(max(f.Offset, 0), total):]
	return slices.Clone(out[:min(limit, len(out))]), total, nil
}

// judgeOverdue returns every detention that passes f with a result
// overdue at the moment at, the longest overdue first, from the live
// index. Call with w.mu held.
func (w *Watcher) judgeOverdue(f habeas.DetentionFilter, at time.Time) []OverdueDetention {
	l := w.live
	l.mu.Lock()
	defer l.mu.Unlock()
	w.liveAt(at)
	var out []OverdueDetention
	var s scratch
	var overdue []openItem
	l.groups.Ascend(func(g groupItem) bool {
		if g.class != classOverdue {
			return false
		}
		lc := &l.cases[g.slot]
		cd, ok := w.detentions[lc.key]
		if !ok || !f.Match(w.detention(cd, &s)) {
			return true
		}
		overdue = overdue[:0]
		for _, it := range lc.open {
			if it.state == sOverdue {
				overdue = append(overdue, it)
			}
		}
		sort.SliceStable(overdue, func(i, j int) bool { return overdue[i].deadline < overdue[j].deadline })
		od := OverdueDetention{Detention: w.header(cd), Overdue: len(overdue), Longest: max(at.Sub(time.Unix(0, overdue[0].deadline)), 0)}
		for _, it := range overdue {
			if sg := l.rules[it.rule].Safeguard; !slices.Contains(od.Safeguards, sg) {
				od.Safeguards = append(od.Safeguards, sg)
			}
		}
		out = append(out, od)
		return true
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].Longest != out[j].Longest {
			return out[i].Longest > out[j].Longest
		}
		return out[i].Detention.ID < out[j].Detention.ID
	})
	return out
}

// overdueCacheSize is how many overdue queues the watcher keeps: a few
// users looking at a few filters at once. Each holds one entry per
// detention overdue, which the detentions themselves outweigh.
const overdueCacheSize = 4

// overdueCache keeps the last overdue queues judged, most recent first.
// An entry holds for one state of the change log, one moment and one
// filter, so it is never stale: a write moves the sequence on.
type overdueCache struct {
	mu      sync.Mutex
	entries []overdueEntry
}

type overdueKey struct {
	seq    int64
	at     int64
	filter string
}

type overdueEntry struct {
	key  overdueKey
	list []OverdueDetention
}

func (c *overdueCache) get(k overdueKey) ([]OverdueDetention, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.entries {
		if e.key == k {
			copy(c.entries[1:i+1], c.entries[:i])
			c.entries[0] = e
			return e.list, true
		}
	}
	return nil, false
}

func (c *overdueCache) put(k overdueKey, list []OverdueDetention) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = slices.DeleteFunc(c.entries, func(e overdueEntry) bool { return e.key.seq != k.seq }) // older states are dead
	c.entries = slices.Insert(c.entries, 0, overdueEntry{k, list})
	if len(c.entries) > overdueCacheSize {
		c.entries = c.entries[:overdueCacheSize]
	}
}

// filterKey writes the filters of f that Overdue reads, its page aside.
func filterKey(f habeas.DetentionFilter) string {
	s := func(p *string) string {
		if p == nil {
			return "-"
		}
		return *p
	}
	t := func(p *time.Time) string {
		if p == nil {
			return "-"
		}
		return p.UTC().Format(time.RFC3339Nano)
	}
	proc, status := "-", "-"
	if f.Procedure != nil {
		proc = string(*f.Procedure)
	}
	if f.Status != nil {
		status = string(*f.Status)
	}
	return fmt.Sprintf("%q %q %q %q %s %s", s(f.PersonID), s(f.City), proc, status, t(f.From), t(f.To))
}
