package alerts

import (
	"unique"

	"github.com/habeas-project/habeas"
)

// The watcher holds every detention and person of the register in memory,
// and at a million detentions the heap it takes is memory the database's
// page cache does not get (docs/benchmarks.md, issue 5). So it keeps of
// each record only what the rules engine and its readers use, in slices of
// exact length, with repeated strings (zones, places, bodies, charges,
// courts, source identifiers) stored once:
//
//   - a person keeps its identifier, display name, birth date, sex and
//     citizenships — what judging age and nationality and naming the
//     person in a list need; the other name variants, the IIN, sources
//     and notes are read from the store by the pages that show them;
//   - a detention drops its notes, each event's note and an allegation's
//     account (an allegation event keeps its place in the timeline, its
//     time and sources, which is what the rules and the investigations
//     tracker read); decisions, charges, verdicts and trial monitoring are
//     kept whole, since trial monitoring lists them;
//   - casualties and investigations are kept whole, since the casualty
//     register and the investigations tracker show them as they are.
//
// Readers of the watcher's records must not expect what is dropped: the
// case page and the JSON API read a detention from the store.

// intern returns s stored once for the whole process (unique.Make keeps
// it while any copy is in use). Use it for strings of few distinct values.
func intern(s string) string {
	if s == "" {
		return ""
	}
	return unique.Make(s).Value()
}

// noAllegation stands for an allegation's account, which the watcher does
// not keep; it is shared and must not be changed.
var noAllegation = &habeas.Allegation{}

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

// slimDetention returns what the watcher keeps of a detention.
func slimDetention(d *habeas.Detention) *habeas.Detention {
	ids := ider{}
	s := &habeas.Detention{ID: d.ID, PersonID: d.PersonID, IncidentID: intern(d.IncidentID), City: intern(d.City),
		Procedure: habeas.Procedure(intern(string(d.Procedure))), Sources: ids.all(d.Sources)}
	if len(d.Events) > 0 {
		s.Events = make([]habeas.Event, len(d.Events))
	}
	for i, e := range d.Events {
		e.ID = intern(e.ID)
		e.Type = habeas.EventType(intern(string(e.Type)))
		e.Zone, e.Place, e.Body, e.LawyerID = intern(e.Zone), intern(e.Place), intern(e.Body), intern(e.LawyerID)
		e.Note = ""
		e.Sources = ids.all(e.Sources)
		if e.Allegation != nil {
			e.Allegation = noAllegation
		}
		if dc := e.Decision; dc != nil {
			dc.Kind = habeas.DecisionKind(intern(string(dc.Kind)))
			dc.Unit, dc.Court, dc.Judge = intern(dc.Unit), intern(dc.Court), intern(dc.Judge)
		}
		if c := e.Charge; c != nil {
			c.Code, c.Article, c.Part, c.Text = intern(c.Code), intern(c.Article), intern(c.Part), intern(c.Text)
		}
		if v := e.Verdict; v != nil {
			v.Outcome, v.Sentence = intern(v.Outcome), intern(v.Sentence)
		}
		if m := e.Monitoring; m != nil {
			m.Monitor = intern(m.Monitor)
		}
		s.Events[i] = e
	}
	return s
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
