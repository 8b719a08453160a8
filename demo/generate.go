// Package demo builds a fresh, deterministic synthetic scenario modelled on
// the crackdown in Kazakhstan in January 2022: detentions in every city the
// register knows, rich custody timelines with conflicting sources,
// casualties, investigations, lawyers and evidence, all in the proportions
// of the public figures (LEGAL.md, "January 2022 in figures") and none of
// it about a real person.
//
// The same Options always give the same records, identifiers included: the
// generator draws everything from PCG streams seeded from Options.Seed and
// never reads the clock. It writes only through habeas.RecordService.Apply,
// so every record passes the domain's validation and the store's reference
// checks; of Habeas it depends only on the domain package, names (to tell
// a name's script) and internal/synth (the random helpers it shares with
// the load generator).
package demo

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"
	_ "time/tzdata" // the zones load even on a host without zone files

	"github.com/habeas-project/habeas"
)

// Options controls the size and randomness of a scenario.
type Options struct {
	// Scale is the number of people detained; zero or less means 10000.
	// Casualties, lawyers and everything else scale with it, in the
	// proportions of January 2022 (about 9,900 detained).
	Scale int
	// Seed selects the scenario; zero means 2022.
	Seed int64
	// BatchSize is the number of mutations written in one transaction;
	// zero or less means 1000. Bulk loads into a fresh store go faster
	// with bigger batches, since random identifiers spread each batch's
	// index inserts over many pages.
	BatchSize int
	// Progress, when set, is called after each batch is written with the
	// number of cases (detentions and casualties outside custody) written
	// so far and the total.
	Progress func(done, total int)
}

// Summary counts the records Generate wrote, by kind.
type Summary struct {
	Persons        int // person records, duplicate reports included
	Sources        int // calls, lists, court registers, reports...
	Incidents      int // protests, clashes and operations
	Detentions     int // detention records: one per person detained plus one per duplicate report
	Casualties     int // Killed + Injured
	Killed         int // deaths in custody included
	Injured        int // injuries at arrest or in custody included
	Investigations int // of deaths and of allegations of ill-treatment
	Lawyers        int // the lawyers the organisation works with
	Assignments    int // a lawyer acting for a detainee
	Evidence       int // evidence metadata items
	Reports        int // duplicate person records: the same detainee reported again by another source, unlinked
	Cities         int // cities with at least one detention
}

const (
	defaultScale = 10000
	defaultSeed  = 2022
	defaultBatch = 1000
	chunkSize    = 200 // cases generated before their records are queued
)

// Generate builds the scenario described by opt and writes it to w with
// Apply, in batches of Options.BatchSize mutations, each in one transaction. The
// incidents and lawyers come first; then the cases, a few hundred at a
// time, each group in habeas.Kinds order (sources, persons, detentions,
// casualties, investigations, assignments, evidence), so that nothing is
// written before what it refers to. Generate expects an empty store, since
// identifiers depend only on opt. On error it returns what was written so
// far.
func Generate(ctx context.Context, w habeas.RecordService, opt Options) (Summary, error) {
	if opt.Scale <= 0 {
		opt.Scale = defaultScale
	}
	if opt.Seed == 0 {
		opt.Seed = defaultSeed
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = defaultBatch
	}
	g := &gen{
		ctx: ctx, w: w, opt: opt,
		r:         newRNG(opt.Seed, 0x6861626561732d64),
		side:      newRNG(opt.Seed, 0x6861626561732d73),
		force:     newRNG(opt.Seed, 0x6861626561732d66),
		ids:       newIDSource(opt.Seed),
		shared:    map[string]*habeas.Source{},
		incidents: map[string][]*habeas.Incident{},
		lawyersIn: map[string][]*habeas.Lawyer{},
		cities:    map[string]bool{},
		reports:   map[string]struct{}{},
	}
	cases := g.planDetentions()
	outside := g.planCasualties()
	g.total = len(cases) + len(outside)

	g.c = &chunk{}
	g.makeIncidents()
	g.makeLawyers()
	if err := g.queue(0); err != nil {
		return g.sum, err
	}
	for start := 0; start < len(cases); start += chunkSize {
		end := min(start+chunkSize, len(cases))
		for i := start; i < end; i++ {
			g.detentionCase(&cases[i])
		}
		if err := g.queue(end - start); err != nil {
			return g.sum, err
		}
	}
	for start := 0; start < len(outside); start += chunkSize {
		end := min(start+chunkSize, len(outside))
		for i := start; i < end; i++ {
			g.casualtyCase(&outside[i])
		}
		if err := g.queue(end - start); err != nil {
			return g.sum, err
		}
	}
	if err := g.flush(); err != nil {
		return g.sum, err
	}
	g.sum.Cities = len(g.cities)
	return g.sum, nil
}

// gen holds the state of one run.
type gen struct {
	ctx context.Context
	w   habeas.RecordService
	opt Options
	r   rng
	// side draws what was added to the scenario later (trial monitors'
	// checklists, the Minnesota Protocol's facts), from a stream of its
	// own, so that the rest of the scenario stays as it was for a seed.
	side rng
	// force draws the use-of-force accounts of casualties and what
	// allegations and hearings say of statements (issue 11, item 8), from
	// a third stream, so that the rest stays as it was for a seed.
	force rng
	ids   *idSource
	sum   Summary

	shared    map[string]*habeas.Source     // sources many records cite, by key
	incidents map[string][]*habeas.Incident // by city key and local date
	lawyers   []*habeas.Lawyer
	lawyersIn map[string][]*habeas.Lawyer // by city key
	cities    map[string]bool
	reports   map[string]struct{} // duplicate person records not yet written

	c       *chunk
	pending []habeas.Mutation
	total   int // cases
	queued  int // cases whose records are all queued
	written int // cases whose records are all written
}

// chunk collects the records of a few hundred cases by kind, so they can
// be written in dependency order.
type chunk struct {
	sources, persons, incidents, lawyers, detentions  []habeas.Entity
	casualties, investigations, assignments, evidence []habeas.Entity
}

// queue hands the chunk's records to the writer in habeas.Kinds order and
// starts a new chunk; cases is how many cases the chunk completes.
func (g *gen) queue(cases int) error {
	c := g.c
	g.c = &chunk{}
	byKind := map[habeas.Kind][]habeas.Entity{
		habeas.KindSource: c.sources, habeas.KindPerson: c.persons, habeas.KindIncident: c.incidents,
		habeas.KindLawyer: c.lawyers, habeas.KindDetention: c.detentions, habeas.KindCasualty: c.casualties,
		habeas.KindInvestigation: c.investigations, habeas.KindAssignment: c.assignments, habeas.KindEvidence: c.evidence,
	}
	for _, k := range habeas.Kinds {
		for _, e := range byKind[k] {
			g.pending = append(g.pending, habeas.Mutation{Op: habeas.OpCreate, Entity: e})
			if len(g.pending) >= g.opt.BatchSize {
				if err := g.flush(); err != nil {
					return err
				}
			}
		}
	}
	g.queued += cases
	return nil
}

// count adds a written record to the summary.
func (g *gen) count(e habeas.Entity) {
	switch e := e.(type) {
	case *habeas.Person:
		g.sum.Persons++
		if _, ok := g.reports[e.ID]; ok {
			g.sum.Reports++
			delete(g.reports, e.ID)
		}
	case *habeas.Source:
		g.sum.Sources++
	case *habeas.Incident:
		g.sum.Incidents++
	case *habeas.Detention:
		g.sum.Detentions++
		g.cities[e.City] = true
	case *habeas.Casualty:
		g.sum.Casualties++
		if e.Kind == habeas.CasualtyKilled {
			g.sum.Killed++
		} else {
			g.sum.Injured++
		}
	case *habeas.Investigation:
		g.sum.Investigations++
	case *habeas.Lawyer:
		g.sum.Lawyers++
	case *habeas.Assignment:
		g.sum.Assignments++
	case *habeas.Evidence:
		g.sum.Evidence++
	}
}

// flush writes the pending mutations in one transaction.
func (g *gen) flush() error {
	if err := g.ctx.Err(); err != nil {
		return err
	}
	if len(g.pending) > 0 {
		if _, err := g.w.Apply(g.ctx, g.pending); err != nil {
			return fmt.Errorf("demo: write batch: %w", err)
		}
		for _, m := range g.pending {
			g.count(m.Entity)
		}
		clear(g.pending)
		g.pending = g.pending[:0]
	}
	// Records are queued in order, so every case queued before the
	// current chunk is now written.
	if g.queued > g.written {
		g.written = g.queued
	}
	if g.opt.Progress != nil {
		g.opt.Progress(g.written, g.total)
	}
	return nil
}

// Planning.

// caseHead is what is decided about a detention before its timeline is
// drawn: enough to sort cases by time and to hit the target proportions.
type caseHead struct {
	city    *habeas.City
	plan    *cityPlan
	day     int
	at      time.Time // the de facto arrest, as the first report gives it
	proc    habeas.Procedure
	foreign bool
	death   bool // dies in custody
	injured bool // injured at arrest or in custody
	dups    int  // how many other sources report the same person again
}

// scaled returns figure × scale / 9,900 (the detentions of January 2022),
// rounded.
func scaled(figure float64, scale int) int {
	return int(math.Round(figure * float64(scale) / 9900))
}

// quotas divides n among weights by largest remainder, with at least one
// for each positive weight when n allows.
func quotas(n int, weights []int) []int {
	total, positive := 0, 0
	for _, w := range weights {
		total += w
		if w > 0 {
			positive++
		}
	}
	q := make([]int, len(weights))
	floor := 0
	if n >= positive {
		floor = 1
	}
	rest := n - floor*positive
	type rem struct {
		i int
		f float64
	}
	var rems []rem
	given := 0
	for i, w := range weights {
		if w == 0 {
			continue
		}
		exact := float64(rest) * float64(w) / float64(total)
		q[i] = floor + int(exact)
		given += q[i]
		rems = append(rems, rem{i, exact - math.Floor(exact)})
	}
	slices.SortStableFunc(rems, func(a, b rem) int {
		switch {
		case a.f > b.f:
			return -1
		case a.f < b.f:
			return 1
		}
		return a.i - b.i
	})
	for k := 0; given < n; k++ {
		q[rems[k%len(rems)].i]++
		given++
	}
	return q
}

func (g *gen) planDetentions() []caseHead {
	n := g.opt.Scale
	weights := make([]int, len(cityPlans))
	for i, p := range cityPlans {
		weights[i] = p.weight
	}
	var heads []caseHead
	for i, q := range quotas(n, weights) {
		p := &cityPlans[i]
		c, _ := habeas.FindCity(p.key)
		for j := 0; j < q; j++ {
			day := g.r.weighted(p.days[:])
			hours := hourWeights
			if day >= 8 && g.r.chance(0.6) {
				hours = nightRaids
			}
			h := caseHead{city: c, plan: p, day: day,
				at: local(c, day, g.r.weighted(hours), g.r.IntN(60), g.r.IntN(60))}
			h.proc = habeas.ProcedureAdministrative
			if pc := map[bool]float64{true: 0.25, false: 0.45}[day <= 7]; g.r.chance(pc) {
				h.proc = habeas.ProcedureCriminal
			}
			if g.r.chance(0.08) {
				h.dups = 1
				if g.r.chance(0.25) {
					h.dups = 2
				}
			}
			heads = append(heads, h)
		}
	}
	foreign := g.r.sample(n, max(3, scaled(30, n)))
	deaths := g.r.sample(n, g.deathsInCustody())
	injured := g.r.sample(n, g.injuredDetainees())
	for i := range heads {
		heads[i].foreign = foreign[i]
		heads[i].death = deaths[i]
		heads[i].injured = injured[i] && !deaths[i]
	}
	slices.SortStableFunc(heads, func(a, b caseHead) int { return a.at.Compare(b.at) })
	return heads
}

// The figures of January 2022, scaled to 9,900 detentions.
func (g *gen) killed() int   { return scaled(238, g.opt.Scale) }
func (g *gen) injuredN() int { return scaled(4350, g.opt.Scale) }

func (g *gen) deathsInCustody() int {
	if g.killed() < 3 {
		return 0
	}
	return max(1, int(math.Round(float64(g.opt.Scale)*0.0005)))
}

func (g *gen) injuredDetainees() int { return int(math.Round(float64(g.injuredN()) * 0.1)) }

// casualtyHead is a death or injury outside custody.
type casualtyHead struct {
	kind     habeas.CasualtyKind
	city     *habeas.City
	plan     *cityPlan
	at       time.Time
	security bool // a member of the security forces
}

// violence weighs the days of January 2022 by how much shooting there was.
var violence = [20]int{0, 0, 1, 1, 4, 10, 10, 8, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}

func (g *gen) planCasualties() []casualtyHead {
	killed := g.killed() - g.deathsInCustody()
	injured := g.injuredN() - g.injuredDetainees()
	security := int(math.Round(float64(g.killed()) * 0.08))
	if g.killed() >= 5 {
		security = max(security, 1)
	}
	security = min(security, killed)
	killedW := make([]int, len(cityPlans))
	injuredW := make([]int, len(cityPlans))
	for i, p := range cityPlans {
		killedW[i] = p.killed
		injuredW[i] = p.weight
	}
	var heads []casualtyHead
	add := func(kind habeas.CasualtyKind, weights []int, n int) {
		for i, q := range quotas(n, weights) {
			if weights[i] == 0 {
				continue
			}
			p := &cityPlans[i]
			c, _ := habeas.FindCity(p.key)
			var dw [20]int
			for d := range dw {
				dw[d] = p.days[d] * violence[d]
			}
			for j := 0; j < q; j++ {
				day := g.r.weighted(dw[:])
				at := local(c, day, g.r.weighted(hourWeights), g.r.IntN(60), 0)
				heads = append(heads, casualtyHead{kind: kind, city: c, plan: p, at: at})
			}
		}
	}
	add(habeas.CasualtyKilled, killedW, killed)
	add(habeas.CasualtyInjured, injuredW, injured)
	for _, i := range g.r.Perm(killed)[:security] {
		heads[i].security = true
	}
	slices.SortStableFunc(heads, func(a, b casualtyHead) int { return a.at.Compare(b.at) })
	return heads
}
