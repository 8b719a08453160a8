package alerts

import (
	"slices"
	"time"
	"unique"

	"github.com/habeas-project/habeas"
)

// The watcher holds every detention and person of the register in memory,
// and at a million detentions the heap it takes is memory the database's
// page cache does not get (docs/benchmarks.md, issue 5). So it keeps of
// each record only what the rules engine and its readers use:
//
//   - a person keeps its identifier, display name, birth date, sex and
//     citizenships — what judging age and nationality and naming the
//     person in a list need; the other name variants, the IIN, sources
//     and notes are read from the store by the pages that show them;
//   - a detention is kept compact (detention, below): its events without
//     pointers, their repeated strings as numbers, so that the garbage
//     collector need not scan them; notes, each event's note and an
//     allegation's account are dropped (an allegation event keeps its
//     place in the timeline, its time and sources, which is what the rules
//     and the investigations tracker read, and whether it says a statement
//     was obtained, which trial monitoring reads); decisions, charges, verdicts
//     and trial monitoring are kept whole, since trial monitoring lists
//     them. The engine reads a detention rebuilt from it (Watcher.detention);
//   - casualties and investigations are kept whole, since the casualty
//     register and the investigations tracker show them as they are.
//
// Readers of the watcher's records must not expect what is dropped: the
// case page and the JSON API read a detention from the store.
// TestSlimJudgesAlike checks that the rules judge what is kept as they
// judge the whole records.

// intern returns s stored once for the whole process (unique.Make keeps
// it while any copy is in use). Use it for strings of few distinct values.
func intern(s string) string {
	if s == "" {
		return ""
	}
	return unique.Make(s).Value()
}

// noAllegation stands for an allegation's account, which the watcher does
// not keep; it is shared and must not be changed. An allegation that says
// whether a statement was obtained by the ill-treatment keeps that, which
// trial monitoring reads (rules.StatementAllegations): statementAllegation
// and noStatementAllegation stand for it, shared likewise.
var (
	noAllegation          = &habeas.Allegation{}
	statementAllegation   = &habeas.Allegation{StatementObtained: new(true)}
	noStatementAllegation = &habeas.Allegation{StatementObtained: new(false)}
)

// slimPerson returns what the watcher keeps of a person.
func slimPerson(p *habeas.Person) *habeas.Person {
	s := &habeas.Person{ID: p.ID, Birth: p.Birth, Sex: p.Sex}
	if len(p.Names) > 0 {
		s.Names = []habeas.NameVariant{{Text: p.Names[0].Text, Script: intern(p.Names[0].Script), Kind: p.Names[0].Kind}}
	}
	s.Birth.Precision = habeas.Precision(intern(string(s.Birth.Precision)))
	s.Birth.AgeAt = intern(s.Birth.AgeAt)
	s.Citizenships = internAll(p.Citizenships)
	return s
}

// strtab numbers the repeated strings of detentions (event identifiers and
// types, zones, places, bodies, lawyers, cities, incidents) so that an
// event is stored without pointers, which the garbage collector need not
// scan. Index 0 is "". It only grows, by the distinct values ever seen.
// Changed under the watcher's write lock, read under its read lock.
type strtab struct {
	strs []string
	ids  map[string]uint32
}

func newStrtab() *strtab { return &strtab{strs: []string{""}, ids: map[string]uint32{"": 0}} }

func (t *strtab) id(s string) uint32 {
	if i, ok := t.ids[s]; ok {
		return i
	}
	i := uint32(len(t.strs))
	t.strs = append(t.strs, s)
	t.ids[s] = i
	return i
}

func (t *strtab) str(i uint32) string { return t.strs[i] }

// detention is what the watcher keeps of a detention: its identifiers,
// and its events without pointers.
type detention struct {
	id, personID              string
	incident, city, procedure uint32
	// sources are the detention's own sources (sources[:own]) and then
	// those that only its events cite; evsrc lists each event's, as
	// indexes into sources, event after event.
	sources []string
	own     int
	evsrc   []uint32
	events  []event
	// extras holds what an event rarely has, for the events that have it.
	extras []extra
}

// event is one event of a detention. Its time is kept in UTC.
type event struct {
	sec                                int64
	nsec                               uint32
	id, typ, zone, place, body, lawyer uint32
	src, nsrc                          uint32 // evsrc[src : src+nsrc]
	extra                              uint32 // extras[extra-1]; 0 for none
	flags                              uint8
}

const (
	eventZeroTime    = 1 << iota // At is the zero time
	eventAllegation              // the event has an allegation (whose account is not kept)
	eventStatement               // its allegation says a statement was obtained by the ill-treatment
	eventNoStatement             // its allegation says none was
)

type extra struct {
	decision   *habeas.Decision
	charge     *habeas.Charge
	verdict    *habeas.Verdict
	monitoring *habeas.TrialMonitoring
}

// compact returns what the watcher keeps of a detention. Call with w.mu
// held for writing.
func (w *Watcher) compact(d *habeas.Detention) *detention {
	t := w.strs
	c := &detention{id: d.ID, personID: d.PersonID, incident: t.id(d.IncidentID), city: t.id(d.City),
		procedure: t.id(string(d.Procedure)), events: make([]event, len(d.Events))}
	index := map[string]uint32{}
	source := func(id string) uint32 {
		i, ok := index[id]
		if !ok {
			i = uint32(len(c.sources))
			index[id] = i
			c.sources = append(c.sources, id)
		}
		return i
	}
	for _, id := range d.Sources {
		source(id)
	}
	c.own = len(c.sources)
	if c.own != len(d.Sources) { // a source named twice: keep the list as it is
		c.sources, c.own, index = slices.Clone(d.Sources), len(d.Sources), map[string]uint32{}
	}
	for i, e := range d.Events {
		ce := event{id: t.id(e.ID), typ: t.id(string(e.Type)), zone: t.id(e.Zone), place: t.id(e.Place),
			body: t.id(e.Body), lawyer: t.id(e.LawyerID), src: uint32(len(c.evsrc)), nsrc: uint32(len(e.Sources))}
		if e.At.IsZero() {
			ce.flags |= eventZeroTime
		} else {
			ce.sec, ce.nsec = e.At.Unix(), uint32(e.At.Nanosecond())
		}
		if a := e.Allegation; a != nil {
			ce.flags |= eventAllegation
			if a.StatementObtained != nil && *a.StatementObtained {
				ce.flags |= eventStatement
			} else if a.StatementObtained != nil {
				ce.flags |= eventNoStatement
			}
		}
		for _, id := range e.Sources {
			c.evsrc = append(c.evsrc, source(id))
		}
		if e.Decision != nil || e.Charge != nil || e.Verdict != nil || e.Monitoring != nil {
			x := extra{decision: e.Decision, charge: e.Charge, verdict: e.Verdict, monitoring: e.Monitoring}
			if dc := x.decision; dc != nil {
				dc.Kind = habeas.DecisionKind(intern(string(dc.Kind)))
				dc.Unit, dc.Court, dc.Judge = intern(dc.Unit), intern(dc.Court), intern(dc.Judge)
			}
			if ch := x.charge; ch != nil {
				ch.Code, ch.Article, ch.Part, ch.Text = intern(ch.Code), intern(ch.Article), intern(ch.Part), intern(ch.Text)
			}
			if v := x.verdict; v != nil {
				v.Outcome, v.Sentence = intern(v.Outcome), intern(v.Sentence)
			}
			if m := x.monitoring; m != nil {
				m.Monitor = intern(m.Monitor)
			}
			c.extras = append(c.extras, x)
			ce.extra = uint32(len(c.extras))
		}
		c.events[i] = ce
	}
	c.sources, c.evsrc, c.extras = slices.Clip(c.sources), slices.Clip(c.evsrc), slices.Clip(c.extras)
	return c
}

// scratch is memory reused from one detention to the next when every
// detention is judged in turn.
type scratch struct {
	d       habeas.Detention
	events  []habeas.Event
	sources []string
}

// detention returns the detention c keeps, as the engine reads it: with
// s, in s's memory, valid until s is used again; with s nil, in memory of
// its own. Either way it shares the watcher's identifiers, decisions,
// charges, verdicts and checklists, which must not be changed. Call with
// w.mu held.
func (w *Watcher) detention(c *detention, s *scratch) *habeas.Detention {
	if s == nil {
		s = &scratch{}
	}
	s.d = w.headerOf(c)
	s.events = slices.Grow(s.events[:0], len(c.events))[:len(c.events)]
	s.sources = slices.Grow(s.sources[:0], len(c.evsrc))[:len(c.evsrc)]
	for i, si := range c.evsrc {
		s.sources[i] = c.sources[si]
	}
	for i := range c.events {
		s.events[i] = w.event(c, i, s.sources)
	}
	if len(s.events) > 0 {
		s.d.Events = s.events
	}
	return &s.d
}

// event returns the i-th event of c; srcs are c's event sources as
// strings (c.evsrc resolved), which the event's Sources share.
func (w *Watcher) event(c *detention, i int, srcs []string) habeas.Event {
	t, ce := w.strs, &c.events[i]
	e := habeas.Event{ID: t.str(ce.id), Type: habeas.EventType(t.str(ce.typ)), Zone: t.str(ce.zone),
		Place: t.str(ce.place), Body: t.str(ce.body), LawyerID: t.str(ce.lawyer)}
	if ce.flags&eventZeroTime == 0 {
		e.At = time.Unix(ce.sec, int64(ce.nsec)).UTC()
	}
	switch {
	case ce.flags&eventStatement != 0:
		e.Allegation = statementAllegation
	case ce.flags&eventNoStatement != 0:
		e.Allegation = noStatementAllegation
	case ce.flags&eventAllegation != 0:
		e.Allegation = noAllegation
	}
	if ce.nsrc > 0 {
		e.Sources = srcs[ce.src : ce.src+ce.nsrc : ce.src+ce.nsrc]
	}
	if ce.extra > 0 {
		x := c.extras[ce.extra-1]
		e.Decision, e.Charge, e.Verdict, e.Monitoring = x.decision, x.charge, x.verdict, x.monitoring
	}
	return e
}

// header returns the detention c keeps without its events: enough to name
// and place it.
func (w *Watcher) header(c *detention) *habeas.Detention {
	d := w.headerOf(c)
	return &d
}

func (w *Watcher) headerOf(c *detention) habeas.Detention {
	t := w.strs
	d := habeas.Detention{ID: c.id, PersonID: c.personID, IncidentID: t.str(c.incident), City: t.str(c.city),
		Procedure: habeas.Procedure(t.str(c.procedure))}
	if c.own > 0 {
		d.Sources = c.sources[:c.own:c.own]
	}
	return d
}

// slimCasualty returns a casualty with its repeated strings stored once.
func slimCasualty(c *habeas.Casualty) *habeas.Casualty {
	c.Kind = habeas.CasualtyKind(intern(string(c.Kind)))
	c.IncidentID, c.Zone, c.City, c.Place = intern(c.IncidentID), intern(c.Zone), intern(c.City), intern(c.Place)
	c.Cause, c.AllegedPerpetrator = intern(c.Cause), intern(c.AllegedPerpetrator)
	c.Sources = (ider{}).all(c.Sources)
	return c
}

// internAll returns strs interned, in a slice of exact length.
func internAll(strs []string) []string {
	if len(strs) == 0 {
		return nil
	}
	out := make([]string, len(strs))
	for i, s := range strs {
		out[i] = intern(s)
	}
	return out
}

// ider stores each identifier once within one record: a source cited by
// several events of a detention is one string, not one per event.
type ider map[string]string

func (m ider) all(ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		if s, ok := m[id]; ok {
			out[i] = s
		} else {
			m[id] = id
			out[i] = id
		}
	}
	return out
}
