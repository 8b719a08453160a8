package rules

import (
	"fmt"
	"sort"
	"time"

	"github.com/habeas-project/habeas"
)

// State is where one rule stands for one detention at one moment.
type State string

// The states, as a caseworker reads them.
const (
	StateMet      State = "met"      // met in time
	StateMetLate  State = "met_late" // met, but after the deadline: a violation, by By
	StatePending  State = "pending"  // not met yet; the deadline is ahead, By left
	StateOverdue  State = "overdue"  // not met and past the deadline: an ongoing violation, by By
	StateViolated State = "violated" // never met, and the detention ended (death) after the deadline
	StateUnknown  State = "unknown"  // a fact needed to evaluate the rule is missing: Missing says which
)

// Rank orders states for alerts: ongoing violations first.
func (s State) Rank() int {
	switch s {
	case StateOverdue:
		return 0
	case StatePending:
		return 1
	case StateUnknown:
		return 2
	case StateViolated:
		return 3
	case StateMetLate:
		return 4
	}
	return 5
}

// Violation reports whether the state records a breach of the rule.
func (s State) Violation() bool {
	return s == StateOverdue || s == StateMetLate || s == StateViolated
}

// Case is everything the engine needs to know about one detention. A case
// about a killing outside custody has no detention and one casualty.
type Case struct {
	Detention *habeas.Detention
	Person    *habeas.Person // nil when not known
	// Sources holds the sources cited by the detention's events, so that
	// arrest times from sources graded improbable can be set aside.
	Sources map[string]*habeas.Source
	// Investigations are those of the detention's ill-treatment allegations.
	Investigations []*habeas.Investigation
	// Casualties are deaths and injuries linked to the detention, with the
	// investigations of each.
	Casualties []CasualtyCase
}

// CasualtyCase is a casualty with the investigations of it.
type CasualtyCase struct {
	Casualty       *habeas.Casualty
	Investigations []*habeas.Investigation
}

// Result is the state of one rule for one detention (or one allegation or
// death within it) at one moment, with what the explanation needs.
type Result struct {
	Rule *Rule
	// Exception is the exception whose limit applied, if any.
	Exception *Exception
	// Subject names what the rule was evaluated for when a detention has
	// several: an allegation's event id, a casualty id.
	Subject  string
	State    State
	Start    time.Time // when the clock started
	StartBy  string    // what started it: the event id ("e1") of the arrest or transfer
	Deadline time.Time
	MetAt    time.Time
	MetBy    string        // the event id that met the rule
	By       time.Duration // late by, overdue by, or time left
	Missing  string        // for StateUnknown: the missing fact
	// Juvenile says the detainee was under 18 at the arrest, so the
	// juvenile rule applied; JuvenilePossible that they could have been
	// (the birth date does not say), so the juvenile reading is the Doubt.
	Juvenile, JuvenilePossible bool
	Emergency                  bool // the arrest fell in a state of emergency
	// EmergencyWindow is the pack's state of emergency the arrest fell in,
	// by place and time; nil outside one.
	EmergencyWindow *Emergency
	Failed          []string // checks that failed (Minnesota Protocol)
	Unclear         []string // checks that could not be made for want of facts
	// Doubt, when set, is the rule judged under a reading the record or
	// the law leaves in doubt: the detainee a juvenile while the birth
	// date does not say, or an exception that would lengthen the limit
	// but is not verified. State is always the judgement under what is
	// known and verified; Doubt says what it would be otherwise, and never
	// counts as a violation.
	Doubt *Doubt
}

// Doubt is a rule judged under a doubtful reading (see Result.Doubt).
type Doubt struct {
	// Reason is DoubtJuvenile or DoubtUnverified.
	Reason string
	// Exception is the exception whose limit applies under that reading;
	// nil when it is the rule itself (a rule only for juveniles).
	Exception *Exception
	State     State
	Deadline  time.Time
	By        time.Duration
}

// The reasons for a doubt.
const (
	DoubtJuvenile   = "juvenile"   // the birth date does not rule out under 18
	DoubtUnverified = "unverified" // an exception below confidence H would lengthen the limit
)

// Engine evaluates rule packs. It is safe for concurrent use.
type Engine struct {
	packs []*Pack
	rules []*Rule
}

// NewEngine returns an engine over the given packs; all apply at once.
func NewEngine(packs ...*Pack) (*Engine, error) {
	e := &Engine{packs: packs}
	seen := map[string]bool{}
	for _, p := range packs {
		for _, r := range p.Rules {
			if seen[r.ID] {
				return nil, &PackError{File: p.file, RuleID: r.ID, Field: "id", Reason: "is also defined by another pack"}
			}
			seen[r.ID] = true
			e.rules = append(e.rules, r)
		}
	}
	return e, nil
}

// Rules returns every rule, pack by pack.
func (e *Engine) Rules() []*Rule { return e.rules }

// Evaluate returns the state of every applicable rule for the case at the
// moment at, ordered for display: by safeguard, the earliest deadline first.
func (e *Engine) Evaluate(c *Case, at time.Time) []Result {
	rs := e.Append(nil, c, at)
	SortForDisplay(rs)
	return rs
}

// Append appends the results for the case at the moment at to buf and
// returns it; it allocates nothing else on the common path, for evaluating
// a whole register at once.
func (e *Engine) Append(buf []Result, c *Case, at time.Time) []Result {
	f := newFacts(c, at)
	for _, r := range e.rules {
		buf = e.evaluate(buf, r, c, &f, at)
	}
	return buf
}

// SortForDisplay orders results by safeguard, then deadline (the stricter
// rule first), then rule id.
func SortForDisplay(rs []Result) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.Rule.Safeguard != b.Rule.Safeguard {
			return a.Rule.Safeguard < b.Rule.Safeguard
		}
		if !a.Deadline.Equal(b.Deadline) {
			if a.Deadline.IsZero() || b.Deadline.IsZero() {
				return !a.Deadline.IsZero()
			}
			return a.Deadline.Before(b.Deadline)
		}
		return a.Rule.ID < b.Rule.ID
	})
}

// facts are what every rule of a case reads, worked out once.
type facts struct {
	events   []habeas.Event // events known at the evaluation moment, in time order
	arrest   time.Time      // earliest credible de facto arrest
	arrestBy string
	zone     *time.Location
	// arrestWall is the local wall-clock time of the arrest, written as if
	// in UTC, for comparing with the local date-times of a pack.
	arrestWall time.Time
	// age: juvenile at the arrest for sure, or possibly (unknown or
	// straddling birth date), or known adult.
	juvenile, juvenilePossible bool
	foreign, citizenshipKnown  bool
	death                      time.Time
	// chargedBy, when set, is the moment by which a charge must have been
	// brought to count for a condition on offences: the end of the time
	// the rule allows without the exception, so that a charge brought
	// later never turns an earlier breach into compliance.
	chargedBy time.Time
	// bounds, when set, collects every deadline judged, those of clocks
	// the results do not show included (AppendBounded).
	bounds *Bounds
}

func newFacts(c *Case, at time.Time) facts {
	d := c.Detention
	f := facts{zone: time.UTC}
	if city, ok := habeas.FindCity(d.City); ok {
		f.zone = city.Location()
	}
	f.events = knownAt(d.Events, at)
	f.arrest, f.arrestBy = ArrestTime(d, c.Sources)
	f.arrestWall = wallClock(f.arrest, f.zone)
	for _, e := range f.events {
		if e.Type == habeas.EventDeathInCustody {
			f.death = e.At
			break
		}
	}
	f.juvenile, f.juvenilePossible = juvenileAt(c.Person, f.arrest, f.zone)
	if c.Person != nil && len(c.Person.Citizenships) > 0 {
		f.citizenshipKnown = true
		f.foreign = c.Person.IsForeign()
	}
	return f
}

// knownAt returns the events (in time order) that had happened by the
// moment at: a fact counts from the moment it is recorded to have happened.
func knownAt(events []habeas.Event, at time.Time) []habeas.Event {
	n := len(events)
	for n > 0 && events[n-1].At.After(at) {
		n--
	}
	return events[:n]
}

// ArrestTime returns the earliest de facto arrest time from a credible
// source, read in the detainee's favour, and the event that gives it. An
// account whose every source is graded unreliable (E) or its information
// improbable (5) is set aside, unless no other account exists.
func ArrestTime(d *habeas.Detention, sources map[string]*habeas.Source) (time.Time, string) {
	var best, any time.Time
	var bestID, anyID string
	for _, e := range d.Events {
		if e.Type != habeas.EventArrest {
			continue
		}
		if any.IsZero() || e.At.Before(any) {
			any, anyID = e.At, e.ID
		}
		if !credible(e.Sources, sources) {
			continue
		}
		if best.IsZero() || e.At.Before(best) {
			best, bestID = e.At, e.ID
		}
	}
	if best.IsZero() {
		return any, anyID
	}
	return best, bestID
}

func credible(ids []string, sources map[string]*habeas.Source) bool {
	if len(ids) == 0 || sources == nil {
		return true
	}
	for _, id := range ids {
		s, ok := sources[id]
		if !ok || (s.Reliability != "E" && s.Credibility != 5) {
			return true
		}
	}
	return false
}

// juvenileAt says whether the person was under 18 at the moment t, read in
// the local zone: sure (juvenile), or possibly (birth date unknown, or its
// range straddles the 18th birthday).
func juvenileAt(p *habeas.Person, t time.Time, zone *time.Location) (juvenile, possible bool) {
	switch habeas.AgeGroupAt(p, t, zone) {
	case habeas.AgeAdult:
		return false, false
	case habeas.AgeJuvenile:
		return true, false
	}
	return false, true // unknown, or the birth date straddles the 18th birthday
}

// match reports whether a condition holds for the case; unknown names the
// missing fact when it cannot be told. Age and citizenship are read
// conservatively for the detainee: a condition that could hold, holds.
func (p *Pack) match(w When, c *Case, f *facts) (ok bool, unknown string) {
	if len(w.Procedures) > 0 {
		if c.Detention.Procedure == habeas.ProcedureUnknown {
			return false, "procedure"
		}
		found := false
		for _, proc := range w.Procedures {
			found = found || proc == c.Detention.Procedure
		}
		if !found {
			return false, ""
		}
	}
	switch w.Age {
	case "juvenile":
		if !f.juvenile && !f.juvenilePossible {
			return false, ""
		}
	case "adult":
		if f.juvenile {
			return false, ""
		}
	}
	if w.Citizenship == "foreign" {
		if !f.citizenshipKnown {
			return false, "citizenship"
		}
		if !f.foreign {
			return false, ""
		}
	}
	if w.Emergency != "" {
		inside := p.emergencyAt(c.Detention.City, f.arrestWall) != nil
		if inside != (w.Emergency == "inside") {
			return false, ""
		}
	}
	if len(w.Offences) > 0 && !charged(f.events, w.Offences, f.chargedBy) {
		return false, ""
	}
	return true, ""
}

// emergencyAt returns the state of emergency of the pack in force at the
// given city at the local wall-clock time wall (see wallClock), or nil:
// the pack gives its bounds in the local time of the place, and where it
// held by region and city.
func (p *Pack) emergencyAt(city string, wall time.Time) *Emergency {
	region := ""
	if c, ok := habeas.FindCity(city); ok {
		region = c.Region
	}
	for i := range p.Emergencies {
		em := &p.Emergencies[i]
		if (len(em.Cities) > 0 || len(em.Regions) > 0) && !contains(em.Cities, city) && !contains(em.Regions, region) {
			continue
		}
		if !wall.Before(em.from) && wall.Before(em.to) {
			return em
		}
	}
	return nil
}

// wallClock returns the local date and time of t in zone, written as if in
// UTC, so that it compares with local date-times parsed without a zone.
func wallClock(t time.Time, zone *time.Location) time.Time {
	l := t.In(zone)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
}

// charged reports whether any charge matches one of the offences: "CC 272"
// matches every part of article 272, "CC 380(3)" only part 3. With by set,
// only charges brought at or before it count.
func charged(events []habeas.Event, offences []string, by time.Time) bool {
	for _, e := range events {
		if e.Type != habeas.EventCharge || e.Charge == nil || (!by.IsZero() && e.At.After(by)) {
			continue
		}
		whole := e.Charge.Code + " " + e.Charge.Article
		label := e.Charge.ArticleLabel()
		for _, o := range offences {
			if o == whole || o == label {
				return true
			}
		}
	}
	return false
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// judge sets the state of a result from its deadline and when (if ever)
// it was met, as of the moment at.
//
// The deadline instant belongs to the time allowed, on both sides: an
// event at the deadline meets it, and at the deadline itself a rule not
// yet met is still pending (nothing left); it is overdue only after.
func (res *Result) judge(f *facts, at time.Time) {
	f.bounds.deadline(res.Deadline)
	switch {
	case !res.MetAt.IsZero() && !res.MetAt.After(res.Deadline):
		res.State = StateMet
	case !res.MetAt.IsZero():
		res.State, res.By = StateMetLate, res.MetAt.Sub(res.Deadline)
	case !f.death.IsZero() && f.death.After(res.Deadline):
		res.State, res.By = StateViolated, f.death.Sub(res.Deadline)
	case !at.After(res.Deadline):
		res.State, res.By = StatePending, res.Deadline.Sub(at)
	default:
		res.State, res.By = StateOverdue, at.Sub(res.Deadline)
	}
}

func (e *Engine) evaluate(buf []Result, r *Rule, c *Case, f *facts, at time.Time) []Result {
	ok, missing := r.pack.match(r.Applies, c, f)
	if missing != "" {
		return append(buf, Result{Rule: r, State: StateUnknown, Missing: missing, Start: f.arrest, StartBy: f.arrestBy})
	}
	if !ok {
		return buf
	}
	if r.Applies.Age == "juvenile" && !f.juvenile {
		// The rule holds only for juveniles, and the birth date does not
		// say: it cannot be judged for want of it, and what it would be
		// for a juvenile is shown beside, never counted as a breach.
		n := len(buf)
		buf = e.judgeKind(buf, r, c, f, at)
		for i := n; i < len(buf); i++ {
			res := &buf[i]
			res.Doubt = &Doubt{Reason: DoubtJuvenile, Exception: res.Exception, State: res.State, Deadline: res.Deadline, By: res.By}
			res.State, res.Missing, res.By = StateUnknown, missingBirthDate, 0
		}
		return buf
	}
	return e.judgeKind(buf, r, c, f, at)
}

// missingBirthDate is the fact a rule only for juveniles waits for.
const missingBirthDate = "birth_date"

// judgeKind judges a rule that applies, by its kind.
func (e *Engine) judgeKind(buf []Result, r *Rule, c *Case, f *facts, at time.Time) []Result {
	switch r.Kind {
	case KindDeadline:
		return e.deadline(buf, r, c, f, at)
	case KindAdminArrest:
		return adminArrest(buf, r, c, f, at)
	case KindCustodyTerm:
		return custodyTerm(buf, r, f, at)
	case KindInvestigation:
		return allegations(buf, r, c, f, at)
	case KindMinnesota:
		return minnesota(buf, r, c, f, at)
	}
	panic(fmt.Sprintf("rules: unknown kind %q", r.Kind)) // LoadPack rejects it
}
