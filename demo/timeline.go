package demo

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// caseGen draws one detention case: the person, the sources that report
// them, the custody timeline and what follows from it.
type caseGen struct {
	g *gen
	r rng
	h *caseHead
	c *habeas.City

	truth  *truth
	person *habeas.Person
	det    *habeas.Detention

	report, followup, lawyerSrc, witness *caseSource
	extra                                []*caseSource // the sources of duplicate reports

	events   []habeas.Event
	held     []held    // places of custody, in time order
	base     time.Time // the latest de facto arrest claim: every later fact follows it
	anchor   time.Time // the protocol, or the first transfer when there is none
	out      time.Time // when custody ended (release, house arrest, death); zero while held
	final    time.Time // the last fact of the case
	released bool

	lawyer     *habeas.Lawyer
	asgKind    habeas.AssignmentKind
	asgFrom    time.Time
	protocolID string // the police list that gives the protocol
	article    *habeas.Charge
}

type held struct {
	at    time.Time
	place string
}

const (
	hour = time.Hour
	day  = 24 * time.Hour
)

// detentionCase draws one detention and everything that hangs on it.
func (g *gen) detentionCase(h *caseHead) {
	cg := &caseGen{g: g, r: g.r, h: h, c: h.city}
	cg.truth = g.newTruth(h.city, h.foreign, roleDetainee)
	reportKind := pickW(cg.r, []choice[habeas.SourceKind]{{40, habeas.SourceHotlineCall}, {22, habeas.SourceRelative},
		{10, habeas.SourceSocialMedia}, {8, habeas.SourceWitness}, {8, habeas.SourceOwnMonitor}, {5, habeas.SourceMedia},
		{7, habeas.SourceLawyer}})
	cg.report = g.caseSource(reportKind, h.city, "detainee", h.at)
	name := cg.truth.name.render(pickW(cg.r, stylesFor[reportKind]), cg.r)
	cg.person = g.personRecord(cg.truth, name, cg.report.src.ID, reportKind, h.at, h.city)

	if cg.r.chance(map[habeas.Procedure]float64{habeas.ProcedureCriminal: 0.8, habeas.ProcedureAdministrative: 0.4}[h.proc]) {
		cg.lawyer = g.pickLawyer(h.city)
		if h.proc == habeas.ProcedureCriminal {
			cg.asgKind = pickW(cg.r, []choice[habeas.AssignmentKind]{{45, habeas.AssignmentAppointed}, {30, habeas.AssignmentLegalAid}, {25, habeas.AssignmentRetained}})
		} else {
			cg.asgKind = pickW(cg.r, []choice[habeas.AssignmentKind]{{10, habeas.AssignmentAppointed}, {50, habeas.AssignmentLegalAid}, {40, habeas.AssignmentRetained}})
		}
	}
	cg.det = &habeas.Detention{ID: g.ids.next(habeas.KindDetention), PersonID: cg.person.ID, City: h.city.Key, Procedure: h.proc}
	if incs := g.incidents[h.city.Key+"|"+localDate(h.city, h.at)]; len(incs) > 0 && cg.r.chance(0.85) {
		cg.det.IncidentID = pick(cg.r, incs).ID
	}

	cg.arrest()
	if h.proc == habeas.ProcedureCriminal {
		cg.criminal()
	} else {
		cg.administrative()
	}
	if h.death {
		cg.die()
	}
	cg.safeguards()
	if cg.out.IsZero() || cg.released {
		cg.trialPhase()
	}
	cg.finish()
	cg.nameVariants()
	for i := 0; i < h.dups; i++ {
		cg.duplicate()
	}
	cg.consequences()
	g.settle(cg.report)
	g.settle(cg.followup)
	g.settle(cg.lawyerSrc)
	g.settle(cg.witness)
	for _, cs := range cg.extra {
		g.settle(cs)
	}
}

// add appends an event; its identifier is given once the timeline is sorted.
func (cg *caseGen) add(e habeas.Event) {
	e.Zone = cg.c.Zone
	cg.events = append(cg.events, e)
	if e.At.After(cg.final) {
		cg.final = e.At
	}
}

// moveTo adds a transfer to a place of custody, reported by cite.
func (cg *caseGen) moveTo(at time.Time, place, body string, cite func(time.Time) string) {
	cg.add(habeas.Event{Type: habeas.EventTransfer, At: at, Place: place, Body: body, Sources: []string{cite(at)}})
	cg.held = append(cg.held, held{at, place})
}

// heldAt returns where the detainee was held at t: the place of the latest
// transfer before t, or of the first one.
func (cg *caseGen) heldAt(t time.Time) string {
	var best *held
	for i, h := range cg.held {
		if !h.at.After(t) && (best == nil || h.at.After(best.at)) {
			best = &cg.held[i]
		}
	}
	if best == nil && len(cg.held) > 0 {
		best = &cg.held[0]
	}
	if best == nil {
		return ""
	}
	return best.place
}

// fu cites the family's follow-up: calls after the first report.
func (cg *caseGen) fu(t time.Time) string {
	if cg.followup == nil {
		k := habeas.SourceRelative
		if cg.r.chance(0.3) {
			k = habeas.SourceHotlineCall
		}
		cg.followup = cg.g.caseSource(k, cg.c, "detainee", cg.h.at)
	}
	return cg.followup.cite(t)
}

// official cites the police list of the day of t.
func (cg *caseGen) official(t time.Time) string { return cg.g.official(cg.c, t) }

// law cites the defence lawyer's report, or the family when there is no
// lawyer.
func (cg *caseGen) law(t time.Time) string {
	if cg.lawyer == nil {
		return cg.fu(t)
	}
	if cg.lawyerSrc == nil {
		cg.lawyerSrc = cg.g.caseSource(habeas.SourceLawyer, cg.c, "detainee", cg.h.at)
	}
	return cg.lawyerSrc.cite(t)
}

// arrest draws the de facto arrest, sometimes twice from sources that
// disagree, the delivery to a police department and the protocol, often
// drawn up hours later.
func (cg *caseGen) arrest() {
	r, c, h, g := cg.r, cg.c, cg.h, cg.g
	place := arrestPlace(r, c, h.plan, h.day)
	body := pickW(r, arrestBodies)
	cg.add(habeas.Event{Type: habeas.EventArrest, At: h.at, Place: place, Body: body, Sources: []string{cg.report.cite(h.at)}})
	cg.base = h.at
	if r.chance(0.07) {
		second := habeas.Event{Type: habeas.EventArrest, Place: place, Body: body}
		if r.chance(0.3) {
			second.Place = arrestPlace(r, c, h.plan, h.day)
		}
		if r.chance(0.7) {
			second.At = h.at.Add(r.skewed(10*time.Minute, 7*hour))
			second.Sources = []string{g.official(c, second.At)}
			second.Note = "time as the police list gives it"
		} else {
			second.At = h.at.Add(-r.skewed(10*time.Minute, 4*hour))
			cg.witness = g.caseSource(habeas.SourceWitness, c, "detainee", h.at)
			second.Sources = []string{cg.witness.cite(h.at)}
			second.Note = "an eyewitness saw the arrest earlier than the family was told"
			if r.chance(0.5) {
				second.Body = pickW(r, arrestBodies)
			}
		}
		cg.add(second)
		if second.At.After(cg.base) {
			cg.base = second.At
		}
	}
	dept := policeDepartment(r, c, h.plan)
	t1 := cg.base.Add(r.skewed(15*time.Minute, 2*hour))
	src := cg.official
	if r.chance(0.4) {
		src = cg.fu
	}
	cg.moveTo(t1, dept, body, src)
	cg.anchor = t1
	if r.chance(0.05) {
		return // no protocol was ever drawn up
	}
	var delay time.Duration
	switch r.weighted([]int{60, 28, 12}) {
	case 0:
		delay = r.dur(20*time.Minute, 3*hour)
	case 1:
		delay = r.dur(3*hour, 10*hour)
	default:
		delay = r.dur(10*hour, 36*hour)
	}
	p := cg.base.Add(delay)
	if p.Before(t1.Add(10 * time.Minute)) {
		p = t1.Add(r.dur(10*time.Minute, 40*time.Minute))
	}
	cg.protocolID = g.official(c, p)
	e := habeas.Event{Type: habeas.EventProtocol, At: p, Place: dept, Body: dept, Sources: []string{cg.protocolID}}
	if p.Sub(h.at) > 3*hour && r.chance(0.3) {
		e.Note = "the protocol states a detention time hours after the de facto arrest"
	}
	cg.add(e)
	cg.anchor = p
}

// safeguards draws the events that show whether the detainee's rights were
// respected while held: family, lawyer, consul, interpreter, doctor,
// confirmation of whereabouts, and allegations of ill-treatment. Events
// that would fall after custody ended are not drawn.
func (cg *caseGen) safeguards() {
	r, c, h, g := cg.r, cg.c, cg.h, cg.g
	before := func(t time.Time) bool { return cg.out.IsZero() || t.Before(cg.out) }
	slow := time.Duration(1)
	if inBlackout(cg.base) {
		slow = 2
	}
	if r.chance(map[bool]float64{true: 0.55, false: 0.7}[inBlackout(cg.base)]) {
		at := cg.base.Add(r.skewed(hour, 60*hour) * slow)
		if before(at) {
			cg.add(habeas.Event{Type: habeas.EventFamilyNotified, At: at,
				Body: pick(r, []string{"police", "investigator", "the detainee, by phone", "a released cellmate"}), Sources: []string{cg.fu(at)}})
		}
	}
	if cg.lawyer != nil {
		cg.lawyerEvents(before)
	} else if r.chance(0.25) {
		at := cg.base.Add(r.skewed(time.Hour, 48*hour))
		if before(at) {
			cg.add(habeas.Event{Type: habeas.EventLawyerRequested, At: at, Body: pick(r, []string{"the detainee", "the family"}),
				Note: "no lawyer came", Sources: []string{cg.fu(at)}})
		}
	}
	if cg.truth.country != "KZ" {
		if r.chance(0.55) {
			at := cg.base.Add(r.skewed(6*hour, 6*day))
			if before(at) {
				cg.add(habeas.Event{Type: habeas.EventConsularNotified, At: at,
					Body: pick(r, []string{"Ministry of Foreign Affairs", "police", "investigator"}), Sources: []string{cg.law(at)}})
			}
		}
		if cg.truth.name.group != groupRussian && r.chance(0.6) {
			at := cg.anchor.Add(r.skewed(15*time.Minute, 12*hour))
			if before(at) {
				cg.add(habeas.Event{Type: habeas.EventInterpreter, At: at, Place: cg.heldAt(at),
					Note: "interpreter for questioning", Sources: []string{cg.law(at)}})
			}
		}
	}
	if r.chance(map[habeas.Procedure]float64{habeas.ProcedureCriminal: 0.55, habeas.ProcedureAdministrative: 0.25}[h.proc]) {
		at := cg.anchor.Add(r.skewed(30*time.Minute, 20*hour))
		if before(at) {
			cg.add(habeas.Event{Type: habeas.EventMedicalExam, At: at, Place: cg.heldAt(at), Body: "medical unit of the place of custody",
				Note:    pickW(r, []choice[string]{{6, "no injuries recorded"}, {3, "bruises recorded"}, {1, "examination refused by staff"}}),
				Sources: []string{cg.law(at)}})
		}
	}
	if r.chance(0.3) {
		at := cg.anchor.Add(r.skewed(2*hour, 72*hour))
		if before(at) {
			src := g.monitor(c, at)
			if r.chance(0.4) {
				src = cg.law(at)
			}
			cg.add(habeas.Event{Type: habeas.EventWhereaboutsStated, At: at, Place: cg.heldAt(at),
				Body:    pick(r, []string{"police duty officer, by phone", "prosecutor's office reply", "monitor's visit", "defence lawyer"}),
				Sources: []string{src}})
		}
	}
	if r.chance(0.03) {
		cg.allegation()
	}
}

// lawyerEvents draws the request for a lawyer, refusals and access.
func (cg *caseGen) lawyerEvents(before func(time.Time) bool) {
	r := cg.r
	req := cg.base.Add(r.skewed(30*time.Minute, 30*hour))
	if !before(req) {
		cg.lawyer = nil // released before anyone came
		return
	}
	cg.add(habeas.Event{Type: habeas.EventLawyerRequested, At: req, Body: pick(r, []string{"the detainee", "the family"}),
		Sources: []string{cg.fu(req)}})
	last := req
	if r.chance(0.35) {
		for i := r.between(1, 2); i > 0; i-- {
			last = last.Add(r.skewed(time.Hour, 30*hour))
			if !before(last) {
				break
			}
			cg.add(habeas.Event{Type: habeas.EventLawyerDenied, At: last, Place: cg.heldAt(last), LawyerID: cg.lawyer.ID,
				Note: pick(r, []string{"refused, citing the state of emergency", "told the detainee was not there",
					"refused without reason", "told to come back after questioning"}), Sources: []string{cg.law(last)}})
		}
	}
	if r.chance(0.12) {
		cg.asgFrom = req // assigned, but never let in
		return
	}
	grant := last.Add(r.skewed(2*hour, 72*hour))
	if !before(grant) {
		if cg.h.proc == habeas.ProcedureCriminal {
			cg.asgFrom = req
		} else {
			cg.lawyer = nil
		}
		return
	}
	cg.add(habeas.Event{Type: habeas.EventLawyerAccess, At: grant, Place: cg.heldAt(grant), LawyerID: cg.lawyer.ID,
		Sources: []string{cg.law(grant)}})
	cg.asgFrom = grant
}

var (
	// methods are codes of habeas.IllTreatmentMethods, with the object
	// used when the account names one.
	methods = []struct{ code, object string }{{"beating", ""}, {"beating", "boots"}, {"beating", "rubber batons"},
		{"suffocation", "plastic bag"}, {"electric_shock", "stun gun"}, {"burns", "hot iron"}, {"stress_positions", ""},
		{"stress_positions", "handcuffs"}, {"threats", ""}, {"sleep_deprivation", ""}, {"deprivation_of_needs", ""},
		{"humiliation", ""}, {"exposure", ""}}
	injuries = []string{"bruises on the back and legs", "broken ribs", "burns on the back", "broken nose", "concussion",
		"no visible injuries reported", "swelling and bruising on the face", "injured kidneys"}
)

// allegation draws an allegation of ill-treatment in custody and,
// sometimes, the forensic examination that followed.
func (cg *caseGen) allegation() {
	r, c := cg.r, cg.c
	at := cg.base.Add(r.skewed(30*time.Minute, 72*hour))
	if !cg.out.IsZero() && !at.Before(cg.out) {
		at = cg.base.Add(r.dur(0, cg.out.Sub(cg.base)))
	}
	place := cg.heldAt(at)
	var ms, objects []string
	for _, i := range r.Perm(len(methods))[:r.between(1, 3)] {
		ms = append(ms, methods[i].code)
		if o := methods[i].object; o != "" {
			objects = append(objects, o)
		}
	}
	slices.Sort(ms)
	slices.Sort(objects)
	a := &habeas.Allegation{
		Methods: ms,
		Objects: strings.Join(objects, ", "),
		Perpetrators: pick(r, []string{"officers of the " + cg.held[0].place, "masked men in black uniforms", "KNB officers",
			"special police unit (SOBR) officers", "unidentified officers at the place of custody", "investigators during questioning"}),
		Place:      place,
		Injuries:   pick(r, injuries),
		Sexual:     r.chance(0.04),
		ReportedTo: pick(r, []string{"defence lawyer", "investigating judge at the custody hearing", "prosecutor's office", "Commissioner for Human Rights", "relatives", ""}),
	}
	srcs := []string{cg.law(at)}
	if r.chance(0.3) {
		srcs = append(srcs, cg.g.monitor(c, at))
	}
	note := pick(r, []string{"alleged ill-treatment to obtain a confession", "alleged beating on arrival", "alleged ill-treatment during questioning"})
	a.StatementObtained = cg.g.statementObtained(note)
	cg.add(habeas.Event{Type: habeas.EventIllTreatment, At: at, Place: place, Allegation: a, Note: note, Sources: srcs})
	if r.chance(0.6) {
		exam := at.Add(r.skewed(12*hour, 10*day))
		cg.add(habeas.Event{Type: habeas.EventMedicalExam, At: exam, Body: "forensic medical examiner",
			Note:    pick(r, []string{"forensic examination recorded injuries", "forensic examination found no injuries", "forensic examination recorded injuries of unclear age"}),
			Sources: []string{cg.law(exam)}})
	}
}

// die ends the timeline with a death in custody.
func (cg *caseGen) die() {
	r := cg.r
	end := cg.base.Add(8 * day)
	if !cg.out.IsZero() {
		end = cg.out
	}
	at := cg.base.Add(r.dur(0, end.Sub(cg.base)))
	at = later(at, cg.base.Add(2*hour))
	if !end.After(at) {
		at = cg.base.Add(end.Sub(cg.base) / 2).Truncate(time.Second)
	}
	kept := cg.events[:0]
	for _, e := range cg.events {
		if !e.At.After(at) {
			kept = append(kept, e)
		}
	}
	cg.events = kept
	cg.final = at
	place := cg.heldAt(at)
	cg.add(habeas.Event{Type: habeas.EventDeathInCustody, At: at, Place: place, Body: "custodial staff",
		Note:    pick(r, []string{"official cause given as heart failure", "relatives report signs of beating on the body", "died after being denied medical help"}),
		Sources: []string{cg.g.media(cg.c, at), cg.fu(at)}})
	cg.out, cg.released = at, false
}

// finish sorts the timeline, numbers its events and queues the detention.
func (cg *caseGen) finish() {
	slices.SortStableFunc(cg.events, func(a, b habeas.Event) int { return a.At.Compare(b.At) })
	for i := range cg.events {
		cg.events[i].ID = fmt.Sprintf("e%d", i+1)
	}
	cg.det.Events = cg.events
	cg.det.Sources = []string{cg.report.src.ID}
	cg.g.c.detentions = append(cg.g.c.detentions, cg.det)
}
