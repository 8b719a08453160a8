package habeas_test

import (
	"slices"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
)

// fact is a recorded use-of-force fact from srcA.
func fact(a habeas.Answer) *habeas.ForceFact {
	return &habeas.ForceFact{Answer: a, Sources: []string{srcA}}
}

// forceCasualty is a valid gunshot killing by security forces with a
// whole use-of-force account.
func forceCasualty() *habeas.Casualty {
	c := validCasualty()
	c.Kind, c.BySecurityForces = habeas.CasualtyKilled, ptr(true)
	aid := fact(habeas.AnswerYes)
	aid.At = t0.Add(40 * time.Minute)
	c.UseOfForce = &habeas.UseOfForce{
		Warning: fact(habeas.AnswerNo), ImminentThreat: fact(habeas.AnswerNo), LessExtremeMeans: fact(habeas.AnswerYes),
		MedicalAid: aid, RelativesTold: fact(habeas.AnswerYes), Reported: fact(habeas.AnswerNo),
	}
	return c
}

func TestUseOfForceValidate(t *testing.T) {
	wantValid(t, forceCasualty().Validate())
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.UseOfForce)
		field  string
	}{
		{"no answer", func(u *habeas.UseOfForce) { u.Warning.Answer = "" }, "use_of_force.warning.answer"},
		{"not applicable is no answer", func(u *habeas.UseOfForce) { u.Warning.Answer = habeas.AnswerNotApplicable }, "use_of_force.warning.answer"},
		{"no source", func(u *habeas.UseOfForce) { u.ImminentThreat.Sources = nil }, "use_of_force.imminent_threat.sources"},
		{"bad source", func(u *habeas.UseOfForce) { u.Reported.Sources = []string{"src_"} }, "use_of_force.reported.sources[0]"},
		{"time on an untimed fact", func(u *habeas.UseOfForce) { u.Warning.At = t0 }, "use_of_force.warning.at"},
		{"time of what did not happen", func(u *habeas.UseOfForce) { u.Reported.At = t0.Add(time.Hour) }, "use_of_force.reported.at"},
		{"aid before the casualty", func(u *habeas.UseOfForce) { u.MedicalAid.At = t0.Add(-time.Minute) }, "use_of_force.medical_aid.at"},
		{"time to heed no warning", func(u *habeas.UseOfForce) { u.TimeToHeed = fact(habeas.AnswerYes) }, "use_of_force.time_to_heed.answer"},
		{"long note", func(u *habeas.UseOfForce) { u.Warning.Note = string(make([]rune, 2001)) }, "use_of_force.warning.note"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := forceCasualty()
			tt.mutate(c.UseOfForce)
			wantField(t, c.Validate(), tt.field)
		})
	}
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.UseOfForce)
	}{
		{"aid at the casualty's moment", func(u *habeas.UseOfForce) { u.MedicalAid.At = t0 }},
		{"time to heed a warning given", func(u *habeas.UseOfForce) { u.Warning, u.TimeToHeed = fact(habeas.AnswerYes), fact(habeas.AnswerNo) }},
		{"time to heed, warning unknown", func(u *habeas.UseOfForce) { u.Warning, u.TimeToHeed = nil, fact(habeas.AnswerYes) }},
		{"every fact unknown", func(u *habeas.UseOfForce) { *u = habeas.UseOfForce{} }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := forceCasualty()
			tt.mutate(c.UseOfForce)
			wantValid(t, c.Validate())
		})
	}
}

func TestUseOfForceSources(t *testing.T) {
	c := forceCasualty()
	c.UseOfForce.Warning.Sources = []string{srcB}
	if got, want := c.SourceIDs(), []string{srcA, srcB}; !slices.Equal(got, want) {
		t.Errorf("SourceIDs: got %v, want %v", got, want)
	}
	if !slices.ContainsFunc(c.Refs(), func(r habeas.Ref) bool { return r.Field == "use_of_force.warning.sources" && r.ID == srcB }) {
		t.Errorf("Refs do not name the warning's source: %v", c.Refs())
	}
	c.UseOfForce = &habeas.UseOfForce{}
	c.Normalize()
	if c.UseOfForce != nil {
		t.Errorf("an account with no fact recorded is kept: %+v", c.UseOfForce)
	}
}
