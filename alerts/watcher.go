// Package alerts keeps the safeguard clocks of every detention current and
// answers what is overdue, what falls due soon, and what cannot be judged
// for want of a fact. It follows the change log (so it sees every write,
// from any server or import), builds each detention's case from what it
// read, and asks the rules engine.
//
// It depends on the domain's service interfaces and the rules package; it
// knows nothing of SQL or HTTP.
package alerts

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/rules"
)

// grade is what the engine needs of a source.
type grade struct {
	title       string // "" for a restricted source
	reliability string
	credibility int
	restricted  bool
}

// Watcher follows the change log and evaluates detentions on demand. It is
// safe for concurrent use.
type Watcher struct {
	engine  *rules.Engine
	changes habeas.ChangeService

	syncMu sync.Mutex // one sync at a time
	mu     sync.RWMutex
	seq    int64 // the last change applied; only Sync, under syncMu, touches it

	detentions     map[string]*detention // compact (slim.go)
	strs           *strtab               // the detentions' repeated strings
	persons        map[string]*habeas.Person
	sources        map[string]grade
	investigations map[string]*habeas.Investigation
	casualties     map[string]*habeas.Casualty
	// indexes from a detention or casualty to what refers to it
	invOf map[string]map[string]bool // detention or casualty id -> investigation ids
	casOf map[string]map[string]bool // detention id -> casualty ids

	overdue overdueCache // the last overdue queues judged (overdue.go)
	live    *live        // every case judged, kept current (live.go)
}

// New returns a watcher over the change log; call Sync before use.
func New(engine *rules.Engine, changes habeas.ChangeService) *Watcher {
	return &Watcher{
		engine: engine, changes: changes,
		detentions: map[string]*detention{}, strs: newStrtab(), persons: map[string]*habeas.Person{},
		sources: map[string]grade{}, investigations: map[string]*habeas.Investigation{},
		casualties: map[string]*habeas.Casualty{},
		invOf:      map[string]map[string]bool{}, casOf: map[string]map[string]bool{},
		live: newLive(engine),
	}
}

// Engine returns the rules engine the watcher uses.
func (w *Watcher) Engine() *rules.Engine { return w.engine }

// Sync reads every change since the last sync. Each request calls it, so
// what a caseworker sees is never behind a write that has been acknowledged.
func (w *Watcher) Sync(ctx context.Context) error {
	// Most requests find nothing new: one cheap look at the last sequence,
	// taken without the sync lock, so that concurrent requests do not
	// queue behind each other's reads of the log.
	last, err := w.changes.LastSeq(ctx)
	if err != nil {
		return fmt.Errorf("last change: %w", err)
	}
	w.mu.RLock()
	seen := w.seq
	w.mu.RUnlock()
	if last <= seen {
		return nil
	}
	w.syncMu.Lock()
	defer w.syncMu.Unlock()
	_, err = habeas.Follow(ctx, w.changes, w.seq, func(page []*habeas.Change) error {
		w.mu.Lock()
		defer w.mu.Unlock()
		for _, c := range page {
			if err := w.apply(c); err != nil {
				return fmt.Errorf("change %d: %w", c.Seq, err)
			}
			w.seq = c.Seq
		}
		return nil
	})
	return err
}

func (w *Watcher) apply(c *habeas.Change) error {
	switch c.Kind {
	case habeas.KindDetention, habeas.KindPerson, habeas.KindSource, habeas.KindInvestigation, habeas.KindCasualty:
	default:
		return nil
	}
	w.touch(c.Kind, c.ID) // what the entity was linked to
	w.forget(c.Kind, c.ID)
	if c.Op == habeas.OpDelete || c.Erased { // an erased state: its erasure follows
		return nil
	}
	e, err := c.Entity()
	if err != nil {
		return err
	}
	defer w.touch(c.Kind, c.ID) // what it is linked to now
	switch e := e.(type) {
	case *habeas.Detention:
		w.detentions[e.ID] = w.compact(e)
	case *habeas.Person:
		w.persons[e.ID] = slimPerson(e)
	case *habeas.Source:
		g := grade{title: e.Title, reliability: intern(e.Reliability), credibility: e.Credibility}
		if e.Confidentiality == habeas.ConfidentialityRestricted { // named by its identifier alone
			g.title, g.restricted = "", true
		}
		w.sources[e.ID] = g
	case *habeas.Investigation:
		w.investigations[e.ID] = e
		link(w.invOf, subject(e), e.ID)
	case *habeas.Casualty:
		e = slimCasualty(e)
		w.casualties[e.ID] = e
		if e.DetentionID != "" {
			link(w.casOf, e.DetentionID, e.ID)
		}
	}
	return nil
}

// touch marks for the live index the cases whose judgement the entity
// of kind k and identifier id bears on, as the watcher holds it now: a
// detention itself; a person's detentions; an investigation's detention
// or killing; a casualty's detention, or the killing itself. A source
// bears on every detention citing it only through its grade: one graded
// as unreliable or improbable sets arrest times aside, so a change to
// such a grade judges everything again (grades change rarely; a source
// is graded as it is created, before anything cites it).
func (w *Watcher) touch(k habeas.Kind, id string) {
	l := w.live
	if !l.built {
		return
	}
	switch k {
	case habeas.KindDetention:
		l.markDirty(id)
	case habeas.KindPerson:
		l.dirtyPersons[id] = true
	case habeas.KindSource:
		if g, ok := w.sources[id]; ok && (g.reliability == "E" || g.credibility == 5) {
			l.all = true
		}
	case habeas.KindInvestigation:
		if inv, ok := w.investigations[id]; ok {
			l.markDirty(inv.DetentionID)
			w.touch(habeas.KindCasualty, inv.CasualtyID)
		}
	case habeas.KindCasualty:
		l.markDirty(id)
		if c, ok := w.casualties[id]; ok {
			l.markDirty(c.DetentionID)
		}
	}
}

// forget removes the previous state of an entity and its index entries.
func (w *Watcher) forget(k habeas.Kind, id string) {
	switch k {
	case habeas.KindDetention:
		delete(w.detentions, id)
	case habeas.KindPerson:
		delete(w.persons, id)
	case habeas.KindSource:
		delete(w.sources, id)
	case habeas.KindInvestigation:
		if old, ok := w.investigations[id]; ok {
			unlink(w.invOf, subject(old), id)
		}
		delete(w.investigations, id)
	case habeas.KindCasualty:
		if old, ok := w.casualties[id]; ok && old.DetentionID != "" {
			unlink(w.casOf, old.DetentionID, id)
		}
		delete(w.casualties, id)
	}
}

// subject returns what an investigation is of: its casualty or detention.
func subject(inv *habeas.Investigation) string {
	if inv.CasualtyID != "" {
		return inv.CasualtyID
	}
	return inv.DetentionID
}

func link(m map[string]map[string]bool, from, id string) {
	if m[from] == nil {
		m[from] = map[string]bool{}
	}
	m[from][id] = true
}

func unlink(m map[string]map[string]bool, from, id string) {
	delete(m[from], id)
	if len(m[from]) == 0 {
		delete(m, from)
	}
}

// caseOf builds the engine's case for a detention. Call with w.mu held.
func (w *Watcher) caseOf(d *habeas.Detention) *rules.Case {
	c := &rules.Case{Detention: d, Person: w.persons[d.PersonID], Sources: map[string]*habeas.Source{}}
	for _, e := range d.Events {
		for _, sid := range e.Sources {
			if g, ok := w.sources[sid]; ok {
				c.Sources[sid] = &habeas.Source{ID: sid, Title: g.title, Reliability: g.reliability, Credibility: g.credibility}
				if g.restricted {
					c.Sources[sid].Confidentiality = habeas.ConfidentialityRestricted
				}
			}
		}
	}
	for _, id := range sortedKeys(w.invOf[d.ID]) {
		c.Investigations = append(c.Investigations, w.investigations[id])
	}
	for _, cid := range sortedKeys(w.casOf[d.ID]) {
		cc := rules.CasualtyCase{Casualty: w.casualties[cid]}
		for _, id := range sortedKeys(w.invOf[cid]) {
			cc.Investigations = append(cc.Investigations, w.investigations[id])
		}
		c.Casualties = append(c.Casualties, cc)
	}
	return c
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Panel is the safeguards panel of one detention: every applicable rule's
// state with its explanation, and the detention's flags.
type Panel struct {
	Case    *rules.Case
	Results []Explained
	Flags   []rules.Flag
}

// Explained is a result with its explanation.
type Explained struct {
	rules.Result
	Explanation string
}

// Evaluate returns the safeguards panel of one detention at the moment at.
func (w *Watcher) Evaluate(ctx context.Context, detentionID string, at time.Time) (*Panel, error) {
	if err := w.Sync(ctx); err != nil {
		return nil, err
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	cd, ok := w.detentions[detentionID]
	if !ok {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "detention %s not found", detentionID)
	}
	d := w.detention(cd, nil)
	c := w.caseOf(d)
	p := &Panel{Case: c, Flags: rules.Flags(d, c.Sources, at)}
	for _, r := range w.engine.Evaluate(c, at) {
		p.Results = append(p.Results, Explained{Result: r, Explanation: rules.Explain(r, c)})
	}
	return p, nil
}

// Alerts returns the panel's results as alerts, so that a detention's
// safeguards and the lists of alerts are shown by the same code.
func (p *Panel) Alerts() []Alert {
	as := make([]Alert, len(p.Results))
	for i, r := range p.Results {
		as[i] = newAlert(p.Case, r.Result)
		as[i].Explanation = r.Explanation
	}
	return as
}

// Confidence returns the confidence of the limit that applied to a result:
// the exception's when one applied and states its own, the rule's
// otherwise. "L" means the limit is unverified.
func Confidence(r rules.Result) string {
	if r.Exception != nil && r.Exception.Confidence != "" {
		return r.Exception.Confidence
	}
	return r.Rule.Confidence
}
