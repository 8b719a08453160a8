package habeas

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"
)

// OpErase records the erasure of a record about a person (`habeas
// erase`): its Data is the record as Strip leaves it, and its Reason says
// why. Every earlier change of the record can no longer be read: it comes
// back Erased, with no Data.
const OpErase Op = "erase"

// Erasable reports whether records of kind k are erased with their
// person: the person, and the detentions, casualties, evidence and
// identity decisions about them.
func Erasable(k Kind) bool {
	switch k {
	case KindPerson, KindDetention, KindCasualty, KindEvidence, KindIdentity:
		return true
	}
	return false
}

// Strip returns what erasure keeps of a record about a person: what the
// register's counts, clocks, queues and checklists are made of, and
// nothing that names or describes the person or tells their story. It
// keeps, of a person, their sex, citizenships and year of birth (or an
// age on a date); of a detention, its city, procedure and custody events
// by type and time, with the places of custody and the bodies involved
// (institutions, not addresses), the court's decision and court, the
// article charged, the verdict's outcome, the methods alleged and the
// answers of the medical and trial checklists; of a casualty, its kind,
// time, city, cause, who is alleged to have caused it and the answers on
// the use of force; of evidence, its kind and links; of an identity
// decision, the pair, the judgement and the probability. Names, IIN,
// contacts, notes, other places, narratives, medical findings, judges,
// monitors and sources go. It keeps what it is told to keep, field by
// field, so a field added later is dropped until it is named here.
// Strip(Strip(e)) is Strip(e). It returns nil for a kind that is not
// Erasable.
func Strip(e Entity) Entity {
	switch e := e.(type) {
	case *Person:
		p := &Person{ID: e.ID, Names: []NameVariant{}, Sex: e.Sex, Citizenships: slices.Clone(e.Citizenships), Erased: true}
		switch b := e.Birth; b.Precision {
		case PrecisionAge: // an age on a date: no more than the year
			p.Birth = BirthDate{Precision: PrecisionAge, Age: b.Age, AgeAt: b.AgeAt}
		case PrecisionDay, PrecisionMonth, PrecisionYear:
			if lo, _, ok := b.Range(); ok {
				p.Birth = BirthDate{Precision: PrecisionYear, Date: lo.Format("2006")}
			}
		}
		return p
	case *Detention:
		d := &Detention{ID: e.ID, PersonID: e.PersonID, IncidentID: e.IncidentID, City: e.City, Procedure: e.Procedure, Events: []Event{}}
		for _, ev := range e.Events {
			d.Events = append(d.Events, stripEvent(ev))
		}
		return d
	case *Casualty:
		c := &Casualty{ID: e.ID, Kind: e.Kind, PersonID: e.PersonID, IncidentID: e.IncidentID, DetentionID: e.DetentionID,
			At: e.At, Zone: e.Zone, City: e.City, Cause: e.Cause, SecurityForces: e.SecurityForces,
			BySecurityForces: e.BySecurityForces, BodyReturned: e.BodyReturned, Autopsy: e.Autopsy}
		if u := e.UseOfForce; u != nil {
			fact := func(f *ForceFact) *ForceFact {
				if f == nil {
					return nil
				}
				return &ForceFact{Answer: f.Answer, At: f.At, Sources: []string{}}
			}
			c.UseOfForce = &UseOfForce{Warning: fact(u.Warning), TimeToHeed: fact(u.TimeToHeed), ImminentThreat: fact(u.ImminentThreat),
				LessExtremeMeans: fact(u.LessExtremeMeans), MedicalAid: fact(u.MedicalAid), RelativesTold: fact(u.RelativesTold), Reported: fact(u.Reported)}
		}
		return c
	case *Evidence:
		// Evidence has a title; what it said is gone.
		return &Evidence{ID: e.ID, Kind: e.Kind, Title: ErasedText, PersonID: e.PersonID, DetentionID: e.DetentionID, CasualtyID: e.CasualtyID, CollectedAt: e.CollectedAt}
	case *Identity:
		return &Identity{ID: e.ID, PersonA: e.PersonA, PersonB: e.PersonB, Judgement: e.Judgement, Probability: e.Probability}
	}
	return nil
}

// ErasedText stands, in what erasure keeps, for a text that must be
// there and is gone.
const ErasedText = "(erased)"

// stripEvent is what Strip keeps of a custody event.
func stripEvent(ev Event) Event {
	s := Event{ID: ev.ID, Type: ev.Type, At: ev.At, Zone: ev.Zone, Body: ev.Body, LawyerID: ev.LawyerID}
	if ev.Type == EventTransfer { // a place of custody is an institution, not an address
		s.Place = ev.Place
	}
	if x := ev.Decision; x != nil {
		s.Decision = &Decision{Kind: x.Kind, Days: x.Days, Amount: x.Amount, Unit: x.Unit, Court: x.Court}
	}
	if x := ev.Charge; x != nil {
		s.Charge = &Charge{Code: x.Code, Article: x.Article, Part: x.Part}
	}
	if x := ev.Verdict; x != nil {
		s.Verdict = &Verdict{Outcome: x.Outcome, Months: x.Months}
	}
	if x := ev.Allegation; x != nil {
		a := &Allegation{Methods: slices.Clone(x.Methods), Sexual: x.Sexual, StatementObtained: x.StatementObtained}
		if m := x.Medical; m != nil {
			a.Medical = &MedicalFile{ExaminedAt: m.ExaminedAt, Consent: m.Consent, PrivateInterview: m.PrivateInterview, Photographs: m.Photographs,
				BodyDiagrams: m.BodyDiagrams, PsychologicalEvaluation: m.PsychologicalEvaluation, Consistency: m.Consistency}
		}
		s.Allegation = a
	}
	if x := ev.Monitoring; x != nil {
		s.Monitoring = &TrialMonitoring{Monitor: ErasedText, Checks: maps.Clone(x.Checks), StatementAdmitted: x.StatementAdmitted}
	}
	return s
}

// Erasure is the record of one person's erasure.
type Erasure struct {
	PersonID string
	Seq      int64 // the change that erased the person
	At       time.Time
	Actor    string
	Reason   string
}

// ErasureService erases persons by crypto-shredding.
type ErasureService interface {
	// Erase replaces the person's record, and every live record about
	// them (Erasable), with what Strip keeps of it, one OpErase change
	// each, and destroys the data key their records and every earlier
	// change of them were sealed under, all in one transaction. A person
	// already erased, or not a live person, is refused.
	Erase(ctx context.Context, personID, reason string) ([]*Change, error)
	// If the store could not then clear every copy of the destroyed key
	// from its files, it returns the changes with ErrNotShredded.
	// Erasures lists the erasures made, latest first.
	Erasures(ctx context.Context) ([]Erasure, error)
}

// ErrNotShredded says an erasure was made, but the database's files may
// keep copies of the destroyed keys until they are next compacted.
var ErrNotShredded = errors.New("the erasure was made, but the database's files may keep copies of the destroyed keys until they are next compacted")

// ValidateStripped checks a state that says it is what erasure kept of a
// record (an erasure imported from another register): it must be what
// Strip keeps of itself, and what it keeps must be as valid as in any
// record (a known city, zone, event type, code), so that no text rides in
// a field erasure keeps. A force fact's sources, which erasure drops, are
// not asked for.
func ValidateStripped(e Entity) error {
	k := e.EntityKind()
	if !Erasable(k) {
		return &Error{Code: EINVALID, Message: "invalid erasure", Fields: []FieldError{FieldErrorf("entity", "a %s is not erased", k)}}
	}
	got, err := Canonical(e)
	if err != nil {
		return err
	}
	twin := Strip(e)
	if want, err := Canonical(twin); err != nil || string(got) != string(want) {
		return &Error{Code: EINVALID, Message: "invalid erasure", Fields: []FieldError{FieldErrorf("data", "keeps more than an erasure keeps")}}
	}
	if p, ok := twin.(*Person); ok {
		p.Erased, p.Names = false, []NameVariant{{Text: ErasedText, Script: "Zyyy", Kind: NameAsWritten}}
	}
	var fields []FieldError
	for _, f := range ErrorFields(twin.Validate()) {
		if !(strings.HasPrefix(f.Field, "use_of_force.") && strings.HasSuffix(f.Field, ".sources")) {
			fields = append(fields, f)
		}
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "invalid erasure", Fields: fields}
	}
	return nil
}
