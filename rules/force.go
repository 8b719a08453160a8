package rules

import (
	"slices"
	"time"

	"github.com/habeas-project/habeas"
)

// The use of force: every killing, and every firearm injury, that security
// forces are alleged to have caused is checked against the UN Basic
// Principles on the Use of Force and Firearms by Law Enforcement Officials
// (1990), answered from the casualty's use-of-force account
// (habeas.UseOfForce). These are not clocks: each check is met, failed or
// unknown from what the record says, with the sources it rests on. Nothing
// recorded is unknown, never failed.

// ForceState is how the record answers one check of the Basic Principles.
type ForceState string

// The answers.
const (
	ForceMet           ForceState = "met"            // the record shows the principle respected
	ForceFailed        ForceState = "failed"         // the record shows it was not
	ForceUnknown       ForceState = "unknown"        // the record does not say: Missing names the fact
	ForceNotApplicable ForceState = "not_applicable" // a firearms check of a death by other means
)

// ForceCheck is one check of the Basic Principles with its legal source.
type ForceCheck struct {
	Name      string // warning, imminent_threat, less_extreme_means, medical_aid, relatives_told, reported
	Principle string // "10", "9", "5(c)", "5(d)", "6, 22"
	Citation  string
	// Confidence in the citation as LEGAL.md grades it: H checked in a
	// published source, M stated from the instrument.
	Confidence string
	// Firearms marks the checks of principles 9 and 10, which govern the
	// use of firearms: not applicable to a death by other means.
	Firearms bool
	// Reading, for a check of something to be done "at the earliest
	// possible moment", is this project's working reading of how soon
	// that is. The Principles fix no number: a later time is shown as a
	// doubt beside the answer (ForceDoubt), never as a failure.
	Reading time.Duration
}

// citeBPUFF names the instrument.
const citeBPUFF = "UN Basic Principles on the Use of Force and Firearms by Law Enforcement Officials (1990)"

// ReadingConfidence is the confidence of the working readings of "the
// earliest possible moment": L, unverified, not settled law.
const ReadingConfidence = "L"

// ForceChecks lists the checks in the order the page shows them: the
// firearm's use (principles 10 and 9), then what follows it (5(c), 5(d),
// 6 and 22).
var ForceChecks = []*ForceCheck{
	{Name: "warning", Principle: "10", Confidence: "H", Firearms: true,
		Citation: citeBPUFF + ", principle 10: officers identify themselves and give a clear warning of their intent to use firearms, with sufficient time for the warning to be observed"},
	{Name: "imminent_threat", Principle: "9", Confidence: "H", Firearms: true,
		Citation: citeBPUFF + ", principle 9: firearms only in self-defence or defence of others against the imminent threat of death or serious injury; intentional lethal use only when strictly unavoidable to protect life"},
	{Name: "less_extreme_means", Principle: "9", Confidence: "H", Firearms: true,
		Citation: citeBPUFF + ", principle 9: firearms only when less extreme means are insufficient"},
	{Name: "medical_aid", Principle: "5(c)", Confidence: "H", Reading: time.Hour,
		Citation: citeBPUFF + ", principle 5(c): assistance and medical aid rendered to any injured or affected persons at the earliest possible moment"},
	{Name: "relatives_told", Principle: "5(d)", Confidence: "H", Reading: 24 * time.Hour,
		Citation: citeBPUFF + ", principle 5(d): relatives or close friends of the injured or affected person notified at the earliest possible moment"},
	{Name: "reported", Principle: "6, 22", Confidence: "M",
		Citation: citeBPUFF + ", principles 6 and 22: an injury or death caused by the use of force or firearms reported promptly to superiors, under effective reporting and review procedures"},
}

// ForceResult is one check answered from the record.
type ForceResult struct {
	Check *ForceCheck
	State ForceState
	// Facts are the facts of the account the answer rests on (their JSON
	// names), and Sources their sources.
	Facts   []string
	Sources []string
	// Missing is the fact not recorded: for an unknown answer, the one the
	// check waits for; for a timed check met without a time, its time
	// ("medical_aid.at"), so how soon cannot be judged.
	Missing string
	// At is when the act was recorded to have happened (medical aid,
	// relatives told, the report), and Delay how long after the casualty.
	At    time.Time
	Delay time.Duration
	// Doubt is set when the act came later than the project's working
	// reading of "the earliest possible moment"; it never changes State.
	Doubt *ForceDoubt
}

// ForceDoubt says an act came later than the working reading of "the
// earliest possible moment" (ForceCheck.Reading, confidence
// ReadingConfidence): a question to ask, not a finding.
type ForceDoubt struct {
	Reading time.Duration
	Over    time.Duration // how much later than the reading
}

// ForceReview is a casualty's checks under the Basic Principles.
type ForceReview struct {
	// Applies says the checks apply: a killing, or an injury by gunshot,
	// alleged to have been caused by security forces. Reason says why they
	// do not, when they do not.
	Applies bool
	Reason  string
	// Firearm says principles 9 and 10 apply: the cause is a gunshot, or
	// not recorded (a firearm cannot be ruled out).
	Firearm bool
	// Results holds one answer per check of ForceChecks, in its order,
	// when the checks apply.
	Results []ForceResult
}

// Reasons the checks do not apply to a casualty.
const (
	ForceNotShot       = "not_killed_or_shot"       // an injury by other means than a gunshot
	ForceNotBySecurity = "not_by_security_forces"   // the record says someone else caused it
	ForceNotRecorded   = "perpetrator_not_recorded" // the record does not say who caused it
)

// ForceApplies says whether the checks apply to the casualty, and why not:
// to every killing and every injury by gunshot that security forces are
// alleged to have caused (habeas.Casualty.BySecurityForces). While the
// record does not say who caused it, they cannot be judged: the reason is
// ForceNotRecorded.
func ForceApplies(c *habeas.Casualty) (bool, string) {
	switch {
	case c.Kind != habeas.CasualtyKilled && c.Cause != "gunshot":
		return false, ForceNotShot
	case c.BySecurityForces == nil:
		return false, ForceNotRecorded
	case !*c.BySecurityForces:
		return false, ForceNotBySecurity
	}
	return true, ""
}

// firearm says whether the casualty may have been caused by a firearm: a
// gunshot, or a cause not recorded.
func firearm(c *habeas.Casualty) bool {
	return c.Cause == "gunshot" || c.Cause == "" || c.Cause == "unknown"
}

// UseOfForce answers each check of the Basic Principles for a casualty
// from its use-of-force account: met, failed or unknown, with the facts
// and sources each answer rests on.
func UseOfForce(c *habeas.Casualty) ForceReview {
	rev := ForceReview{Firearm: firearm(c)}
	if rev.Applies, rev.Reason = ForceApplies(c); !rev.Applies {
		return rev
	}
	u := c.UseOfForce
	if u == nil {
		u = &habeas.UseOfForce{}
	}
	rev.Results = make([]ForceResult, 0, len(ForceChecks))
	for _, ch := range ForceChecks {
		res := ForceResult{Check: ch}
		switch {
		case ch.Firearms && !rev.Firearm:
			res.State = ForceNotApplicable
		case ch.Name == "warning":
			warning(&res, u)
		case ch.Name == "imminent_threat":
			answer(&res, "imminent_threat", u.ImminentThreat, true)
		case ch.Name == "less_extreme_means":
			answer(&res, "less_extreme_means_available", u.LessExtremeMeans, false)
		case ch.Name == "medical_aid":
			timed(&res, "medical_aid", u.MedicalAid, c.At)
		case ch.Name == "relatives_told":
			timed(&res, "relatives_told", u.RelativesTold, c.At)
		case ch.Name == "reported":
			timed(&res, "reported", u.Reported, c.At)
		}
		rev.Results = append(rev.Results, res)
	}
	return rev
}

// answer judges a check that one fact answers: met when it is pass,
// failed when it is not, unknown when it is not recorded.
func answer(res *ForceResult, name string, f *habeas.ForceFact, pass bool) {
	if f == nil {
		res.State, res.Missing = ForceUnknown, name
		return
	}
	res.Facts, res.Sources = append(res.Facts, name), append(res.Sources, f.Sources...)
	if (f.Answer == habeas.AnswerYes) == pass {
		res.State = ForceMet
	} else {
		res.State = ForceFailed
	}
}

// warning judges principle 10: a warning given, and time to heed it. No
// warning fails it whatever else is recorded; a warning given leaves it
// unknown until the time to heed it is recorded.
func warning(res *ForceResult, u *habeas.UseOfForce) {
	answer(res, "warning", u.Warning, true)
	if res.State != ForceMet {
		return
	}
	heed := *res
	answer(&heed, "time_to_heed", u.TimeToHeed, true)
	slices.Sort(heed.Sources)
	heed.Sources = slices.Compact(heed.Sources)
	*res = heed
}

// timed judges something to be done at the earliest possible moment: met
// when it was done, with its delay from the casualty; a delay beyond the
// working reading is a doubt beside it.
func timed(res *ForceResult, name string, f *habeas.ForceFact, casualty time.Time) {
	answer(res, name, f, true)
	if res.State != ForceMet {
		return
	}
	if f.At.IsZero() {
		res.Missing = name + ".at"
		return
	}
	res.At, res.Delay = f.At, max(f.At.Sub(casualty), 0)
	if r := res.Check.Reading; r > 0 && res.Delay > r {
		res.Doubt = &ForceDoubt{Reading: r, Over: res.Delay - r}
	}
}
