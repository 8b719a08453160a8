package rules_test

import (
	"slices"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/rules"
)

// The use-of-force checks are tested on both sides of each boundary: a
// fact recorded yes, recorded no, and not recorded; a casualty the checks
// apply to and one they do not.

var forceAt = time.Date(2022, 1, 6, 8, 0, 0, 0, time.UTC)

// said is a fact recorded from one synthetic source.
func said(a habeas.Answer, at ...time.Time) *habeas.ForceFact {
	f := &habeas.ForceFact{Answer: a, Sources: []string{"src_force001"}}
	if len(at) > 0 {
		f.At = at[0]
	}
	return f
}

// shot is a gunshot casualty of the kind given, by security forces.
func shot(kind habeas.CasualtyKind, u *habeas.UseOfForce) *habeas.Casualty {
	return &habeas.Casualty{ID: "cas_force001", Kind: kind, PersonID: testPerson, At: forceAt, City: "almaty",
		Cause: "gunshot", BySecurityForces: ptr(true), UseOfForce: u}
}

// forceResult returns the answer to check name.
func forceResult(t *testing.T, rev rules.ForceReview, name string) rules.ForceResult {
	t.Helper()
	i := slices.IndexFunc(rev.Results, func(r rules.ForceResult) bool { return r.Check.Name == name })
	if i < 0 {
		t.Fatalf("no check %s among %d results (applies %v, reason %q)", name, len(rev.Results), rev.Applies, rev.Reason)
	}
	return rev.Results[i]
}

func TestForceApplies(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*habeas.Casualty)
		want   bool
		reason string
	}{
		{"killing by gunshot, by police", func(c *habeas.Casualty) {}, true, ""},
		{"gunshot injury by police", func(c *habeas.Casualty) { c.Kind = habeas.CasualtyInjured }, true, ""},
		{"killing by beating, by police", func(c *habeas.Casualty) { c.Cause = "blunt_trauma" }, true, ""},
		{"injury by beating, by police", func(c *habeas.Casualty) { c.Kind, c.Cause = habeas.CasualtyInjured, "blunt_trauma" }, false, rules.ForceNotShot},
		{"injury, cause not recorded", func(c *habeas.Casualty) { c.Kind, c.Cause = habeas.CasualtyInjured, "" }, false, rules.ForceNotShot},
		{"gunshot injury by a civilian", func(c *habeas.Casualty) { c.Kind, c.BySecurityForces = habeas.CasualtyInjured, ptr(false) }, false, rules.ForceNotBySecurity},
		{"killing by a civilian", func(c *habeas.Casualty) { c.BySecurityForces = ptr(false) }, false, rules.ForceNotBySecurity},
		{"killing, who caused it not recorded", func(c *habeas.Casualty) { c.BySecurityForces = nil }, false, rules.ForceNotRecorded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := shot(habeas.CasualtyKilled, nil)
			tt.mutate(c)
			rev := rules.UseOfForce(c)
			if rev.Applies != tt.want || rev.Reason != tt.reason {
				t.Fatalf("applies %v (%q), want %v (%q)", rev.Applies, rev.Reason, tt.want, tt.reason)
			}
			if !tt.want && rev.Results != nil {
				t.Errorf("results for a casualty the checks do not apply to: %v", rev.Results)
			}
			if tt.want && len(rev.Results) != len(rules.ForceChecks) {
				t.Errorf("%d results, want one per check (%d)", len(rev.Results), len(rules.ForceChecks))
			}
		})
	}
}

func TestForceNothingRecorded(t *testing.T) {
	rev := rules.UseOfForce(shot(habeas.CasualtyKilled, nil))
	for _, res := range rev.Results {
		if res.State != rules.ForceUnknown || res.Missing == "" || res.Sources != nil {
			t.Errorf("%s: state %s, missing %q, sources %v; want unknown, naming the fact, with no source", res.Check.Name, res.State, res.Missing, res.Sources)
		}
	}
}

func TestForceWarning(t *testing.T) {
	yes, no := habeas.AnswerYes, habeas.AnswerNo
	tests := []struct {
		name          string
		warning, heed *habeas.ForceFact
		want          rules.ForceState
		missing       string
		facts         []string
	}{
		{"not recorded", nil, nil, rules.ForceUnknown, "warning", nil},
		{"no warning", said(no), nil, rules.ForceFailed, "", []string{"warning"}},
		{"no warning, time to heed not recorded either", said(no), nil, rules.ForceFailed, "", []string{"warning"}},
		{"warning, time to heed not recorded", said(yes), nil, rules.ForceUnknown, "time_to_heed", []string{"warning"}},
		{"warning without time to heed it", said(yes), said(no), rules.ForceFailed, "", []string{"warning", "time_to_heed"}},
		{"warning with time to heed it", said(yes), said(yes), rules.ForceMet, "", []string{"warning", "time_to_heed"}},
		{"time to heed, the warning not recorded", nil, said(yes), rules.ForceUnknown, "warning", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := forceResult(t, rules.UseOfForce(shot(habeas.CasualtyKilled, &habeas.UseOfForce{Warning: tt.warning, TimeToHeed: tt.heed})), "warning")
			if res.State != tt.want || res.Missing != tt.missing || !slices.Equal(res.Facts, tt.facts) {
				t.Errorf("got %s (missing %q, facts %v), want %s (missing %q, facts %v)", res.State, res.Missing, res.Facts, tt.want, tt.missing, tt.facts)
			}
			if res.Check.Principle != "10" || res.Check.Confidence != "H" {
				t.Errorf("cites principle %s at confidence %s, want 10 at H", res.Check.Principle, res.Check.Confidence)
			}
			if len(tt.facts) > 0 && !slices.Equal(res.Sources, []string{"src_force001"}) {
				t.Errorf("sources %v, want the facts' source once", res.Sources)
			}
		})
	}
}

func TestForceThreatAndMeans(t *testing.T) {
	yes, no := habeas.AnswerYes, habeas.AnswerNo
	tests := []struct {
		name  string
		u     habeas.UseOfForce
		check string
		want  rules.ForceState
	}{
		{"threat to life recorded", habeas.UseOfForce{ImminentThreat: said(yes)}, "imminent_threat", rules.ForceMet},
		{"no threat to life", habeas.UseOfForce{ImminentThreat: said(no)}, "imminent_threat", rules.ForceFailed},
		{"threat not recorded", habeas.UseOfForce{}, "imminent_threat", rules.ForceUnknown},
		{"less extreme means available", habeas.UseOfForce{LessExtremeMeans: said(yes)}, "less_extreme_means", rules.ForceFailed},
		{"no less extreme means", habeas.UseOfForce{LessExtremeMeans: said(no)}, "less_extreme_means", rules.ForceMet},
		{"means not recorded", habeas.UseOfForce{}, "less_extreme_means", rules.ForceUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.u
			if res := forceResult(t, rules.UseOfForce(shot(habeas.CasualtyKilled, &u)), tt.check); res.State != tt.want {
				t.Errorf("got %s, want %s", res.State, tt.want)
			}
		})
	}
}

func TestForceFirearmsOnly(t *testing.T) {
	c := shot(habeas.CasualtyKilled, &habeas.UseOfForce{Warning: said(habeas.AnswerNo), MedicalAid: said(habeas.AnswerNo)})
	for _, tt := range []struct {
		cause   string
		firearm bool
	}{{"gunshot", true}, {"", true}, {"unknown", true}, {"blunt_trauma", false}, {"ill_treatment", false}, {"other", false}} {
		t.Run(tt.cause, func(t *testing.T) {
			c.Cause = tt.cause
			rev := rules.UseOfForce(c)
			want := rules.ForceNotApplicable
			if tt.firearm {
				want = rules.ForceFailed
			}
			if got := forceResult(t, rev, "warning").State; got != want || rev.Firearm != tt.firearm {
				t.Errorf("warning %s (firearm %v), want %s (%v)", got, rev.Firearm, want, tt.firearm)
			}
			if got := forceResult(t, rev, "medical_aid").State; got != rules.ForceFailed {
				t.Errorf("medical aid %s, want failed whatever the means", got)
			}
		})
	}
}

func TestForceEarliestMoment(t *testing.T) {
	yes, no := habeas.AnswerYes, habeas.AnswerNo
	tests := []struct {
		name    string
		aid     *habeas.ForceFact
		want    rules.ForceState
		delay   time.Duration
		missing string
		doubt   time.Duration // how far beyond the reading; 0 for no doubt
	}{
		{"not recorded", nil, rules.ForceUnknown, 0, "medical_aid", 0},
		{"refused", said(no), rules.ForceFailed, 0, "", 0},
		{"rendered, time not recorded", said(yes), rules.ForceMet, 0, "medical_aid.at", 0},
		{"rendered at once", said(yes, forceAt), rules.ForceMet, 0, "", 0},
		{"rendered at the reading", said(yes, forceAt.Add(time.Hour)), rules.ForceMet, time.Hour, "", 0},
		{"rendered a minute past the reading", said(yes, forceAt.Add(61*time.Minute)), rules.ForceMet, 61 * time.Minute, "", time.Minute},
		{"rendered the next day", said(yes, forceAt.Add(26*time.Hour)), rules.ForceMet, 26 * time.Hour, "", 25 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := forceResult(t, rules.UseOfForce(shot(habeas.CasualtyInjured, &habeas.UseOfForce{MedicalAid: tt.aid})), "medical_aid")
			if res.State != tt.want || res.Delay != tt.delay || res.Missing != tt.missing {
				t.Errorf("got %s, delay %v, missing %q; want %s, %v, %q", res.State, res.Delay, res.Missing, tt.want, tt.delay, tt.missing)
			}
			switch {
			case tt.doubt == 0 && res.Doubt != nil:
				t.Errorf("doubt %+v, want none", res.Doubt)
			case tt.doubt != 0 && (res.Doubt == nil || res.Doubt.Over != tt.doubt || res.Doubt.Reading != time.Hour):
				t.Errorf("doubt %+v, want %v over the reading of 1h", res.Doubt, tt.doubt)
			}
		})
	}
	// Relatives: their own reading; the report: none (promptly, no number).
	c := shot(habeas.CasualtyKilled, &habeas.UseOfForce{RelativesTold: said(yes, forceAt.Add(25*time.Hour)), Reported: said(yes, forceAt.Add(72*time.Hour))})
	rev := rules.UseOfForce(c)
	if res := forceResult(t, rev, "relatives_told"); res.Doubt == nil || res.Doubt.Reading != 24*time.Hour || res.Check.Principle != "5(d)" {
		t.Errorf("relatives told after 25h: doubt %+v, principle %s; want a doubt under the 24h reading, 5(d)", res.Doubt, res.Check.Principle)
	}
	if res := forceResult(t, rev, "reported"); res.State != rules.ForceMet || res.Doubt != nil || res.Delay != 72*time.Hour || res.Check.Confidence != "M" {
		t.Errorf("reported after 72h: %s, doubt %+v, delay %v, confidence %s; want met, no doubt, 72h, M", res.State, res.Doubt, res.Delay, res.Check.Confidence)
	}
}

// TestForceChecksCite checks that every check cites the Basic Principles
// with a confidence, and that only the checks of "the earliest possible
// moment" carry a working reading.
func TestForceChecksCite(t *testing.T) {
	for _, ch := range rules.ForceChecks {
		if ch.Citation == "" || ch.Principle == "" || (ch.Confidence != "H" && ch.Confidence != "M") {
			t.Errorf("%s: citation %q, principle %q, confidence %q", ch.Name, ch.Citation, ch.Principle, ch.Confidence)
		}
		if (ch.Reading > 0) != (ch.Principle == "5(c)" || ch.Principle == "5(d)") {
			t.Errorf("%s: reading %v; only 5(c) and 5(d) speak of the earliest possible moment", ch.Name, ch.Reading)
		}
	}
}
