package rules

import (
	"time"

	"github.com/habeas-project/habeas"
)

// deadline evaluates a rule that something must happen within a limit of
// the arrest (or of every transfer). With StartArrestOrTransfer each window
// is judged on its own and the worst counts, so a transfer restarts the
// clock without wiping out an earlier breach.
func (e *Engine) deadline(buf []Result, r *Rule, c *Case, f *facts, at time.Time) []Result {
	window := r.pack.emergencyAt(c.Detention.City, f.arrestWall)
	emergency := window != nil
	// Every window that breached the rule is reported (its Subject is the
	// event that started it), and so is the latest window, which is the one
	// a caseworker can still act on. A later transfer never hides a breach.
	n := len(buf)
	var last Result
	// judged is the rule for the clock started at start under limit, or
	// false if the detainee died before the deadline (the clock stopped).
	judged := func(start time.Time, by string, limit time.Duration, exc *Exception) (Result, bool) {
		res := Result{Rule: r, Exception: exc, Start: start, StartBy: by, Deadline: start.Add(limit), Emergency: emergency, EmergencyWindow: window}
		if r.Applies.Age == "juvenile" || (exc != nil && exc.When.Age == "juvenile") {
			res.Juvenile, res.JuvenilePossible = f.juvenile, f.juvenilePossible
		}
		if t, _ := firstOf(r.ViolatedBy, f.events, start); !t.IsZero() && t.Before(res.Deadline) {
			// A refusal breaches the rule at once: the deadline is the refusal,
			// and a death after it does not wipe out the breach.
			res.Deadline = t
		}
		res.MetAt, res.MetBy = firstOf(r.SatisfiedBy, f.events, start)
		if !f.death.IsZero() && !f.death.After(res.Deadline) && res.MetAt.IsZero() {
			return res, false
		}
		res.judge(f, at)
		return res, true
	}
	judgeWindow := func(start time.Time, by string) {
		// A charge counts for an exception only if brought within the
		// rule's own limit.
		limit, exc, doubtful := exception(r, c, f, start.Add(r.limit))
		res, ok := judged(start, by, limit, exc)
		if doubtful != nil {
			alt, altOK := judged(start, by, doubtful.limit, doubtful)
			reason := doubtReason(doubtful, f)
			if reason == DoubtJuvenile {
				res.JuvenilePossible = true
			}
			if altOK {
				res.Doubt = &Doubt{Reason: reason, Exception: doubtful, State: alt.State, Deadline: alt.Deadline, By: alt.By}
			}
		}
		if !ok {
			return // the detainee died before the deadline: the clock stopped
		}
		if last.Rule != nil && last.State.Violation() {
			last.Subject = last.StartBy
			buf = append(buf, last)
		}
		last = res
	}
	judgeWindow(f.arrest, f.arrestBy)
	if r.Start == StartArrestOrTransfer {
		for i := range f.events {
			if ev := &f.events[i]; ev.Type == habeas.EventTransfer && ev.At.After(f.arrest) {
				judgeWindow(ev.At, ev.ID)
			}
		}
	}
	if last.Rule != nil {
		if len(buf) > n {
			last.Subject = last.StartBy
		}
		buf = append(buf, last)
	}
	return buf
}

// exception returns the limit of the rule: that of the first exception
// that holds, or the rule's own. An exception that depends on a charge
// holds only if the charge was brought at or before chargedBy (for a
// deadline, the end of the rule's own limit): judged as known at the
// time, a breach of the shorter limit stays a breach when a qualifying
// charge comes later.
//
// Doubt is never resolved against the detainee. An exception for
// juveniles, while the birth date does not say, and an exception that
// would lengthen the limit but is not verified (below confidence H) are
// passed over: the limit is the next that holds for sure, and the
// doubtful exception is returned beside it, to be shown, not applied.
func exception(r *Rule, c *Case, f *facts, chargedBy time.Time) (limit time.Duration, exc, doubtful *Exception) {
	saved := f.chargedBy
	f.chargedBy = chargedBy
	defer func() { f.chargedBy = saved }()
	for i := range r.Exceptions {
		x := &r.Exceptions[i]
		if ok, _ := r.pack.match(x.When, c, f); !ok {
			continue
		}
		juvenileInDoubt := x.When.Age == "juvenile" && !f.juvenile
		if juvenileInDoubt || r.Doubtful(x) {
			if doubtful == nil {
				doubtful = x
			}
			continue
		}
		return x.limit, x, doubtful
	}
	return r.limit, nil, doubtful
}

// doubtReason says why an exception returned as doubtful by exception is
// in doubt: the birth date does not rule out a juvenile, or it is not
// verified.
func doubtReason(x *Exception, f *facts) string {
	if x.When.Age == "juvenile" && !f.juvenile {
		return DoubtJuvenile
	}
	return DoubtUnverified
}

// firstOf returns the time and id of the first event of one of the types
// at or after from.
func firstOf(types []habeas.EventType, events []habeas.Event, from time.Time) (time.Time, string) {
	if len(types) == 0 {
		return time.Time{}, ""
	}
	for i := range events { // by index: an Event is too large to copy per step
		if ev := &events[i]; !ev.At.Before(from) && contains(types, ev.Type) {
			return ev.At, ev.ID
		}
	}
	return time.Time{}, ""
}

// endOfCustody returns when the person left custody (release or death), if
// they have.
func endOfCustody(f *facts) (time.Time, string) {
	return firstOf([]habeas.EventType{habeas.EventRelease, habeas.EventDeathInCustody}, f.events, f.arrest)
}

// adminArrest checks an administrative arrest against its legal maximum:
// the term counts from the de facto arrest, and a term ordered beyond the
// maximum is cut to it, so holding someone past either is a breach.
//
// The maximum depends on the article the arrest was imposed under, read
// from the charges on record (the decision does not name it): the first
// exception naming a charged article gives it, else the rule's MaxDays,
// the strictest the pack holds. A charge counts only if recorded by the
// decision and within that strictest maximum. A longer maximum that is
// not verified is never applied: it is shown beside, as the doubt, when
// the term ordered exceeds the maximum applied.
func adminArrest(buf []Result, r *Rule, c *Case, f *facts, at time.Time) []Result {
	for i := range f.events {
		ev := &f.events[i]
		if ev.Type != habeas.EventCourtAppearance || ev.Decision == nil || ev.Decision.Kind != habeas.DecisionAdminArrest {
			continue
		}
		by := f.arrest.Add(r.limit)
		if ev.At.Before(by) {
			by = ev.At
		}
		limit, exc, doubtful := exception(r, c, f, by)
		res := arrestTerm(r, f, ev, limit, exc, at)
		if ordered := time.Duration(ev.Decision.Days) * 24 * time.Hour; doubtful != nil && ordered > limit {
			alt := arrestTerm(r, f, ev, doubtful.limit, doubtful, at)
			res.Doubt = &Doubt{Reason: doubtReason(doubtful, f), Exception: doubtful, State: alt.State, Deadline: alt.Deadline, By: alt.By}
			res.JuvenilePossible = res.Doubt.Reason == DoubtJuvenile
		}
		buf = append(buf, res)
	}
	return buf
}

// arrestTerm judges the administrative arrest decided at ev under the
// given maximum (exc gives it, or nil for the rule's own).
func arrestTerm(r *Rule, f *facts, ev *habeas.Event, maximum time.Duration, exc *Exception, at time.Time) Result {
	ordered := time.Duration(ev.Decision.Days) * 24 * time.Hour
	res := Result{Rule: r, Exception: exc, Subject: ev.ID, Start: f.arrest, StartBy: f.arrestBy, Deadline: f.arrest.Add(min(ordered, maximum))}
	if ordered > maximum {
		res.Failed = append(res.Failed, "ordered_beyond_maximum")
	}
	res.MetAt, res.MetBy = endOfCustody(f)
	res.judge(f, at)
	return res
}

// custodyTerm checks pre-trial custody: each court order runs for its days
// (or the rule's limit) and must be renewed before it ends; the whole may
// not exceed MaxDays from the arrest. Custody ends with release, death, a
// verdict, or a court's decision for a lighter measure.
func custodyTerm(buf []Result, r *Rule, f *facts, at time.Time) []Result {
	var res Result // res.Rule is set once the first custody order is found
	var end time.Time
	cap := f.arrest.Add(time.Duration(r.MaxDays) * 24 * time.Hour)
	for i := range f.events {
		ev := &f.events[i]
		custody := ev.Type == habeas.EventCourtAppearance && ev.Decision != nil && ev.Decision.Kind == habeas.DecisionCustody
		if res.Rule == nil {
			if !custody {
				continue
			}
			res = Result{Rule: r, Subject: ev.ID, Start: ev.At, StartBy: ev.ID}
		}
		if custody {
			if !end.IsZero() && ev.At.After(end) && res.Failed == nil {
				res.Failed = append(res.Failed, "renewed_after_expiry")
			}
			term := r.limit
			if ev.Decision.Days > 0 {
				term = time.Duration(ev.Decision.Days) * 24 * time.Hour
			}
			end = ev.At.Add(term)
			continue
		}
		ends := ev.Type == habeas.EventRelease || ev.Type == habeas.EventDeathInCustody || ev.Type == habeas.EventVerdict ||
			(ev.Type == habeas.EventCourtAppearance && ev.Decision != nil && ev.Decision.Kind != habeas.DecisionAdjourned)
		if ends {
			res.MetAt, res.MetBy = ev.At, ev.ID
			break
		}
	}
	if res.Rule == nil {
		return buf
	}
	res.Deadline = end
	if cap.Before(end) {
		res.Deadline = cap
		res.Failed = append(res.Failed, "beyond_maximum")
	}
	res.judge(f, at)
	return append(buf, res)
}

// allegations checks that every allegation of ill-treatment led to an
// investigation opened within the limit.
func allegations(buf []Result, r *Rule, c *Case, f *facts, at time.Time) []Result {
	for _, ev := range f.events {
		if ev.Type != habeas.EventIllTreatment {
			continue
		}
		res := Result{Rule: r, Subject: ev.ID, Start: ev.At, StartBy: ev.ID, Deadline: ev.At.Add(r.limit)}
		for _, inv := range c.Investigations {
			if inv.DetentionID != c.Detention.ID || inv.AllegationEventID != ev.ID || inv.Opened.IsZero() || inv.Opened.After(at) {
				continue
			}
			if res.MetAt.IsZero() || inv.Opened.Before(res.MetAt) {
				res.MetAt, res.MetBy = inv.Opened, inv.ID
			}
		}
		// An allegation outlives the detention: death does not stop this clock.
		saved := f.death
		f.death = time.Time{}
		res.judge(f, at)
		f.death = saved
		buf = append(buf, res)
	}
	return buf
}

// Minnesota Protocol checks, as names that explanations translate.
const (
	CheckInvestigated  = "investigation_opened" // an investigation was opened promptly
	CheckIndependent   = "independent"          // not run by the agency implicated
	CheckNotRefused    = "not_refused"          // the authority did not refuse to open a case
	CheckAutopsy       = "autopsy"              // an autopsy was done
	CheckFamily        = "family_informed"      // the family is informed
	CheckBodyReturned  = "body_returned"        // the body was returned to the family
	CheckResultsPublic = "results_public"       // findings made public once the case closed
	checkNoCasualty    = "casualty_record"      // a death in custody without a casualty record
)

// minnesota checks the investigation of every death linked to the
// detention against the Minnesota Protocol: failed checks make an ongoing
// violation; checks that cannot be made for want of facts make it unknown.
func minnesota(buf []Result, r *Rule, c *Case, f *facts, at time.Time) []Result {
	found := false
	for _, cc := range c.Casualties {
		if cc.Casualty.Kind != habeas.CasualtyKilled || cc.Casualty.At.After(at) {
			continue
		}
		found = true
		buf = append(buf, MinnesotaCheck(r, cc, at))
	}
	if !found && !f.death.IsZero() {
		buf = append(buf, Result{Rule: r, State: StateUnknown, Start: f.death, Missing: checkNoCasualty})
	}
	return buf
}

// AppendCasualty appends the results of the rules on deaths for a killing
// outside custody: the Minnesota Protocol applies whenever a state agent may
// have caused a death, in custody or not.
func (e *Engine) AppendCasualty(buf []Result, cc CasualtyCase, at time.Time) []Result {
	if cc.Casualty.Kind != habeas.CasualtyKilled || cc.Casualty.At.After(at) {
		return buf
	}
	for _, r := range e.rules {
		if r.Kind == KindMinnesota {
			buf = append(buf, MinnesotaCheck(r, cc, at))
		}
	}
	return buf
}

// MinnesotaCheck evaluates the investigation of one death.
func MinnesotaCheck(r *Rule, cc CasualtyCase, at time.Time) Result {
	cas := cc.Casualty
	// How soon is "promptly" is the pack's reading (its limit), not a
	// number the Protocol fixes.
	res := Result{Rule: r, Subject: cas.ID, Start: cas.At, Deadline: cas.At.Add(r.limit)}
	check := func(name string, v *bool, want bool) {
		switch {
		case v == nil:
			res.Unclear = append(res.Unclear, name)
		case *v != want:
			res.Failed = append(res.Failed, name)
		}
	}
	var opened *habeas.Investigation
	for _, inv := range cc.Investigations {
		if !inv.Opened.IsZero() && !inv.Opened.After(at) && (opened == nil || inv.Opened.Before(opened.Opened)) {
			opened = inv
		}
	}
	refused := false
	for _, inv := range cc.Investigations {
		refused = refused || inv.Status == habeas.InvestigationRefused
	}
	if refused && opened == nil {
		res.Failed = append(res.Failed, CheckNotRefused)
	}
	switch {
	case opened == nil && at.After(res.Deadline):
		res.Failed = append(res.Failed, CheckInvestigated)
	case opened != nil && opened.Opened.After(res.Deadline):
		res.Failed = append(res.Failed, CheckInvestigated)
	}
	if opened != nil {
		res.MetAt, res.MetBy = opened.Opened, opened.ID
		check(CheckIndependent, opened.AuthorityImplicated, false)
		check(CheckFamily, opened.FamilyInformed, true)
		switch opened.Status {
		case habeas.InvestigationClosed, habeas.InvestigationConcluded, habeas.InvestigationSentToCourt:
			check(CheckResultsPublic, opened.ResultsPublic, true)
		}
	}
	check(CheckAutopsy, cas.Autopsy, true)
	check(CheckBodyReturned, cas.BodyReturned, true)
	switch {
	case len(res.Failed) > 0:
		res.State = StateOverdue
		res.By = max(at.Sub(res.Deadline), 0) // past the time allowed to open an investigation
	case opened == nil:
		res.State, res.By = StatePending, res.Deadline.Sub(at)
	case len(res.Unclear) > 0:
		res.State, res.Missing = StateUnknown, res.Unclear[0]
	default:
		res.State = StateMet
	}
	return res
}
