package alerts

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/demo"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/rules"
	"github.com/habeas-project/habeas/sqlite"
)

// TestLiveIndexJudgesAsTheEngine moves one watcher's live index through
// moments forward and back, small steps across deadlines and large jumps,
// with writes between them (events added, birth dates found, sources
// downgraded, investigations opened, records deleted), and checks at each
// moment that what it answers is what judging every case afresh gives:
// every result that needs attention with its state and deadline, the
// counts per rule, and the overdue queue. A fact or deadline the index
// misses as a bound of a judgement's interval fails here.
func TestLiveIndexJudgesAsTheEngine(t *testing.T) {
	ctx := context.Background()
	w, db := demoWatcher(t, demo.Options{Scale: 250, Seed: 11})
	rng := rand.New(rand.NewPCG(11, 7)) // fixed before any result was seen
	at := time.Date(2022, 1, 5, 0, 0, 0, 0, time.UTC)
	var moments []time.Time
	for range 40 { // small steps through the first days, across many deadlines
		at = at.Add(time.Duration(rng.IntN(240)) * time.Minute)
		moments = append(moments, at)
	}
	moments = append(moments,
		time.Date(2022, 1, 6, 3, 0, 0, 0, time.UTC), // back
		time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC), // far ahead
		time.Date(2022, 1, 8, 6, 0, 0, 0, time.UTC), // back again
		time.Date(2021, 12, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2022, 1, 8, 6, 0, 0, 1, time.UTC),
	)
	for i, at := range moments {
		if i%5 == 4 {
			write(t, ctx, db, rng, at)
		}
		if err := w.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		q := Query{At: at, Within: 24 * time.Hour, Unknown: true}
		rep, err := w.Alerts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		got := make([]string, len(rep.Alerts))
		for i, a := range rep.Alerts {
			got[i] = alertLine(a.DetentionID+a.CasualtyID, a.Result)
		}
		want, wantCounts := judgeAll(w, at, q)
		if rep.Total != len(want) || rep.Overdue+rep.DueSoon+rep.Unknown != rep.Total {
			t.Errorf("at %s: total %d (%d+%d+%d), a fresh judgement gives %d", at, rep.Total, rep.Overdue, rep.DueSoon, rep.Unknown, len(want))
		}
		slices.Sort(got)
		if d := diffLines(got, want); d != "" {
			t.Fatalf("at %s (step %d) the live index differs from the engine:\n%s", at, i, d)
		}
		counts, err := w.Counts(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		for _, rc := range counts {
			for st, n := range rc.States {
				if wantCounts[rc.Rule.ID+" "+string(st)] != n {
					t.Errorf("at %s: %s %s counted %d, want %d", at, rc.Rule.ID, st, n, wantCounts[rc.Rule.ID+" "+string(st)])
				}
			}
		}
		queue, n, err := w.Overdue(ctx, habeas.DetentionFilter{Page: habeas.Page{Limit: 1 << 20}}, at)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, od := range queue {
			ids = append(ids, od.Detention.ID)
		}
		slices.Sort(ids)
		if n != len(ids) || !slices.Equal(ids, overdueIDs(want)) {
			t.Errorf("at %s: overdue queue of %d detentions, a fresh judgement gives %d:\n%s", at, n, len(overdueIDs(want)), diffLines(ids, overdueIDs(want)))
		}
		checkGroups(t, w, q, want)
		checkGroups(t, w, Query{At: at, Within: 6 * time.Hour}, nil)
		checkGroups(t, w, Query{At: at, Within: 6 * time.Hour, RuleID: "international.judge-48h", Unknown: true}, nil)
		// Paging and filters give the same results as the whole list.
		city := rep.Alerts[len(rep.Alerts)/2].City
		whole, err := w.Alerts(ctx, Query{At: at, Within: 24 * time.Hour, City: city})
		if err != nil {
			t.Fatal(err)
		}
		var paged []Alert
		for off := 0; ; off += 7 {
			p, err := w.Alerts(ctx, Query{At: at, Within: 24 * time.Hour, City: city, Offset: off, Limit: 7})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != whole.Total {
				t.Fatalf("page at %d counts %d, the whole list %d", off, p.Total, whole.Total)
			}
			if len(p.Alerts) == 0 {
				break
			}
			paged = append(paged, p.Alerts...)
		}
		if len(paged) != len(whole.Alerts) || len(paged) != whole.Total {
			t.Fatalf("pages of 7 gave %d alerts, the whole list %d of %d", len(paged), len(whole.Alerts), whole.Total)
		}
		for i := range paged {
			if a, b := paged[i], whole.Alerts[i]; a.DetentionID != b.DetentionID || a.Rule != b.Rule || a.Subject != b.Subject {
				t.Fatalf("alert %d: paged %s %s, whole %s %s", i, a.DetentionID, a.Rule.ID, b.DetentionID, b.Rule.ID)
			}
			if paged[i].City != city {
				t.Fatalf("city filter %s let through %s", city, paged[i].City)
			}
		}
	}
}

// checkGroups checks the list by detainee against the flat list of the
// same query (and, when want is given, against a fresh judgement): the
// same results, each case once, in pages that add up, the cases with
// something overdue first, the most endangered first among them, each
// group's alerts in ActionOrder.
func checkGroups(t *testing.T, w *Watcher, q Query, want []string) {
	t.Helper()
	ctx := context.Background()
	flat, err := w.Alerts(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	all, err := w.Groups(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if all.Overdue != flat.Overdue || all.DueSoon != flat.DueSoon || all.Unknown != flat.Unknown {
		t.Errorf("groups count %d/%d/%d results, the flat list %d/%d/%d", all.Overdue, all.DueSoon, all.Unknown, flat.Overdue, flat.DueSoon, flat.Unknown)
	}
	var lines, flatLines []string
	seen := map[string]bool{}
	for i, g := range all.Groups {
		key := g.DetentionID + g.CasualtyID
		if seen[key] {
			t.Fatalf("%s listed twice", key)
		}
		seen[key] = true
		for j, a := range g.Alerts {
			lines = append(lines, alertLine(key, a.Result))
			if j > 0 && actionRank(a.Rule.Safeguard) < actionRank(g.Alerts[j-1].Rule.Safeguard) {
				t.Errorf("%s: %s after %s", key, a.Rule.Safeguard, g.Alerts[j-1].Rule.Safeguard)
			}
		}
		if i > 0 {
			prev, cur := groupOverdue(all.Groups[i-1]), groupOverdue(g)
			if cur && !prev {
				t.Errorf("%s has something overdue and comes after %s, which has not", key, all.Groups[i-1].DetentionID)
			}
			if cur && prev && dangerRank(g) > dangerRank(all.Groups[i-1]) {
				t.Errorf("%s (%v) comes after %s (%v)", key, g.Dangers, all.Groups[i-1].DetentionID, all.Groups[i-1].Dangers)
			}
		}
	}
	if all.Total != len(all.Groups) {
		t.Errorf("groups total %d, listed %d", all.Total, len(all.Groups))
	}
	for _, a := range flat.Alerts {
		flatLines = append(flatLines, alertLine(a.DetentionID+a.CasualtyID, a.Result))
	}
	slices.Sort(lines)
	slices.Sort(flatLines)
	if d := diffLines(lines, flatLines); d != "" {
		t.Fatalf("groups and the flat list differ:\n%s", d)
	}
	if want != nil {
		if d := diffLines(lines, want); d != "" {
			t.Fatalf("groups and a fresh judgement differ:\n%s", d)
		}
	}
	var paged []string
	for off := 0; off < all.Total+5; off += 9 {
		p, err := w.Groups(ctx, Query{At: q.At, Within: q.Within, Unknown: q.Unknown, City: q.City, RuleID: q.RuleID, Offset: off, Limit: 9})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != all.Total {
			t.Fatalf("page at %d counts %d groups, the whole list %d", off, p.Total, all.Total)
		}
		for _, g := range p.Groups {
			paged = append(paged, g.DetentionID+g.CasualtyID)
		}
	}
	var whole []string
	for _, g := range all.Groups {
		whole = append(whole, g.DetentionID+g.CasualtyID)
	}
	if !slices.Equal(paged, whole) {
		t.Fatalf("pages of 9 groups differ from the whole list")
	}
}

func groupOverdue(g Group) bool {
	return slices.ContainsFunc(g.Alerts, func(a Alert) bool { return a.State == rules.StateOverdue })
}

// dangerRank is higher for a graver situation, as the groups are ordered.
func dangerRank(g Group) int {
	n := 0
	for _, d := range g.Dangers {
		n |= map[string]int{DangerWhereabouts: 4, DangerJuvenile: 2, DangerIllTreatment: 1}[d]
	}
	return n
}

// demoWatcher returns a watcher with the built-in packs over a demo
// register in a real SQLite store, closed when the test ends.
func demoWatcher(tb testing.TB, opts demo.Options) (*Watcher, *sqlstore.DB) {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := demo.Generate(ctx, db, opts); err != nil {
		tb.Fatal(err)
	}
	packs, err := rules.DefaultPacks()
	if err != nil {
		tb.Fatal(err)
	}
	eng, err := rules.NewEngine(packs...)
	if err != nil {
		tb.Fatal(err)
	}
	return New(eng, db), db
}

// judgeAll judges every case afresh at the moment at, as the index would
// answer q without a page: the results that need attention, as sorted
// lines, and the count of every rule and state.
func judgeAll(w *Watcher, at time.Time, q Query) ([]string, map[string]int) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	var lines []string
	counts := map[string]int{}
	add := func(key string, results []rules.Result) {
		for _, r := range results {
			counts[r.Rule.ID+" "+string(r.State)]++
			switch {
			case r.State == rules.StateOverdue,
				r.State == rules.StatePending && r.Deadline.Sub(at) <= q.Within,
				r.State == rules.StateUnknown && q.Unknown:
				lines = append(lines, alertLine(key, r))
			}
		}
	}
	for id := range w.detentions {
		c, results := w.judgeCase(id, at)
		_ = c
		add(id, results)
	}
	for id, cas := range w.casualties {
		if cas.DetentionID == "" && cas.Kind == habeas.CasualtyKilled {
			_, results := w.judgeCase(id, at)
			add(id, results)
		}
	}
	slices.Sort(lines)
	return lines, counts
}

// overdueIDs returns the detentions with a result overdue among lines
// of judgeAll.
func overdueIDs(lines []string) []string {
	var ids []string
	for _, l := range lines {
		if f := strings.Fields(l); strings.HasPrefix(f[0], "det") && f[3] == string(rules.StateOverdue) && !slices.Contains(ids, f[0]) {
			ids = append(ids, f[0])
		}
	}
	slices.Sort(ids)
	return ids
}

func alertLine(key string, r rules.Result) string {
	s := fmt.Sprintf("%s %s %q %s %s by %s", key, r.Rule.ID, r.Subject, r.State, r.Deadline.UTC().Format(time.RFC3339Nano), r.By)
	if r.Doubt != nil {
		s += fmt.Sprintf(" doubt %s %s", r.Doubt.State, r.Doubt.By)
	}
	return s
}

func diffLines(got, want []string) string {
	var b strings.Builder
	g, wn := map[string]bool{}, map[string]bool{}
	for _, s := range got {
		g[s] = true
	}
	for _, s := range want {
		wn[s] = true
	}
	n := 0
	for _, s := range got {
		if !wn[s] && n < 10 {
			fmt.Fprintf(&b, "  only in the index:  %s\n", s)
			n++
		}
	}
	for _, s := range want {
		if !g[s] && n < 20 {
			fmt.Fprintf(&b, "  only in the engine: %s\n", s)
			n++
		}
	}
	return b.String()
}

// write makes one change of the kinds that move judgements: an event
// added at the moment at, a birth date found, a source downgraded, an
// investigation opened, a detention deleted.
func write(t *testing.T, ctx context.Context, db habeas.RecordService, rng *rand.Rand, at time.Time) {
	t.Helper()
	page, _, err := db.FindByKind(ctx, habeas.KindDetention, habeas.Page{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	d := page[rng.IntN(len(page))].(*habeas.Detention)
	switch rng.IntN(5) {
	case 0: // a court appearance recorded now
		d.Events = append(d.Events, habeas.Event{Type: habeas.EventCourtAppearance, At: at, Sources: d.Sources[:1],
			Decision: &habeas.Decision{Kind: habeas.DecisionCustody, Days: 60}})
		must(t, db.Update(ctx, d))
	case 1: // the birth date found: a juvenile
		e, err := db.Find(ctx, habeas.KindPerson, d.PersonID)
		must(t, err)
		p := e.(*habeas.Person)
		p.Birth = habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "2005-03-01"}
		must(t, db.Update(ctx, p))
	case 2: // the source of the arrest graded improbable
		e, err := db.Find(ctx, habeas.KindSource, d.Sources[0])
		must(t, err)
		s := e.(*habeas.Source)
		s.Reliability, s.Credibility = "E", 5
		must(t, db.Update(ctx, s))
	case 3: // an allegation, and an investigation of it opened later
		d.Events = append(d.Events, habeas.Event{Type: habeas.EventIllTreatment, At: at.Add(-time.Hour), Sources: d.Sources[:1],
			Allegation: &habeas.Allegation{}})
		must(t, db.Update(ctx, d))
		e, err := db.Find(ctx, habeas.KindDetention, d.ID)
		must(t, err)
		d = e.(*habeas.Detention)
		last := d.Events[len(d.Events)-1]
		for _, ev := range d.Events {
			if ev.Type == habeas.EventIllTreatment && ev.At.Equal(at.Add(-time.Hour)) {
				last = ev
			}
		}
		must(t, db.Create(ctx, &habeas.Investigation{DetentionID: d.ID, AllegationEventID: last.ID, Authority: "prosecutor", Opened: at.Add(time.Hour),
			Status: habeas.InvestigationOpen, Sources: d.Sources[:1]}))
	case 4: // a detention withdrawn
		if err := db.Delete(ctx, habeas.KindDetention, d.ID); err != nil && habeas.ErrorCode(err) != habeas.ECONFLICT {
			t.Fatal(err)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestLiveIndexUnderConcurrentUse reads the index from several goroutines
// at moments moving forward and back while another writes, and then
// checks it against a fresh judgement. Run with -race, it checks the
// locking too.
func TestLiveIndexUnderConcurrentUse(t *testing.T) {
	ctx := context.Background()
	w, db := demoWatcher(t, demo.Options{Scale: 120, Seed: 3})
	base := time.Date(2022, 1, 6, 0, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 30 {
				at := base.Add(time.Duration((g*7+i*13)%96) * time.Hour)
				q := Query{At: at, Within: 24 * time.Hour, Unknown: i%2 == 0, Limit: 10}
				var err error
				switch i % 4 {
				case 0:
					_, err = w.Alerts(ctx, q)
				case 1:
					_, err = w.Groups(ctx, q)
				case 2:
					_, err = w.Counts(ctx, at)
				default:
					_, _, err = w.Overdue(ctx, habeas.DetentionFilter{}, at)
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	rng := rand.New(rand.NewPCG(3, 3))
	for i := range 12 {
		write(t, ctx, db, rng, base.Add(time.Duration(i)*6*time.Hour))
	}
	wg.Wait()
	at := base.Add(50 * time.Hour)
	q := Query{At: at, Within: 24 * time.Hour, Unknown: true}
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := w.Alerts(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range rep.Alerts {
		got = append(got, alertLine(a.DetentionID+a.CasualtyID, a.Result))
	}
	slices.Sort(got)
	want, _ := judgeAll(w, at, q)
	if d := diffLines(got, want); d != "" {
		t.Fatalf("after concurrent use the index differs from the engine:\n%s", d)
	}
}
