// Package dedup keeps the review queue of possible duplicate persons: the
// pairs of person records that package linkage finds may report one
// person, that no caseworker has decided yet, most informative first,
// each with the matcher's explanation. A caseworker's decision is a
// habeas.Identity record ("same person" or "different people"), written
// like any other record; the queue only reads them. Persons are never
// rewritten or merged in place, so deleting an Identity undoes a decision.
//
// A Queue follows the change log, as package alerts does, so it sees every
// write from any server or import, and keeps persons and identities in
// memory. It relinks all persons when they have changed, at most every
// Options.MinInterval.
//
// It depends on the domain's service interfaces and on the pure packages
// linkage and names; it knows nothing of SQL or HTTP.
package dedup

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/linkage"
)

// DefaultMinInterval is the least time between two runs of the matcher
// unless Options say otherwise: a burst of intake relinks the register
// once every few seconds, not on every write.
const DefaultMinInterval = 5 * time.Second

// Options tune a Queue. The zero value uses the defaults.
type Options struct {
	// Link tunes the matcher. Its ReviewLow (default 0.2) is the floor of
	// the queue: pairs less likely than that are not proposed. Its
	// ReviewHigh (default 0.98) separates the uncertain band from the
	// pairs the matcher is nearly sure of, which are proposed too, after
	// the band: every merge needs a human. AgeReference is set by the
	// queue from the persons' stated ages.
	Link linkage.Options
	// MinInterval is the least time between two runs of the matcher
	// (default DefaultMinInterval). Negative: relink whenever a person
	// has changed, as tests want.
	MinInterval time.Duration
}

// Band says where a candidate's probability lies.
type Band string

// Values of Band.
const (
	// BandUncertain: within [ReviewLow, ReviewHigh], the matcher cannot tell.
	BandUncertain Band = "uncertain"
	// BandLikely: above ReviewHigh; the matcher is nearly sure, a
	// caseworker confirms.
	BandLikely Band = "likely"
)

// Candidate is a pair of person records that may report one person.
type Candidate struct {
	A, B *habeas.Person // A has the smaller identifier
	// Probability and Weight (log2 odds, in bits) are the matcher's, as
	// the explanation computes them from the persons' current state.
	Probability float64
	Weight      float64
	Band        Band
	Explanation linkage.Explanation
}

// Status says what the queue's last run of the matcher saw.
type Status struct {
	Persons  int           // live persons now
	Linked   int           // persons the last run compared
	LinkedAt time.Time     // when the last run finished; zero before the first
	Took     time.Duration // how long it ran
	// Pending reports whether persons have changed since the last run;
	// the next call after MinInterval relinks.
	Pending bool
	Stats   linkage.Stats
}

// scored is a pair the last run proposed.
type scored struct {
	pair
	w float64
}

// run is the result of one run of the matcher.
type run struct {
	seq   int64 // the log position of the persons it saw
	at    time.Time
	took  time.Duration
	n     int
	ref   time.Time // the age reference of its records
	model *linkage.Model
	stats linkage.Stats
	pairs []scored // most informative first
}

// Queue is the review queue. It is safe for concurrent use.
type Queue struct {
	changes  habeas.ChangeService
	opt      linkage.Options
	interval time.Duration

	syncMu sync.Mutex // one sync at a time
	runMu  sync.Mutex // one run of the matcher at a time
	mu     sync.RWMutex
	seq    int64 // the last change read; only Sync, under syncMu, touches it
	// personSeq is the last change to a person: a run that saw it is
	// current.
	personSeq  int64
	persons    map[string]*habeas.Person
	identities map[string]*habeas.Identity
	// decisions holds, per person, every Identity that ever named it,
	// undone ones included, so a person's history can show them.
	decisions map[string][]string
	judged    *judgements
	run       *run
}

// New returns a queue over the change log. Nothing is read until the
// first call.
func New(changes habeas.ChangeService, opt Options) *Queue {
	q := &Queue{changes: changes, opt: opt.Link, interval: opt.MinInterval,
		persons: map[string]*habeas.Person{}, identities: map[string]*habeas.Identity{}, decisions: map[string][]string{}}
	if q.interval == 0 {
		q.interval = DefaultMinInterval
	}
	q.judged = newJudgements(q.identities)
	return q
}

// Sync reads every change since the last sync. Decisions count at once:
// a pair judged a moment ago is never proposed again, whatever the
// matcher's last run.
func (q *Queue) Sync(ctx context.Context) error {
	q.syncMu.Lock()
	defer q.syncMu.Unlock()
	_, err := habeas.Follow(ctx, q.changes, q.seq, func(page []*habeas.Change) error {
		q.mu.Lock()
		defer q.mu.Unlock()
		identities := false
		for _, c := range page {
			if err := q.apply(c); err != nil {
				return fmt.Errorf("change %d: %w", c.Seq, err)
			}
			q.seq = c.Seq
			identities = identities || c.Kind == habeas.KindIdentity
		}
		if identities {
			q.judged = newJudgements(q.identities)
		}
		return nil
	})
	return err
}

// apply records one change. Call with q.mu held.
func (q *Queue) apply(c *habeas.Change) error {
	switch c.Kind {
	case habeas.KindPerson:
		q.personSeq = c.Seq
		delete(q.persons, c.ID)
	case habeas.KindIdentity:
		delete(q.identities, c.ID)
	default:
		return nil
	}
	if c.Op == habeas.OpDelete || c.Erased || c.Op == habeas.OpErase {
		return nil // an erased person is no one's duplicate
	}
	e, err := c.Entity()
	if err != nil {
		return err
	}
	switch e := e.(type) {
	case *habeas.Person:
		q.persons[e.ID] = e
	case *habeas.Identity:
		q.identities[e.ID] = e
		for _, p := range []string{e.PersonA, e.PersonB} {
			if !slices.Contains(q.decisions[p], e.ID) {
				q.decisions[p] = append(q.decisions[p], e.ID)
			}
		}
	}
	return nil
}

// Refresh brings the queue up to date with the log, running the matcher
// if any person has changed since its last run, however recent that was.
// The server calls it at start so that the first page is quick.
func (q *Queue) Refresh(ctx context.Context) error { return q.update(ctx, true) }

// update syncs and, if persons have changed since the last run, relinks:
// always when force is set or there has been no run, otherwise only when
// the last run is older than the interval.
func (q *Queue) update(ctx context.Context, force bool) error {
	if err := q.Sync(ctx); err != nil {
		return err
	}
	q.runMu.Lock()
	defer q.runMu.Unlock()
	q.mu.RLock()
	r, seq := q.run, q.personSeq
	q.mu.RUnlock()
	switch {
	case r != nil && r.seq >= seq:
		return nil // current
	case r != nil && !force && q.interval > 0 && time.Since(r.at) < q.interval:
		return nil // recent enough
	}
	return q.link()
}

// link runs the matcher over every person. Call with q.runMu held.
func (q *Queue) link() error {
	start := time.Now()
	q.mu.RLock()
	seq := q.personSeq
	ref := ageReference(q.persons)
	recs := make([]linkage.Record, 0, len(q.persons))
	for _, p := range q.persons {
		recs = append(recs, record(p, ref))
	}
	q.mu.RUnlock()

	r := &run{seq: seq, n: len(recs), ref: ref}
	if len(recs) >= 2 {
		opt := q.opt
		opt.AgeReference = ref
		res, err := linkage.Link(recs, opt)
		if err != nil {
			return fmt.Errorf("link persons: %w", err)
		}
		r.model, r.stats = res.Model, res.Stats
		r.pairs = proposals(recs, res, opt)
	}
	r.took = time.Since(start)
	r.at = time.Now()
	q.mu.Lock()
	q.run = r
	q.mu.Unlock()
	return nil
}

// proposals returns the pairs a run proposes, most informative first:
// the uncertain band (Result.Review), then the pairs above it. Link
// lists only the band; a pair above it scored above the merge threshold,
// so its two records share a cluster, and every pair within a cluster
// is scored to find them.
func proposals(recs []linkage.Record, res *linkage.Result, opt linkage.Options) []scored {
	seen := map[pair]bool{}
	var out []scored
	add := func(a, b string, w float64) {
		p := newPair(a, b)
		if !seen[p] {
			seen[p] = true
			out = append(out, scored{p, w})
		}
	}
	for _, p := range res.Review {
		add(p.A, p.B, p.Weight)
	}
	high := opt.ReviewHigh
	if high == 0 {
		high = linkage.DefaultReviewHigh
	}
	above := float64(float32(math.Log2(high / (1 - high)))) // Link compares float32 weights
	clusters := map[string][]int{}
	for i, c := range res.Clusters {
		clusters[c] = append(clusters[c], i)
	}
	var sub []linkage.Record
	var groups [][]int // indexes into sub
	for _, members := range clusters {
		if len(members) < 2 || len(members) > maxClusterScan {
			continue
		}
		g := make([]int, len(members))
		for k, i := range members {
			g[k] = len(sub)
			sub = append(sub, recs[i])
		}
		groups = append(groups, g)
	}
	if len(sub) > 0 {
		s := linkage.NewScorer(res.Model, sub)
		for _, g := range groups {
			for x, i := range g {
				for _, j := range g[x+1:] {
					if w := s.Weight(i, j); w > above {
						add(sub[i].ID, sub[j].ID, w)
					}
				}
			}
		}
	}
	// Most informative first: the weight closest to 0 (probability
	// closest to one half). Every pair in the band is nearer to 0 than
	// every pair above it, so the band comes first.
	slices.SortFunc(out, func(x, y scored) int {
		if c := cmp.Compare(math.Abs(x.w), math.Abs(y.w)); c != 0 {
			return c
		}
		if c := cmp.Compare(x.a, y.a); c != 0 {
			return c
		}
		return cmp.Compare(x.b, y.b)
	})
	return out
}

// maxClusterScan bounds the clusters whose every pair is scored. Clusters
// are small (cannot-link keeps people with different IINs, sexes or
// birth years apart); a larger one still has its band pairs proposed.
const maxClusterScan = 100

// Pairs returns a page of the pairs awaiting a decision, most informative
// first, and how many there are: every pair the matcher gives at least
// the floor (ReviewLow), the uncertain band first (probability closest to
// one half first), then the pairs above the band (the least certain
// first). A pair is left out once it is settled: an Identity names it,
// "same person" decisions already join the two, or their groups were
// judged different people. limit <= 0 means every pair.
func (q *Queue) Pairs(ctx context.Context, offset, limit int) ([]Candidate, int, error) {
	if offset < 0 {
		return nil, 0, habeas.Errorf(habeas.EINVALID, "offset %d is negative", offset)
	}
	if err := q.update(ctx, false); err != nil {
		return nil, 0, err
	}
	q.mu.RLock()
	defer q.mu.RUnlock()
	r := q.run
	total := 0
	var page []pair
	for _, p := range r.pairs {
		if q.persons[p.a] == nil || q.persons[p.b] == nil || q.judged.settled(p.a, p.b) {
			continue
		}
		if total >= offset && (limit <= 0 || len(page) < limit) {
			page = append(page, p.pair)
		}
		total++
	}
	out := make([]Candidate, len(page))
	for i, p := range page {
		out[i] = q.candidate(r, q.persons[p.a], q.persons[p.b])
	}
	return out, total, nil
}

// candidate explains a pair with the run's model. Call with q.mu held.
func (q *Queue) candidate(r *run, a, b *habeas.Person) Candidate {
	if b.ID < a.ID {
		a, b = b, a
	}
	e := r.model.Explain(record(a, r.ref), record(b, r.ref))
	c := Candidate{A: a, B: b, Probability: e.Probability, Weight: e.Weight, Explanation: e, Band: BandUncertain}
	high := q.opt.ReviewHigh
	if high == 0 {
		high = linkage.DefaultReviewHigh
	}
	if e.Probability > high {
		c.Band = BandLikely
	}
	return c
}

// Explain returns the matcher's view of two persons, for a decision to
// keep as its evidence.
func (q *Queue) Explain(ctx context.Context, a, b string) (Candidate, error) {
	if a == b {
		return Candidate{}, habeas.Errorf(habeas.EINVALID, "a person cannot be compared with itself")
	}
	if err := q.update(ctx, false); err != nil {
		return Candidate{}, err
	}
	q.mu.RLock()
	stale := q.run.model == nil
	q.mu.RUnlock()
	if stale {
		// The last run saw fewer than two persons, so there is no model.
		if err := q.Refresh(ctx); err != nil {
			return Candidate{}, err
		}
	}
	q.mu.RLock()
	defer q.mu.RUnlock()
	pa, pb := q.persons[a], q.persons[b]
	for _, p := range []struct {
		id string
		p  *habeas.Person
	}{{a, pa}, {b, pb}} {
		if p.p == nil {
			return Candidate{}, habeas.Errorf(habeas.ENOTFOUND, "person %s not found", p.id)
		}
	}
	if q.run.model == nil {
		return Candidate{}, habeas.Errorf(habeas.ENOTFOUND, "person %s or %s not found", a, b)
	}
	return q.candidate(q.run, pa, pb), nil
}

// Settled reports whether a caseworker has already answered for two
// persons: an Identity names the pair, "same person" decisions join them,
// or their groups were judged different people.
func (q *Queue) Settled(ctx context.Context, a, b string) (bool, error) {
	if err := q.Sync(ctx); err != nil {
		return false, err
	}
	q.mu.RLock()
	defer q.mu.RUnlock()
	return q.judged.settled(a, b), nil
}

// Cluster returns the persons that "same person" decisions join with
// personID, directly or through others, personID included, sorted. A
// person no decision joins is alone in its cluster.
func (q *Queue) Cluster(ctx context.Context, personID string) ([]string, error) {
	if err := q.Sync(ctx); err != nil {
		return nil, err
	}
	q.mu.RLock()
	defer q.mu.RUnlock()
	return q.judged.cluster(personID), nil
}

// Decisions returns the identifiers of every Identity that has named the
// person, in the order they were first recorded, undone ones included: a
// decision's history stays after it is undone, and the person's page
// shows it.
func (q *Queue) Decisions(ctx context.Context, personID string) ([]string, error) {
	if err := q.Sync(ctx); err != nil {
		return nil, err
	}
	q.mu.RLock()
	defer q.mu.RUnlock()
	return slices.Clone(q.decisions[personID]), nil
}

// Status returns what the last run of the matcher saw.
func (q *Queue) Status() Status {
	q.mu.RLock()
	defer q.mu.RUnlock()
	s := Status{Persons: len(q.persons), Pending: q.run == nil || q.run.seq < q.personSeq}
	if r := q.run; r != nil {
		s.Linked, s.LinkedAt, s.Took, s.Stats = r.n, r.at, r.took, r.stats
	}
	return s
}
