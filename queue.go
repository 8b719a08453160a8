package habeas

import "time"

// Queue names a worklist of detentions that need a caseworker's attention.
// Each is defined here, once, and the store, the API and the pages read
// these definitions; docs/caseworker.md explains them for caseworkers.
type Queue string

// The queues.
const (
	// QueueNoLawyer: in custody, and no lawyer's assignment to the
	// detention is open (see NoLawyer).
	QueueNoLawyer Queue = "no_lawyer"
	// QueueOverdue: at least one safeguard is overdue at the moment of
	// judgement. It depends on that moment, so the safeguard clocks (package
	// alerts) answer it, not the store.
	QueueOverdue Queue = "overdue"
	// QueueIncommunicado: in custody, no contact with family or lawyer
	// recorded and nobody has confirmed where the person is held (see
	// Incommunicado).
	QueueIncommunicado Queue = "incommunicado"
	// QueueForeign: the person holds a citizenship other than Kazakhstan's
	// (Person.IsForeign).
	QueueForeign Queue = "foreign"
	// QueueJuvenile: under 18 at the de facto arrest, for sure or possibly
	// (see AgeGroupAt).
	QueueJuvenile Queue = "juvenile"
)

// Queues lists every Queue in the order pages show them: the most urgent
// for a coordinator first.
var Queues = []string{string(QueueNoLawyer), string(QueueOverdue), string(QueueIncommunicado), string(QueueForeign), string(QueueJuvenile)}

// Stored reports whether the queue follows from the records alone, so that
// a store can keep it in an index; QueueOverdue depends on the moment of
// judgement and is not stored.
func (q Queue) Stored() bool {
	switch q {
	case QueueNoLawyer, QueueIncommunicado, QueueForeign, QueueJuvenile:
		return true
	}
	return false
}

// NoLawyer reports whether d belongs in QueueNoLawyer: the person is in
// custody (Detention.Status) and none of the detention's assignments is
// open, that is without an end (To). An assignment is how the
// organisation knows who acts for a detainee; a lawyer_access_granted event
// without one says a lawyer saw the person once, not that anyone acts for
// them, so it does not take the detention off the queue. Whether access
// came in time is the lawyer safeguard's business (QueueOverdue).
func NoLawyer(d *Detention, assignments []*Assignment) bool {
	if d.Status() != StatusInCustody {
		return false
	}
	for _, a := range assignments {
		if a.DetentionID == d.ID && a.To.IsZero() {
			return false
		}
	}
	return true
}

// Incommunicado reports whether d belongs in QueueIncommunicado: the person
// is in custody, the record shows no contact with the outside world since
// the arrest (no family_notified and no lawyer_access_granted event) and
// nobody has established where they are held (no whereabouts_confirmed
// event and no transfer that names a place). That is detention without
// access to family or counsel (Body of Principles 15-18; HRC General
// Comment 35 §35) at the point where it shades into a disappearance, the
// first thing a coordinator must act on. A consulate told, or a lawyer
// requested or refused, is no contact and does not end it.
func Incommunicado(d *Detention) bool {
	if d.Status() != StatusInCustody {
		return false
	}
	for _, e := range d.Events {
		switch e.Type {
		case EventFamilyNotified, EventLawyerAccess, EventWhereaboutsStated:
			return false
		case EventTransfer:
			if e.Place != "" {
				return false
			}
		}
	}
	return true
}

// AgeGroup is what the record says about whether a person was under 18 at
// a moment.
type AgeGroup string

// Values of AgeGroup.
const (
	AgeUnknown          AgeGroup = ""                  // no birth date or age is recorded
	AgeAdult            AgeGroup = "adult"             // 18 or over even if born on the latest possible date
	AgeJuvenile         AgeGroup = "juvenile"          // under 18 even if born on the earliest possible date
	AgePossiblyJuvenile AgeGroup = "possibly_juvenile" // the possible birth dates straddle the 18th birthday
)

// AgeGroupAt says whether p was under 18 at the moment t, read as a day in
// loc (the zone of the place of arrest), given every birth date the record
// allows (BirthDate.Range). The rules engine applies the stricter juvenile
// limits when the answer is not AgeAdult; QueueJuvenile holds AgeJuvenile
// and AgePossiblyJuvenile.
func AgeGroupAt(p *Person, t time.Time, loc *time.Location) AgeGroup {
	if p == nil {
		return AgeUnknown
	}
	lo, hi, ok := p.Birth.Range()
	if !ok {
		return AgeUnknown
	}
	local := t.In(loc)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	adultIfBorn := func(b time.Time) bool { return !day.Before(b.AddDate(18, 0, 0)) }
	switch {
	case adultIfBorn(hi): // even the latest possible birth date makes them 18
		return AgeAdult
	case !adultIfBorn(lo): // even the earliest possible birth date leaves them under 18
		return AgeJuvenile
	}
	return AgePossiblyJuvenile
}

// AgeAtArrest is AgeGroupAt the de facto arrest of d (Detention.ArrestedAt),
// in the zone of its city.
func AgeAtArrest(p *Person, d *Detention) AgeGroup {
	loc := time.UTC
	if c, ok := FindCity(d.City); ok {
		loc = c.Location()
	}
	return AgeGroupAt(p, d.ArrestedAt(), loc)
}
