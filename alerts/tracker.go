package alerts

import (
	"context"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/rules"
)

// The watcher holds every casualty, investigation and detention to judge
// them; the casualty register, the investigations tracker and trial
// monitoring read the same state here rather than keep another copy. The
// records returned are the watcher's own and must not be changed: a change
// to a record replaces it in the watcher, never edits it.

// CasualtyRecord is a casualty with its investigations and the name of the
// person, as the casualty register shows it.
type CasualtyRecord struct {
	Casualty       *habeas.Casualty
	Investigations []*habeas.Investigation // in identifier order
	PersonName     string
}

// Casualties returns every casualty, in no particular order.
func (w *Watcher) Casualties(ctx context.Context) ([]CasualtyRecord, error) {
	if err := w.Sync(ctx); err != nil {
		return nil, err
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]CasualtyRecord, 0, len(w.casualties))
	for _, c := range w.casualties {
		out = append(out, CasualtyRecord{Casualty: c, Investigations: w.investigationsOf(c.ID), PersonName: w.personName(c.PersonID)})
	}
	return out, nil
}

// InvestigationRecord is an investigation with what it is of, whose, and
// the judgement of the rule that applies to it.
type InvestigationRecord struct {
	Investigation *habeas.Investigation
	// Casualty is the death or injury investigated; nil for an allegation.
	Casualty *habeas.Casualty
	// Detention is the detention of the allegation investigated, or the one
	// a death in custody happened in (then without its events); nil
	// otherwise or if it is gone. It is the watcher's copy (slim.go).
	Detention *habeas.Detention
	// Allegation is the ill-treatment event investigated; nil for a
	// casualty, or if the detention no longer has the event.
	Allegation *habeas.Event
	PersonID   string
	PersonName string
	City       string
	// Result judges the investigation on its own, as if it were the only
	// one: for a death, the Minnesota Protocol's checks
	// (rules.MinnesotaCheck); for an allegation, the rule that it be opened
	// within a limit of the allegation. Nil when no rule in force applies,
	// as for an injury.
	Result *rules.Result
}

// Investigations returns every investigation judged at the moment at, in
// no particular order.
func (w *Watcher) Investigations(ctx context.Context, at time.Time) ([]InvestigationRecord, error) {
	if err := w.Sync(ctx); err != nil {
		return nil, err
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]InvestigationRecord, 0, len(w.investigations))
	var buf []rules.Result
	for _, inv := range w.investigations {
		out = append(out, w.investigationRecord(inv, at, &buf))
	}
	return out, nil
}

// Investigation returns one investigation judged at the moment at.
func (w *Watcher) Investigation(ctx context.Context, id string, at time.Time) (InvestigationRecord, error) {
	if err := w.Sync(ctx); err != nil {
		return InvestigationRecord{}, err
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	inv, ok := w.investigations[id]
	if !ok {
		return InvestigationRecord{}, habeas.Errorf(habeas.ENOTFOUND, "investigation %s not found", id)
	}
	var buf []rules.Result
	return w.investigationRecord(inv, at, &buf), nil
}

// investigationRecord builds the record of one investigation. Call with
// w.mu held.
func (w *Watcher) investigationRecord(inv *habeas.Investigation, at time.Time, buf *[]rules.Result) InvestigationRecord {
	rec := InvestigationRecord{Investigation: inv}
	if c, ok := w.casualties[inv.CasualtyID]; ok {
		rec.Casualty, rec.PersonID, rec.City = c, c.PersonID, c.City
		if cd, ok := w.detentions[c.DetentionID]; ok {
			rec.Detention = w.header(cd)
		}
		if c.Kind == habeas.CasualtyKilled {
			for _, r := range w.engine.Rules() {
				if r.Kind == rules.KindMinnesota {
					res := rules.MinnesotaCheck(r, rules.CasualtyCase{Casualty: c, Investigations: []*habeas.Investigation{inv}}, at)
					rec.Result = &res
					break
				}
			}
		}
	} else if cd, ok := w.detentions[inv.DetentionID]; ok {
		d := w.detention(cd, nil)
		rec.Detention, rec.PersonID, rec.City = d, d.PersonID, d.City
		for i := range d.Events {
			if d.Events[i].ID == inv.AllegationEventID && d.Events[i].Type == habeas.EventIllTreatment {
				rec.Allegation = &d.Events[i]
			}
		}
		if rec.Allegation != nil {
			// The detention's case with this investigation alone: the
			// engine judges how soon it was opened.
			c := w.caseOf(d)
			c.Investigations, c.Casualties = []*habeas.Investigation{inv}, nil
			*buf = w.engine.Append((*buf)[:0], c, at)
			for _, res := range *buf {
				if res.Rule.Kind == rules.KindInvestigation && res.Subject == inv.AllegationEventID {
					rec.Result = &res
					break
				}
			}
		}
	}
	rec.PersonName = w.personName(rec.PersonID)
	return rec
}

// Hearing is a trial hearing or court appearance of a detention: an event
// that may carry a trial monitor's checklist.
type Hearing struct {
	// Detention is the detention without its events (see slim.go).
	Detention *habeas.Detention
	Event     *habeas.Event
	// Allegations are the detention's allegations of ill-treatment, each
	// with only whether it says a statement was obtained (see slim.go);
	// shared by the detention's hearings.
	Allegations []habeas.Event
	PersonName  string
}

// Hearings returns every hearing of every detention, in no particular
// order.
func (w *Watcher) Hearings(ctx context.Context) ([]Hearing, error) {
	if err := w.Sync(ctx); err != nil {
		return nil, err
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	var out []Hearing
	for _, cd := range w.detentions {
		out = w.appendHearings(out, cd)
	}
	return out, nil
}

// HearingsOf returns the hearings of one detention, in the order of its
// events; none if the detention is unknown.
func (w *Watcher) HearingsOf(ctx context.Context, detentionID string) ([]Hearing, error) {
	if err := w.Sync(ctx); err != nil {
		return nil, err
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	if cd, ok := w.detentions[detentionID]; ok {
		return w.appendHearings(nil, cd), nil
	}
	return nil, nil
}

// appendHearings appends the hearings of cd to out. Call with w.mu held.
func (w *Watcher) appendHearings(out []Hearing, cd *detention) []Hearing {
	var d *habeas.Detention // one header for the detention's hearings
	var srcs []string
	var allegations []habeas.Event
	first := len(out)
	for i := range cd.events {
		typ := habeas.EventType(w.strs.str(cd.events[i].typ))
		if !typ.Monitored() && typ != habeas.EventIllTreatment {
			continue
		}
		if d == nil {
			d = w.header(cd)
			srcs = make([]string, len(cd.evsrc))
			for j, si := range cd.evsrc {
				srcs[j] = cd.sources[si]
			}
		}
		e := w.event(cd, i, srcs)
		if typ == habeas.EventIllTreatment {
			allegations = append(allegations, e)
			continue
		}
		out = append(out, Hearing{Detention: d, Event: &e, PersonName: w.personName(d.PersonID)})
	}
	for i := first; i < len(out); i++ {
		out[i].Allegations = allegations
	}
	return out
}

// investigationsOf returns the investigations of a casualty or detention,
// in identifier order. Call with w.mu held.
func (w *Watcher) investigationsOf(id string) []*habeas.Investigation {
	var out []*habeas.Investigation
	for _, iid := range sortedKeys(w.invOf[id]) {
		out = append(out, w.investigations[iid])
	}
	return out
}

// personName returns the display name of a person, or "" if unknown.
// Call with w.mu held.
func (w *Watcher) personName(id string) string {
	if p, ok := w.persons[id]; ok {
		return p.DisplayName()
	}
	return ""
}

// Persons returns the persons among ids that the watcher knows, keyed by
// identifier, as it keeps them: identifier, display name, birth date, sex
// and citizenships (see slim.go). Lists use it to name the people on a
// page without reading whole person documents.
func (w *Watcher) Persons(ctx context.Context, ids []string) (map[string]*habeas.Person, error) {
	if err := w.Sync(ctx); err != nil {
		return nil, err
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make(map[string]*habeas.Person, len(ids))
	for _, id := range ids {
		if p, ok := w.persons[id]; ok {
			out[id] = p
		}
	}
	return out, nil
}
