package habeas

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// Procedure is the legal track a detention is on.
type Procedure string

// Values of Procedure.
const (
	ProcedureUnknown        Procedure = ""
	ProcedureAdministrative Procedure = "administrative" // Code of Administrative Offences
	ProcedureCriminal       Procedure = "criminal"       // Criminal Procedure Code
)

// Status is where a detainee stands now, derived from the timeline.
type Status string

// Values of Status.
const (
	StatusInCustody   Status = "in_custody"
	StatusHouseArrest Status = "house_arrest"
	StatusReleased    Status = "released"
	StatusDied        Status = "died"
)

// Statuses lists every Status.
var Statuses = []string{string(StatusInCustody), string(StatusHouseArrest), string(StatusReleased), string(StatusDied)}

// Detention is one deprivation of liberty of one person, from the de facto
// arrest to release, with its custody timeline. The arrest as it happened
// (EventArrest) is kept apart from the time written in the police protocol
// (EventProtocol): recording arrests hours late is a known way around the
// legal limits, so both are kept and the gap can be seen.
type Detention struct {
	ID         string    `json:"id"`
	PersonID   string    `json:"person_id"`
	IncidentID string    `json:"incident_id,omitempty"`
	City       string    `json:"city"`
	Procedure  Procedure `json:"procedure,omitempty"`
	Events     []Event   `json:"events"`
	Sources    []string  `json:"sources,omitempty"`
	Notes      string    `json:"notes,omitempty"`
}

// EventType is the type of a custody event.
type EventType string

// The custody event types.
const (
	EventArrest            EventType = "arrest"   // de facto: when, where and by whom the person was actually taken
	EventProtocol          EventType = "protocol" // the official detention protocol and the time it states
	EventTransfer          EventType = "transfer" // moved to a place of custody
	EventFamilyNotified    EventType = "family_notified"
	EventLawyerRequested   EventType = "lawyer_requested"
	EventLawyerAccess      EventType = "lawyer_access_granted"
	EventLawyerDenied      EventType = "lawyer_access_denied"
	EventConsularNotified  EventType = "consular_notified"
	EventMedicalExam       EventType = "medical_examination"
	EventInterpreter       EventType = "interpreter_provided"
	EventCourtAppearance   EventType = "court_appearance"
	EventCharge            EventType = "charge"
	EventIllTreatment      EventType = "ill_treatment_allegation"
	EventRelease           EventType = "release"
	EventTrialHearing      EventType = "trial_hearing"
	EventVerdict           EventType = "verdict"
	EventDeathInCustody    EventType = "death_in_custody"
	EventWhereaboutsStated EventType = "whereabouts_confirmed" // an authority or visitor confirmed where the person is held
)

// EventTypes lists every EventType in the order a timeline usually runs.
var EventTypes = []string{string(EventArrest), string(EventProtocol), string(EventTransfer),
	string(EventWhereaboutsStated), string(EventFamilyNotified), string(EventLawyerRequested),
	string(EventLawyerAccess), string(EventLawyerDenied), string(EventConsularNotified),
	string(EventMedicalExam), string(EventInterpreter), string(EventCourtAppearance),
	string(EventCharge), string(EventIllTreatment), string(EventRelease), string(EventTrialHearing),
	string(EventVerdict), string(EventDeathInCustody)}

// DecisionKind is what a court decided at an appearance.
type DecisionKind string

// Values of DecisionKind.
const (
	DecisionCustody     DecisionKind = "custody" // pre-trial custody
	DecisionHouseArrest DecisionKind = "house_arrest"
	DecisionRelease     DecisionKind = "release"
	DecisionAdminArrest DecisionKind = "administrative_arrest" // N days
	DecisionFine        DecisionKind = "fine"
	DecisionWarning     DecisionKind = "warning"
	DecisionAdjourned   DecisionKind = "adjourned"
)

// Decision is a court's decision at an appearance.
type Decision struct {
	Kind   DecisionKind `json:"kind"`
	Days   int          `json:"days,omitempty"`   // administrative arrest or custody term
	Amount int64        `json:"amount,omitempty"` // fine, in monthly calculation indices or tenge as Currency says
	Unit   string       `json:"unit,omitempty"`   // "MCI", "KZT"
	Court  string       `json:"court,omitempty"`
	Judge  string       `json:"judge,omitempty"`
}

// Charge is an offence a person is charged with.
type Charge struct {
	Code    string `json:"code"`           // CC (Criminal Code) or CAO (Code of Administrative Offences)
	Article string `json:"article"`        // "272"
	Part    string `json:"part,omitempty"` // "2"
	Text    string `json:"text,omitempty"` // "participation in mass riots"
}

// Verdict is the outcome of a trial.
type Verdict struct {
	Outcome  string `json:"outcome"`            // convicted, acquitted, dismissed, amnestied
	Sentence string `json:"sentence,omitempty"` // "5 years' imprisonment"
	Months   int    `json:"months,omitempty"`   // custodial term in months, if any
}

// Allegation documents an allegation of torture or ill-treatment under the
// headings the Istanbul Protocol (2022) asks for: what led up to it, when,
// by whom, what was asked, the routine of the detention, the methods,
// sexual violence, injuries, objects used and witnesses, and the medical
// file. The event's At is when it began; Period holds the rest of the
// dates and times as the person tells them. Every field is optional:
// a first call gives little, and an allegation is recorded as it comes.
type Allegation struct {
	Circumstances string       `json:"circumstances,omitempty"` // what led up to it
	Period        string       `json:"period,omitempty"`        // dates, times, duration and repetition as told
	Methods       []string     `json:"methods,omitempty"`       // codes from IllTreatmentMethods
	MethodsOther  string       `json:"methods_other,omitempty"` // methods the closed list has no code for
	Perpetrators  string       `json:"perpetrators,omitempty"`  // descriptions: uniforms, names, ranks, units
	Questions     string       `json:"questions,omitempty"`     // what was asked, demanded or said
	Routine       string       `json:"routine,omitempty"`       // the detention routine and conditions
	Place         string       `json:"place,omitempty"`
	Objects       string       `json:"objects,omitempty"` // objects or instruments used
	Injuries      string       `json:"injuries,omitempty"`
	Sexual        bool         `json:"sexual_violence,omitempty"`
	Witnesses     string       `json:"witnesses,omitempty"` // who saw or heard it, and who was held alongside
	ReportedTo    string       `json:"reported_to,omitempty"`
	Medical       *MedicalFile `json:"medical,omitempty"`
	// StatementObtained says the person alleges that a statement was
	// obtained from them by the ill-treatment: a confession, an
	// interrogation record, testimony against themselves or others (yes),
	// or that none was (no); nil while they have not said. Such a statement
	// used at trial engages the Convention against Torture, art. 15.
	StatementObtained *bool `json:"statement_obtained,omitempty"`
}

// IllTreatmentMethods is the closed list of methods an allegation may
// name, after the methods of torture the Istanbul Protocol (2022,
// chapter V) describes; "other" stands for any method the list lacks,
// described in MethodsOther.
var IllTreatmentMethods = []string{
	"beating",              // blunt trauma: punches, kicks, slaps, blows with batons or rifle butts
	"falanga",              // blows to the soles of the feet
	"suspension",           // hanging by the arms or legs
	"stress_positions",     // forced positions, prolonged standing or kneeling, tight restraint
	"burns",                // cigarettes, heated objects, scalding liquids
	"electric_shock",       //
	"suffocation",          // bags over the head, near-drowning, choking
	"chemical_exposure",    // pepper spray, tear gas in a closed room, caustic substances
	"sexual_violence",      // including threats of rape and forced nudity with sexual intent
	"forced_nudity",        //
	"threats",              // of death, of harm to relatives, of further torture or prosecution
	"mock_execution",       //
	"humiliation",          // verbal abuse, forced acts against religion or dignity
	"sleep_deprivation",    //
	"deprivation_of_needs", // food, water, toilet, hygiene, medical care
	"exposure",             // to extreme cold or heat
	"sensory_deprivation",  // hooding, blindfolding, noise, constant light
	"solitary_confinement", // prolonged isolation
	"witnessing_torture",   // made to watch or hear others being tortured
	"pharmacological",      // forced administration of drugs
	"other",                // described in methods_other
}

// ConsistencyGrades are the Istanbul Protocol's grades of how far the
// physical or psychological findings fit the allegation, weakest first.
var ConsistencyGrades = []string{"not_consistent", "consistent", "highly_consistent", "typical", "diagnostic"}

// MedicalFile is the medical documentation of an allegation as the
// Istanbul Protocol asks for it. Tri-state facts are nil when unknown,
// which is not the same as false. Findings without visible signs do not
// mean that there was no torture: many methods leave none.
type MedicalFile struct {
	ExaminedAt              time.Time `json:"examined_at,omitzero"`
	Examiner                string    `json:"examiner,omitempty"`                 // name and qualification; independent or state
	Consent                 *bool     `json:"consent,omitempty"`                  // informed consent to the examination
	PrivateInterview        *bool     `json:"private_interview,omitempty"`        // no official or guard present
	Photographs             *bool     `json:"photographs,omitempty"`              // injuries photographed
	BodyDiagrams            *bool     `json:"body_diagrams,omitempty"`            // injuries marked on body diagrams
	PsychologicalEvaluation *bool     `json:"psychological_evaluation,omitempty"` // psychological evidence assessed
	Findings                string    `json:"findings,omitempty"`
	Consistency             string    `json:"consistency,omitempty"` // one of ConsistencyGrades
}

// Text fields of an allegation are bounded so a record stays readable.
const maxAllegationText = 4000

// normalize writes each method as its code ("Electric shock" becomes
// electric_shock), drops empty and repeated ones, and puts them in the
// order of IllTreatmentMethods. A method the list lacks is described, not
// lost: its words join MethodsOther and the method becomes "other" — so
// records written before the list was closed (export format version 1,
// free-text methods) still read. Methods described in MethodsOther add
// "other", and sexual violence among the methods sets Sexual.
func (a *Allegation) normalize() {
	a.MethodsOther = strings.TrimSpace(a.MethodsOther)
	seen := map[string]bool{}
	var unknown []string
	for _, m := range a.Methods {
		code := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(m)))
		switch {
		case code == "" || seen[code]:
		case slices.Contains(IllTreatmentMethods, code):
			seen[code] = true
		default:
			seen[code] = true
			unknown = append(unknown, strings.TrimSpace(m))
		}
	}
	if len(unknown) > 0 {
		a.MethodsOther = strings.Join(append(slices.DeleteFunc(strings.Split(a.MethodsOther, "; "), func(s string) bool { return s == "" }), unknown...), "; ")
	}
	if a.MethodsOther != "" {
		seen["other"] = true
	}
	a.Methods = nil
	for _, code := range IllTreatmentMethods {
		if seen[code] {
			a.Methods = append(a.Methods, code)
		}
	}
	a.Sexual = a.Sexual || seen["sexual_violence"]
	if a.Medical != nil {
		a.Medical.ExaminedAt = utc(a.Medical.ExaminedAt)
		a.Medical.Examiner = strings.TrimSpace(a.Medical.Examiner)
	}
}

func (a *Allegation) validate(v *validator) {
	for i, m := range a.Methods {
		if !slices.Contains(IllTreatmentMethods, m) {
			v.add(fmt.Sprintf("methods[%d]", i), "%q is not a method of the list; use other and describe it in methods_other", m)
		}
	}
	for _, f := range []struct{ name, value string }{
		{"circumstances", a.Circumstances}, {"period", a.Period}, {"methods_other", a.MethodsOther},
		{"perpetrators", a.Perpetrators}, {"questions", a.Questions}, {"routine", a.Routine}, {"place", a.Place},
		{"objects", a.Objects}, {"injuries", a.Injuries}, {"witnesses", a.Witnesses}, {"reported_to", a.ReportedTo},
	} {
		v.maxLen(f.name, f.value, maxAllegationText)
	}
	if m := a.Medical; m != nil {
		v.nested("medical", func(v *validator) {
			v.instant("examined_at", m.ExaminedAt, true)
			v.maxLen("examiner", m.Examiner, 300)
			v.maxLen("findings", m.Findings, maxAllegationText)
			v.oneOf("consistency", m.Consistency, ConsistencyGrades, true)
		})
	}
}

// Event is one fact on a custody timeline, with its own time, place and
// sources. Two sources that disagree give two events: nothing is averaged.
type Event struct {
	ID         string      `json:"id"` // unique within the detention: "e1", "e2"
	Type       EventType   `json:"type"`
	At         time.Time   `json:"at"` // UTC; shown in Zone
	Zone       string      `json:"zone,omitempty"`
	Place      string      `json:"place,omitempty"` // where it happened or, for a transfer, the place of custody
	Body       string      `json:"body,omitempty"`  // arresting body, custodian or authority
	Decision   *Decision   `json:"decision,omitempty"`
	Charge     *Charge     `json:"charge,omitempty"`
	Verdict    *Verdict    `json:"verdict,omitempty"`
	Allegation *Allegation `json:"allegation,omitempty"`
	LawyerID   string      `json:"lawyer_id,omitempty"`
	Note       string      `json:"note,omitempty"`
	Sources    []string    `json:"sources,omitempty"`

	// Monitoring is a trial monitor's fair-trial checklist for a hearing:
	// trial_hearing and court_appearance events only.
	Monitoring *TrialMonitoring `json:"monitoring,omitempty"`
}

// EntityKind implements Entity.
func (d *Detention) EntityKind() Kind { return KindDetention }

// GetID implements Entity.
func (d *Detention) GetID() string { return d.ID }

// SetID implements Entity.
func (d *Detention) SetID(id string) { d.ID = id }

// Refs implements Entity.
func (d *Detention) Refs() []Ref {
	refs := []Ref{{Field: "person_id", Kind: KindPerson, ID: d.PersonID}}
	if d.IncidentID != "" {
		refs = append(refs, Ref{Field: "incident_id", Kind: KindIncident, ID: d.IncidentID})
	}
	refs = append(refs, sourceRefs("sources", d.Sources)...)
	for i, e := range d.Events {
		refs = append(refs, sourceRefs(fmt.Sprintf("events[%d].sources", i), e.Sources)...)
		if e.LawyerID != "" {
			refs = append(refs, Ref{Field: fmt.Sprintf("events[%d].lawyer_id", i), Kind: KindLawyer, ID: e.LawyerID})
		}
	}
	return refs
}

// SourceIDs implements Entity.
func (d *Detention) SourceIDs() []string {
	lists := [][]string{d.Sources}
	for _, e := range d.Events {
		lists = append(lists, e.Sources)
	}
	return unionSorted(lists...)
}

// Normalize implements Entity: times to UTC, the zone defaulted from the
// city, events in time order (stable, so equal times keep their order) and
// event identifiers filled in.
func (d *Detention) Normalize() {
	var zone string
	if c, ok := FindCity(d.City); ok {
		zone = c.Zone
	}
	used := map[string]bool{}
	for _, e := range d.Events {
		used[e.ID] = true
	}
	next := 1
	for i := range d.Events {
		e := &d.Events[i]
		e.At = utc(e.At)
		if e.Zone == "" {
			e.Zone = zone
		}
		e.Sources = unionSorted(e.Sources)
		if e.Allegation != nil {
			e.Allegation.normalize()
		}
		if e.ID == "" {
			for used[fmt.Sprintf("e%d", next)] {
				next++
			}
			e.ID = fmt.Sprintf("e%d", next)
			used[e.ID] = true
		}
	}
	sort.SliceStable(d.Events, func(i, j int) bool { return d.Events[i].At.Before(d.Events[j].At) })
	d.Sources = unionSorted(d.Sources)
}

var (
	eventIDPattern = regexp.MustCompile(`^e[0-9]{1,6}$`)
	articlePattern = regexp.MustCompile(`^[0-9]{1,4}(-[0-9]{1,2})?$`)
)

// Validate implements Entity.
func (d *Detention) Validate() error {
	v := &validator{}
	v.optID(KindDetention, "id", d.ID)
	v.id(KindPerson, "person_id", d.PersonID)
	v.optID(KindIncident, "incident_id", d.IncidentID)
	v.city("city", d.City, false)
	v.oneOf("procedure", string(d.Procedure), []string{string(ProcedureAdministrative), string(ProcedureCriminal)}, true)
	hasArrest := false
	ids := map[string]bool{}
	for i, e := range d.Events {
		if e.Type == EventArrest {
			hasArrest = true
		}
		v.nested(fmt.Sprintf("events[%d]", i), func(v *validator) {
			if !eventIDPattern.MatchString(e.ID) {
				v.add("id", "%q is not an event identifier (e1, e2, ...)", e.ID)
			} else if ids[e.ID] {
				v.add("id", "%q is used by another event", e.ID)
			}
			ids[e.ID] = true
			e.validate(v)
		})
	}
	if !hasArrest {
		v.add("events", "an arrest event (the de facto arrest) is required")
	}
	v.sources("sources", d.Sources)
	return v.err("detention")
}

func (e *Event) validate(v *validator) {
	v.oneOf("type", string(e.Type), EventTypes, false)
	v.instant("at", e.At, false)
	v.zone("zone", e.Zone)
	v.maxLen("place", e.Place, 300)
	v.optID(KindLawyer, "lawyer_id", e.LawyerID)
	v.sources("sources", e.Sources)
	// Each type carries its own detail, and only its own.
	need := map[EventType]string{EventCourtAppearance: "decision", EventCharge: "charge", EventVerdict: "verdict"}
	has := map[string]bool{"decision": e.Decision != nil, "charge": e.Charge != nil, "verdict": e.Verdict != nil, "allegation": e.Allegation != nil}
	for _, field := range []string{"decision", "charge", "verdict", "allegation"} { // fixed order: same record, same message
		if !has[field] {
			continue
		}
		if need[e.Type] != field && !(field == "allegation" && e.Type == EventIllTreatment) {
			v.add(field, "is not used with event type %s", e.Type)
		}
	}
	if f := need[e.Type]; f != "" && !has[f] {
		v.add(f, "is required for event type %s", e.Type)
	}
	if e.Decision != nil {
		v.nested("decision", func(v *validator) {
			v.oneOf("kind", string(e.Decision.Kind), []string{string(DecisionCustody), string(DecisionHouseArrest),
				string(DecisionRelease), string(DecisionAdminArrest), string(DecisionFine), string(DecisionWarning), string(DecisionAdjourned)}, false)
			if e.Decision.Kind == DecisionAdminArrest && (e.Decision.Days < 1 || e.Decision.Days > 90) {
				v.add("days", "administrative arrest needs a number of days (1-90), got %d", e.Decision.Days)
			}
			if e.Decision.Days < 0 {
				v.add("days", "is negative")
			}
			if e.Decision.Kind == DecisionFine && e.Decision.Amount <= 0 {
				v.add("amount", "a fine needs a positive amount")
			}
		})
	}
	if e.Charge != nil {
		v.nested("charge", func(v *validator) {
			v.oneOf("code", e.Charge.Code, []string{"CC", "CAO"}, false)
			if !articlePattern.MatchString(e.Charge.Article) {
				v.add("article", "%q is not an article number", e.Charge.Article)
			}
		})
	}
	if e.Allegation != nil {
		v.nested("allegation", e.Allegation.validate)
	}
	if e.Verdict != nil {
		v.nested("verdict", func(v *validator) {
			v.oneOf("outcome", e.Verdict.Outcome, []string{"convicted", "acquitted", "dismissed", "amnestied"}, false)
			if e.Verdict.Months < 0 {
				v.add("months", "is negative")
			}
		})
	}
	if e.Monitoring != nil {
		if !e.Type.Monitored() {
			v.add("monitoring", "is not used with event type %s", e.Type)
		}
		v.nested("monitoring", e.Monitoring.validate)
	}
}

// ArrestedAt returns the earliest de facto arrest time any source gives:
// conflicting sources are read conservatively, in the detainee's favour.
func (d *Detention) ArrestedAt() time.Time {
	var t time.Time
	for _, e := range d.Events {
		if e.Type == EventArrest && (t.IsZero() || e.At.Before(t)) {
			t = e.At
		}
	}
	return t
}

// ProtocolAt returns the earliest time stated in a detention protocol, or zero.
func (d *Detention) ProtocolAt() time.Time {
	var t time.Time
	for _, e := range d.Events {
		if e.Type == EventProtocol && (t.IsZero() || e.At.Before(t)) {
			t = e.At
		}
	}
	return t
}

// Status derives where the detainee stands from the last event that changes it.
func (d *Detention) Status() Status {
	s := StatusInCustody
	for _, e := range d.Events { // events are in time order after Normalize
		switch e.Type {
		case EventDeathInCustody:
			return StatusDied
		case EventRelease:
			s = StatusReleased
		case EventCourtAppearance:
			if e.Decision == nil {
				continue
			}
			switch e.Decision.Kind {
			case DecisionCustody, DecisionAdminArrest:
				s = StatusInCustody
			case DecisionHouseArrest:
				s = StatusHouseArrest
			case DecisionRelease, DecisionFine, DecisionWarning:
				s = StatusReleased
			}
		case EventVerdict:
			if e.Verdict == nil {
				continue
			}
			if e.Verdict.Months > 0 {
				s = StatusInCustody
			} else {
				s = StatusReleased
			}
		}
	}
	return s
}

// EventsOf returns the events of the given type, in time order.
func (d *Detention) EventsOf(t EventType) []Event {
	var out []Event
	for _, e := range d.Events {
		if e.Type == t {
			out = append(out, e)
		}
	}
	return out
}

// LocalTime returns t in the time zone named zone (from the tz database),
// falling back to UTC.
func LocalTime(t time.Time, zone string) time.Time {
	if loc, err := LoadZone(zone); err == nil {
		return t.In(loc)
	}
	return t.UTC()
}

// ArticleLabel renders a charge as "CC 272(2)".
func (c *Charge) ArticleLabel() string {
	s := c.Code + " " + c.Article
	if c.Part != "" {
		s += "(" + c.Part + ")"
	}
	return strings.TrimSpace(s)
}
