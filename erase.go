package habeas

import (
	"context"
	"errors"
	"slices"
	"time"
)

// OpErase records the erasure of a record about a person (`habeas
// erase`): its Data is the record as Strip leaves it, and its Reason says
// why. Every earlier change of the record can no longer be read: it comes
// back Erased, with no Data.
const OpErase Op = "erase"

// Erasable reports whether records of kind k are erased with their
// person: the person, and the detentions, casualties and evidence about
// them.
func Erasable(k Kind) bool {
	switch k {
	case KindPerson, KindDetention, KindCasualty, KindEvidence:
		return true
	}
	return false
}

// Strip returns what erasure keeps of a record about a person: what the
// register's counts, clocks and queues are made of (when and where, which
// procedure, the type and time of each custody event, the court's
// decision and the article charged, the outcome, the methods alleged),
// and nothing that names or describes the person or tells their story
// (names, IIN, birth date but its year, contacts, notes, places,
// narratives, medical facts, judges, sources). It keeps what it is told
// to keep, field by field, so a field added later is dropped until it is
// named here. Strip(Strip(e)) is Strip(e). It returns nil for a kind
// that is not Erasable.
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
		d := &Detention{ID: e.ID, PersonID: e.PersonID, IncidentID: e.IncidentID, City: e.City, Procedure: e.Procedure}
		for _, ev := range e.Events {
			s := Event{ID: ev.ID, Type: ev.Type, At: ev.At, Zone: ev.Zone, LawyerID: ev.LawyerID}
			if x := ev.Decision; x != nil {
				s.Decision = &Decision{Kind: x.Kind, Days: x.Days, Amount: x.Amount, Unit: x.Unit}
			}
			if x := ev.Charge; x != nil {
				s.Charge = &Charge{Code: x.Code, Article: x.Article, Part: x.Part}
			}
			if x := ev.Verdict; x != nil {
				s.Verdict = &Verdict{Outcome: x.Outcome, Months: x.Months}
			}
			if x := ev.Allegation; x != nil {
				s.Allegation = &Allegation{Methods: slices.Clone(x.Methods), Sexual: x.Sexual}
			}
			d.Events = append(d.Events, s)
		}
		return d
	case *Casualty:
		return &Casualty{ID: e.ID, Kind: e.Kind, PersonID: e.PersonID, IncidentID: e.IncidentID, DetentionID: e.DetentionID,
			At: e.At, Zone: e.Zone, City: e.City, Cause: e.Cause, SecurityForces: e.SecurityForces,
			BySecurityForces: e.BySecurityForces, BodyReturned: e.BodyReturned, Autopsy: e.Autopsy}
	case *Evidence:
		// Evidence has a title; what it said is gone.
		return &Evidence{ID: e.ID, Kind: e.Kind, Title: "(erased)", PersonID: e.PersonID, DetentionID: e.DetentionID, CasualtyID: e.CasualtyID, CollectedAt: e.CollectedAt}
	}
	return nil
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
