package demo

import (
	"fmt"
	"time"

	"github.com/habeas-project/habeas"
)

// judge returns a synthetic judge's name as court records in Latin give it.
func (g *gen) judge() string {
	n := g.r.newName(pickW(g.r, []choice[nameGroup]{{8, groupKazakh}, {2, groupRussian}}), pickW(g.r, []choice[habeas.Sex]{{6, habeas.SexMale}, {4, habeas.SexFemale}}))
	given := translit(russify(n.given), schemeSimple)
	return "Judge " + given[:1] + ". " + translit(russify(n.surname), schemeSimple)
}

// appear adds a court appearance with its decision.
func (cg *caseGen) appear(at time.Time, court string, d habeas.Decision) {
	d.Court = court
	d.Judge = cg.g.judge()
	cg.add(habeas.Event{Type: habeas.EventCourtAppearance, At: at, Place: court, Body: court, Decision: &d,
		Sources: []string{cg.g.court(cg.c, at)}, Monitoring: cg.g.trialMonitor(0.1, "", cg.juvenile())})
}

// release adds the release and ends custody.
func (cg *caseGen) release(at time.Time, note, src string) {
	cg.add(habeas.Event{Type: habeas.EventRelease, At: at, Place: cg.heldAt(at), Note: note, Sources: []string{src}})
	if cg.out.IsZero() {
		cg.out = at
	}
	cg.released = true
}

// administrative draws the administrative track: a CAO charge, usually a
// hearing within days, and arrest, a fine, a warning or release.
func (cg *caseGen) administrative() {
	r, c, g := cg.r, cg.c, cg.g
	ch := pickW(r, []choice[habeas.Charge]{
		{45, habeas.Charge{Code: "CAO", Article: "488", Part: "6", Text: "violation of the procedure for holding peaceful assemblies"}},
		{25, habeas.Charge{Code: "CAO", Article: "488", Part: "8", Text: "taking part in an unauthorised assembly"}},
		{15, habeas.Charge{Code: "CAO", Article: "488", Part: "11", Text: "repeated violation of the procedure for assemblies"}},
		{15, habeas.Charge{Code: "CAO", Article: "667", Text: "disobedience to a lawful order of a police officer"}},
	})
	cg.article = &ch
	at := cg.anchor.Add(r.dur(5*time.Minute, hour))
	cg.add(habeas.Event{Type: habeas.EventCharge, At: at, Place: cg.heldAt(at), Charge: &ch, Sources: []string{g.official(c, at)}})
	if r.chance(0.04) {
		return // held, with no judge and no release
	}
	if r.chance(0.08) {
		rel := cg.anchor.Add(r.skewed(hour, 12*hour))
		cg.release(rel, "released by the police after the protocol was drawn up", cg.fu(rel))
		return
	}
	var wait time.Duration
	switch r.weighted([]int{20, 50, 20, 10}) {
	case 0:
		wait = r.dur(2*hour, 12*hour)
	case 1:
		wait = r.dur(12*hour, 48*hour)
	case 2:
		wait = r.dur(48*hour, 72*hour)
	default:
		wait = r.dur(72*hour, 120*hour)
	}
	hearing := workHours(c, cg.anchor.Add(wait), 9, 22, false, r)
	if hearing.Sub(cg.anchor) > 6*hour {
		cg.moveTo(cg.anchor.Add(r.skewed(hour, 5*hour)), ivs(c), "police", cg.official)
	}
	court := adminCourt(c)
	decide := func() habeas.Decision {
		switch r.weighted([]int{38, 32, 12, 10}) {
		case 0:
			return habeas.Decision{Kind: habeas.DecisionAdminArrest, Days: pickW(r, []choice[int]{{3, 1}, {6, 3}, {10, 5}, {12, 7}, {25, 10}, {30, 15}})}
		case 1:
			return habeas.Decision{Kind: habeas.DecisionFine, Amount: pickW(r, []choice[int64]{{10, 5}, {20, 10}, {20, 15}, {15, 20}, {15, 30}, {10, 50}, {10, 100}}), Unit: "MCI"}
		case 2:
			return habeas.Decision{Kind: habeas.DecisionWarning}
		}
		return habeas.Decision{Kind: habeas.DecisionRelease}
	}
	if r.chance(0.08) {
		cg.appear(hearing, court, habeas.Decision{Kind: habeas.DecisionAdjourned})
		hearing = workHours(c, hearing.Add(r.dur(20*hour, 72*hour)), 9, 22, false, r)
	}
	d := decide()
	cg.appear(hearing, court, d)
	switch d.Kind {
	case habeas.DecisionAdminArrest:
		// The term runs from the de facto arrest; time served counts.
		rel := cg.h.at.Add(time.Duration(d.Days)*day + r.dur(0, 3*hour))
		if rel.Before(hearing.Add(8 * hour)) {
			rel = hearing.Add(r.skewed(30*time.Minute, 3*hour))
		} else {
			cg.moveTo(hearing.Add(r.skewed(hour, 6*hour)), specialCentre(c), "police", cg.fu)
		}
		cg.release(rel, fmt.Sprintf("released after %d days of administrative arrest", d.Days), cg.fu(rel))
	default:
		rel := hearing.Add(r.skewed(15*time.Minute, 3*hour))
		cg.release(rel, "released from the courtroom", cg.fu(rel))
	}
}

// offence is a Criminal Code charge with the custodial range on
// conviction, in months.
type offence struct {
	charge     habeas.Charge
	minM, maxM int
}

func cc(article, part, text string, minM, maxM int) offence {
	return offence{habeas.Charge{Code: "CC", Article: article, Part: part, Text: text}, minM, maxM}
}

// criminalCharges lists the Criminal Code articles seen in January 2022
// and how often each is drawn.
var criminalCharges = []choice[offence]{
	{50, cc("272", "2", "participation in mass riots", 36, 96)},
	{4, cc("272", "1", "organising mass riots", 84, 144)},
	{10, cc("380", "", "violence against a representative of the authorities", 12, 60)},
	{9, cc("255", "", "act of terrorism", 96, 180)},
	{2, cc("179", "", "seizure of power", 120, 240)},
	{1, cc("175", "", "high treason", 144, 240)},
	{12, cc("188", "", "theft", 24, 72)},
	{12, cc("191", "", "robbery", 36, 84)},
}

// criminal draws the criminal track: charges, the custody hearing within
// 48-72 hours (or later, or never), and what the investigating judge
// decided.
func (cg *caseGen) criminal() {
	r, c, g := cg.r, cg.c, cg.g
	first := pickW(r, criminalCharges)
	cg.article = &first.charge
	at := cg.anchor.Add(r.skewed(hour, 30*hour))
	cg.add(habeas.Event{Type: habeas.EventCharge, At: at, Charge: &first.charge, Sources: []string{cg.law(at)}})
	if r.chance(0.2) {
		second := pickW(r, criminalCharges).charge
		if second.Article != first.charge.Article {
			cg.add(habeas.Event{Type: habeas.EventCharge, At: at.Add(time.Minute), Charge: &second, Sources: []string{cg.law(at)}})
		}
	}
	moved := cg.anchor.Add(r.skewed(hour, 8*hour))
	cg.moveTo(moved, ivs(c), "police", cg.official)
	ready := later(at, moved).Add(hour) // charged and moved before any hearing
	if r.chance(0.06) {
		return // held, with no judge and no release
	}
	if r.chance(0.06) {
		rel := ready.Add(r.skewed(2*hour, 48*hour))
		cg.release(rel, "released by the investigator on an undertaking not to leave", cg.law(rel))
		return
	}
	var wait time.Duration
	switch r.weighted([]int{35, 45, 20}) {
	case 0:
		wait = r.dur(30*hour, 48*hour)
	case 1:
		wait = r.dur(48*hour, 72*hour)
	default:
		wait = r.dur(72*hour, 110*hour)
	}
	hearing := workHours(c, later(cg.base.Add(wait), ready), 8, 22, false, r)
	court := investigativeCourt(c)
	if r.chance(0.06) {
		cg.appear(hearing, court, habeas.Decision{Kind: habeas.DecisionAdjourned})
		hearing = workHours(c, hearing.Add(r.dur(20*hour, 48*hour)), 8, 22, false, r)
	}
	switch r.weighted([]int{72, 16, 12}) {
	case 0:
		cg.appear(hearing, court, habeas.Decision{Kind: habeas.DecisionCustody, Days: 60})
		cg.moveTo(hearing.Add(r.skewed(12*hour, 5*day)), sizo(c), "penitentiary service", cg.law)
		next := hearing.Add(r.dur(20*day, 50*day))
		next = workHours(c, next, 9, 18, true, r)
		switch u := r.Float64(); {
		case u < 0.25:
			cg.appear(next, court, habeas.Decision{Kind: habeas.DecisionHouseArrest, Days: 60})
			cg.out, cg.released = next, true
		case u < 0.45:
			cg.appear(next, court, habeas.Decision{Kind: habeas.DecisionRelease})
			cg.release(next.Add(r.skewed(30*time.Minute, 4*hour)), "released on an undertaking not to leave", g.court(c, next))
		default:
			ext := workHours(c, hearing.Add(r.dur(55*day, 60*day)), 9, 18, true, r)
			cg.appear(ext, court, habeas.Decision{Kind: habeas.DecisionCustody, Days: 60})
		}
	case 1:
		cg.appear(hearing, court, habeas.Decision{Kind: habeas.DecisionHouseArrest, Days: 60})
		cg.out, cg.released = hearing, true
	default:
		cg.appear(hearing, court, habeas.Decision{Kind: habeas.DecisionRelease})
		cg.release(hearing.Add(r.skewed(15*time.Minute, 3*hour)), "released from the courtroom", g.court(c, hearing))
	}
}

// trialPhase draws, for some criminal cases, trial hearings in 2022 and a
// verdict: most convicted, some amnestied after 2 November 2022.
func (cg *caseGen) trialPhase() {
	r, c, g := cg.r, cg.c, cg.g
	if cg.h.proc != habeas.ProcedureCriminal || cg.article == nil || cg.article.Code != "CC" {
		return
	}
	hasCourt := false
	for _, e := range cg.events {
		hasCourt = hasCourt || e.Type == habeas.EventCourtAppearance
	}
	inCustody := cg.out.IsZero()
	if !hasCourt || !r.chance(map[bool]float64{true: 0.5, false: 0.3}[inCustody]) {
		return
	}
	court := criminalCourt(c)
	start := later(cg.final.Add(r.dur(15*day, 30*day)), time.Date(2022, time.March, 1, 4, 0, 0, 0, time.UTC).Add(r.dur(0, 200*day)))
	at := workHours(c, start, 10, 17, true, r)
	for i := r.between(1, 4); i > 0; i-- {
		e := habeas.Event{Type: habeas.EventTrialHearing, At: at, Place: court, Body: court,
			Note:    pick(r, []string{"hearing adjourned", "prosecution witnesses examined", "defence motion refused", "defendant says the confession was obtained under duress", "hearing held in a glass cage"}),
			Sources: []string{g.court(c, at)}}
		e.Monitoring = g.trialMonitor(1.0/3, e.Note, cg.juvenile())
		cg.add(e)
		at = workHours(c, at.Add(r.dur(3*day, 21*day)), 10, 17, true, r)
	}
	v := &habeas.Verdict{}
	for _, ch := range criminalCharges {
		if ch.v.charge.Article == cg.article.Article && ch.v.charge.Part == cg.article.Part {
			v.Months = r.between(ch.v.minM, ch.v.maxM) / 6 * 6
		}
	}
	switch r.weighted([]int{72, 9, 7, 4, 8}) {
	case 0:
		v.Outcome = "convicted"
		v.Months = max(v.Months, 12)
		v.Sentence = sentence(v.Months)
	case 1:
		v.Outcome, v.Months = "convicted", 0
		v.Sentence = pick(r, []string{"3 years' restricted freedom", "2 years' restricted freedom", "suspended sentence of 3 years", "fine of 500 MCI"})
	case 2:
		v.Outcome, v.Months = "amnestied", 0
		at = workHours(c, later(at, amnesty.Add(r.dur(0, 40*day))), 10, 17, true, r)
	case 3:
		v.Outcome, v.Months = "acquitted", 0
	default:
		v.Outcome, v.Months = "dismissed", 0
	}
	srcs := []string{g.court(c, at)}
	if r.chance(0.2) {
		srcs = append(srcs, g.media(c, at))
	}
	cg.add(habeas.Event{Type: habeas.EventVerdict, At: at, Place: court, Body: court, Verdict: v, Sources: srcs})
	switch {
	case v.Months > 0 && r.chance(0.5):
		cg.moveTo(at.Add(r.dur(20*day, 70*day)), "penal colony, "+c.Region, "penitentiary service", cg.fu)
	case v.Months == 0 && inCustody:
		cg.release(at.Add(r.skewed(10*time.Minute, 4*hour)), "released from the courtroom after the verdict", g.court(c, at))
	}
}

// sentence renders a custodial term.
func sentence(months int) string {
	y, m := months/12, months%12
	switch {
	case m == 0 && y == 1:
		return "1 year's imprisonment"
	case m == 0:
		return fmt.Sprintf("%d years' imprisonment", y)
	case y == 0:
		return fmt.Sprintf("%d months' imprisonment", m)
	}
	return fmt.Sprintf("%d years %d months' imprisonment", y, m)
}

// trialMonitor draws whether a trial monitor attended a hearing (with
// probability p; note is the hearing's) and, if so, the monitor's
// checklist: most guarantees respected, those the hearing's note speaks
// of often not, an interpreter and juvenile safeguards mostly not
// applicable, a few items left unanswered.
func (g *gen) trialMonitor(p float64, note string, juvenile bool) *habeas.TrialMonitoring {
	r := g.side
	if !r.chance(p) {
		return nil
	}
	no := map[string]float64{ // the chance of a "no", by guarantee
		"public_hearing": 0.15, "independent_tribunal": 0.2, "presumption_of_innocence": 0.25,
		"charge_promptly": 0.1, "time_and_facilities": 0.3, "counsel": 0.2, "reasonable_time": 0.1,
		"presence": 0.05, "equality_of_arms": 0.3, "witnesses": 0.25, "interpreter": 0.1,
		"torture_evidence_excluded": 0.2, "reasoned_judgment": 0.2, "appeal": 0.05, "juvenile_safeguards": 0.3,
	}
	switch note {
	case "hearing held in a glass cage":
		no["presumption_of_innocence"] = 0.95
	case "defendant says the confession was obtained under duress":
		no["torture_evidence_excluded"] = 0.7
	case "defence motion refused":
		no["equality_of_arms"] = 0.6
	}
	m := &habeas.TrialMonitoring{Monitor: fmt.Sprintf("trial-monitor-%02d", r.between(1, 12)), Checks: map[string]habeas.Answer{}}
	for _, c := range habeas.TrialChecks {
		switch {
		case c.Name == "juvenile_safeguards" && !juvenile, c.Name == "interpreter" && r.chance(0.85):
			m.Checks[c.Name] = habeas.AnswerNotApplicable
		case r.chance(0.1):
			// not observed at this hearing: left unanswered
		case r.chance(no[c.Name]):
			m.Checks[c.Name] = habeas.AnswerNo
		default:
			m.Checks[c.Name] = habeas.AnswerYes
		}
	}
	if len(m.Failed()) > 0 && r.chance(0.5) {
		m.Notes = "Synthetic demo data: the monitor's report gives details of each guarantee not respected."
	}
	m.StatementAdmitted = g.statementAdmitted(note)
	return m
}

// juvenile reports whether the person was surely under 18 at the arrest.
func (cg *caseGen) juvenile() bool {
	return habeas.AgeGroupAt(cg.person, cg.base, zone(cg.c)) == habeas.AgeJuvenile
}
