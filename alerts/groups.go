package alerts

import (
	"context"
	"math"
	"slices"
	"time"
)

// ActionOrder is the order of what a coordinator does for a detainee, by
// safeguard: find where they are, get them before a judge, get them a
// lawyer, tell the family, the consulate, a doctor; then the record, the
// term and the investigations. A group's alerts come in this order, so
// its first is the next action. Safeguards a pack adds that are not here
// come last.
var ActionOrder = []string{"whereabouts", "judge", "lawyer", "family", "consular", "medical", "protocol", "term", "investigation"}

// The dangers a group is ordered by, gravest first.
const (
	DangerWhereabouts  = "whereabouts_unknown"   // where the person is held is overdue
	DangerJuvenile     = "juvenile"              // under 18 at the arrest
	DangerIllTreatment = "ill_treatment_alleged" // an allegation of ill-treatment is on record
)

// Group is one detention, or one killing outside custody, with the
// results a query shows of it, the next action first.
type Group struct {
	DetentionID, CasualtyID, PersonID, PersonName, City, Zone string
	// Dangers says what makes the person's situation grave, gravest
	// first (DangerWhereabouts, DangerJuvenile, DangerIllTreatment).
	Dangers []string
	Alerts  []Alert
}

// GroupReport is the answer to a query by detainee: one group per
// detention with something to show, the most endangered first, and the
// counts of results as in Report.
type GroupReport struct {
	At     time.Time
	Groups []Group
	// Total is how many groups the query shows in all.
	Total int
	Tally
}

// Groups answers q by detainee: one group per detention (or killing
// outside custody) with a result q shows; first those with something
// overdue, the most endangered first (where they are unknown, then
// juveniles, then ill-treatment alleged), then the longest without a
// judge, the longest overdue; then those with only deadlines ahead, the
// soonest first; then, if asked, those that only cannot be judged. Each
// group's alerts come in ActionOrder. Offset and Limit count groups.
func (w *Watcher) Groups(ctx context.Context, q Query) (*GroupReport, error) {
	var rep *GroupReport
	err := w.read(ctx, q.At, func(l *live) (err error) {
		rep, err = w.groups(l, q)
		return err
	})
	return rep, err
}

func (w *Watcher) groups(l *live, q Query) (*GroupReport, error) {
	f := l.filter(q)
	rep := &GroupReport{At: q.At, Tally: l.tally(f)}
	// Without a rule or cases chosen the total comes from the counts kept;
	// with one, from the walk, which then goes through every group.
	counted := q.RuleID == "" && f.only == nil
	if counted {
		rep.Total = l.groupTotal(f)
	}
	var page []uint32
	n, offset := 0, max(q.Offset, 0)
	if counted {
		l.groups.Ascend(func(g groupItem) bool {
			if !l.groupShows(g, f) {
				return true
			}
			if n >= offset {
				page = append(page, g.slot)
			}
			n++
			return q.Limit <= 0 || len(page) < q.Limit
		})
	} else {
		// A group's place is by all its results; shown only one rule's,
		// those with that rule overdue come first, then pending, then
		// unknown, each in the order of the groups.
		var shown [3][]uint32
		l.groups.Ascend(func(g groupItem) bool {
			if c := l.shownClass(g, f); c < classNone {
				shown[c] = append(shown[c], g.slot)
			}
			return true
		})
		all := slices.Concat(shown[0], shown[1], shown[2])
		rep.Total = len(all)
		all = all[min(offset, len(all)):]
		if q.Limit > 0 && len(all) > q.Limit {
			all = all[:q.Limit]
		}
		page = all
	}
	for _, slot := range page {
		lc := &l.cases[slot]
		var items []openItem
		for _, it := range lc.open {
			if f.shows(it) {
				items = append(items, it)
			}
		}
		slices.SortStableFunc(items, func(a, b openItem) int {
			if a, b := actionRank(l.rules[a.rule].Safeguard), actionRank(l.rules[b.rule].Safeguard); a != b {
				return a - b
			}
			if a.rank != b.rank {
				return int(a.rank) - int(b.rank)
			}
			if a.deadline != b.deadline {
				if a.deadline < b.deadline {
					return -1
				}
				return 1
			}
			return int(a.pos) - int(b.pos)
		})
		as, err := w.alertsOf(items, q.At)
		if err != nil {
			return nil, err
		}
		a := as[0]
		g := Group{DetentionID: a.DetentionID, CasualtyID: a.CasualtyID, PersonID: a.PersonID, PersonName: a.PersonName,
			City: a.City, Zone: a.Zone, Alerts: as}
		for _, d := range []struct {
			bit  uint8
			name string
		}{{dangerWhereabouts, DangerWhereabouts}, {dangerJuvenile, DangerJuvenile}, {dangerIllTreatment, DangerIllTreatment}} {
			if lc.danger&d.bit != 0 {
				g.Dangers = append(g.Dangers, d.name)
			}
		}
		rep.Groups = append(rep.Groups, g)
	}
	return rep, nil
}

// actionRank is the place of a safeguard in ActionOrder.
func actionRank(safeguard string) int {
	if i := slices.Index(ActionOrder, safeguard); i >= 0 {
		return i
	}
	return len(ActionOrder)
}

// groupShows reports whether the filter shows a case: it is in the
// filter's city and has a result the filter shows. Call as liveAt.
func (l *live) groupShows(g groupItem, f filter) bool {
	if f.none || f.city != anyCity && g.city != f.city {
		return false
	}
	for _, it := range l.cases[g.slot].open {
		if f.shows(it) {
			return true
		}
	}
	return false
}

// shownClass returns the class of a case by the results the filter shows
// of it: classOverdue if one is overdue, classPending if one is pending,
// classUnknown if one cannot be judged, classNone if it shows none. Call
// as liveAt.
func (l *live) shownClass(g groupItem, f filter) uint8 {
	c := classNone
	if f.none || f.city != anyCity && g.city != f.city {
		return c
	}
	for _, it := range l.cases[g.slot].open {
		if !f.shows(it) {
			continue
		}
		switch it.state {
		case sOverdue:
			c = classOverdue
		case sPending:
			c = min(c, classPending)
		default:
			c = min(c, classUnknown)
		}
	}
	return c
}

// groupTotal counts the groups the filter shows when it names no rule:
// every case with something overdue; those with only deadlines ahead
// whose first falls due by f.until (the counts kept per bucket, and a
// walk over the last bucket); and, if the filter asks for what cannot be
// judged, every other case with such a result. Call as liveAt.
func (l *live) groupTotal(f filter) int {
	if f.none {
		return 0
	}
	class := func(c uint8, unknown bool) int {
		n := 0
		for k, v := range l.classes {
			if k.class == c && k.unknown == unknown && (f.city == anyCity || k.city == f.city) {
				n += v
			}
		}
		return n
	}
	total := class(classOverdue, false) + class(classOverdue, true)
	within, withinUnknown := 0, 0
	from := int64(math.MinInt64)
	if b0, b1 := bucketOf(f.at), bucketOf(f.until); f.until >= f.at && b1-b0 <= maxDueBuckets {
		for b := b0; b < b1; b++ {
			u := l.groupsDue[dueKey{bucket: b, city: f.city, rule: anyRule, unknown: true}]
			within += l.groupsDue[dueKey{bucket: b, city: f.city, rule: anyRule}] + u
			withinUnknown += u
		}
		from = b1 * dueBucket
	}
	l.groups.AscendGreaterOrEqual(groupItem{class: classPending, k1: from, slot: pivot}, func(g groupItem) bool {
		if g.class != classPending || g.k1 > f.until {
			return false
		}
		if f.city == anyCity || g.city == f.city {
			within++
			if g.unknown {
				withinUnknown++
			}
		}
		return true
	})
	total += within
	if f.unknown {
		total += class(classPending, true) - withinUnknown + class(classUnknown, true)
	}
	return total
}
