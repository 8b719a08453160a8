package casework_test

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// forceRegister registers one source, one person and casualties on each
// side of the boundaries of the use-of-force checks; it returns the source
// and the casualties by name.
func forceRegister(t *testing.T, work *casework.Service) (string, map[string]*habeas.Casualty) {
	t.Helper()
	ctx := context.Background()
	src := &habeas.Source{Kind: "witness", Title: "Synthetic witness statement", Reliability: "B", Credibility: 2,
		ReceivedAt: time.Date(2022, 1, 7, 0, 0, 0, 0, time.UTC), Confidentiality: habeas.ConfidentialityInternal}
	p := &habeas.Person{Names: []habeas.NameVariant{{Text: "Тест Тестов"}}}
	for _, e := range []habeas.Entity{src, p} {
		if _, err := work.CreateRecord(ctx, operator, e); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2022, 1, 6, 3, 0, 0, 0, time.UTC)
	said := func(a habeas.Answer) *habeas.ForceFact {
		return &habeas.ForceFact{Answer: a, Sources: []string{src.ID}}
	}
	aid := said(habeas.AnswerYes)
	aid.At = at.Add(3 * time.Hour)
	cs := map[string]*habeas.Casualty{
		"no warning": {Kind: habeas.CasualtyKilled, Cause: "gunshot", BySecurityForces: new(true),
			UseOfForce: &habeas.UseOfForce{Warning: said(habeas.AnswerNo), MedicalAid: aid}},
		"nothing recorded":    {Kind: habeas.CasualtyKilled, Cause: "gunshot", BySecurityForces: new(true)},
		"causer not recorded": {Kind: habeas.CasualtyKilled, Cause: "gunshot"},
		"shot by a civilian":  {Kind: habeas.CasualtyInjured, Cause: "gunshot", BySecurityForces: new(false)},
		"shot by police":      {Kind: habeas.CasualtyInjured, Cause: "gunshot", BySecurityForces: new(true), UseOfForce: &habeas.UseOfForce{Warning: said(habeas.AnswerYes)}},
		"beaten by police":    {Kind: habeas.CasualtyInjured, Cause: "blunt_trauma", BySecurityForces: new(true)},
		"beaten to death":     {Kind: habeas.CasualtyKilled, Cause: "blunt_trauma", BySecurityForces: new(true)},
	}
	for _, name := range slices.Sorted(maps.Keys(cs)) {
		c := cs[name]
		c.PersonID, c.City, c.At, c.Circumstances = p.ID, "almaty", at, name
		if _, err := work.CreateRecord(ctx, operator, c); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return src.ID, cs
}

func TestCasualtyForceReview(t *testing.T) {
	ctx := context.Background()
	work := service(openSQLite(t))
	forceRegister(t, work)
	items, _, err := work.FindCasualtyItems(ctx, operator, casework.CasualtyQuery{Page: habeas.Page{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]casework.CasualtyItem{}
	for _, it := range items {
		byName[it.Circumstances] = it
	}
	for name, want := range map[string]string{"no warning": "", "nothing recorded": "", "causer not recorded": "perpetrator_not_recorded",
		"shot by a civilian": "not_by_security_forces", "shot by police": "", "beaten by police": "not_killed_or_shot", "beaten to death": ""} {
		if got := byName[name].Force; got.Applies != (want == "") || got.Reason != want {
			t.Errorf("%s: applies %v (%q), want reason %q", name, got.Applies, got.Reason, want)
		}
	}
	rev := byName["no warning"].Force
	if got := rev.Failed(); !slices.Equal(got, []string{"warning"}) {
		t.Errorf("no warning: failed %v, want [warning]", got)
	}
	aid := rev.Checks[slices.IndexFunc(rev.Checks, func(c casework.ForceCheckItem) bool { return c.Check == "medical_aid" })]
	if aid.State != "met" || aid.DelaySeconds != 3*3600 || aid.Doubt == nil || aid.Doubt.Confidence != "L" || len(aid.Sources) != 1 {
		t.Errorf("medical aid after 3h: %+v, want met, 3h, a doubt under the unverified reading, its source", aid)
	}

	counts, err := work.CountUseOfForce(ctx, operator, casework.CasualtyQuery{})
	if err != nil {
		t.Fatal(err)
	}
	k, inj := counts.Killings, counts.FirearmInjuries
	if k.Total != 4 || k.BySecurityForces != 3 || k.PerpetratorNotRecorded != 1 || inj.Total != 2 || inj.BySecurityForces != 1 || inj.NotBySecurityForces != 1 {
		t.Errorf("counts %+v / %+v", k, inj)
	}
	warning := k.Checks[0]
	if warning.Check != "warning" || warning.Failed != 1 || warning.Unknown != 1 || warning.NotApplicable != 1 {
		t.Errorf("killings, warning: %+v; want 1 failed, 1 unknown, 1 not applicable (beaten to death)", warning)
	}
	if aid := k.Checks[3]; aid.Check != "medical_aid" || aid.Met != 1 || aid.Later != 1 || aid.Unknown != 2 {
		t.Errorf("killings, medical aid: %+v", aid)
	}
	// A filter counts only what it selects.
	injured := habeas.CasualtyInjured
	if counts, err := work.CountUseOfForce(ctx, operator, casework.CasualtyQuery{Kind: &injured}); err != nil || counts.Killings.Total != 0 || counts.FirearmInjuries.Total != 2 {
		t.Errorf("injured only: %+v, %v", counts, err)
	}
}

// A use-of-force account saved from a stale read is refused and changes
// nothing; from the current version it lands, with its source.
func TestSaveCasualtyStale(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	work := service(db)
	src, cs := forceRegister(t, work)
	c := cs["nothing recorded"]
	f, err := work.FindCasualtyFile(ctx, operator, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Item.Force.Applies || f.Item.PersonName == "" {
		t.Errorf("file: %+v", f.Item)
	}
	threat := func(a habeas.Answer) func(*habeas.Casualty) {
		return func(c *habeas.Casualty) {
			c.UseOfForce = &habeas.UseOfForce{ImminentThreat: &habeas.ForceFact{Answer: a, Sources: []string{src}}}
		}
	}
	if err := work.SaveCasualty(ctx, operator, casework.CasualtyEdit{ID: c.ID, Version: f.Version, Edit: threat(habeas.AnswerNo)}); err != nil {
		t.Fatal(err)
	}
	before, _ := db.LastSeq(ctx)
	if err := work.SaveCasualty(ctx, operator, casework.CasualtyEdit{ID: c.ID, Version: f.Version, Edit: threat(habeas.AnswerYes)}); !habeas.IsStale(err) {
		t.Fatalf("save from a stale read: %v, want stale", err)
	}
	if after, _ := db.LastSeq(ctx); after != before {
		t.Errorf("the refused save wrote %d changes", after-before)
	}
	now, err := work.FindCasualtyFile(ctx, operator, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := now.Item.Force.Failed(); !slices.Equal(got, []string{"imminent_threat"}) || len(now.Sources) != 1 {
		t.Errorf("after the refusal: failed %v, sources %d; want the first save's answer and its source", got, len(now.Sources))
	}
	// Without a source the answer is refused, naming the field.
	err = work.SaveCasualty(ctx, operator, casework.CasualtyEdit{ID: c.ID, Version: now.Version, Edit: func(c *habeas.Casualty) {
		c.UseOfForce.Warning = &habeas.ForceFact{Answer: habeas.AnswerNo}
	}})
	if fs := habeas.ErrorFields(err); len(fs) != 1 || fs[0].Field != "use_of_force.warning.sources" {
		t.Errorf("an answer without a source: %v", err)
	}
}

// A hearing where a statement was admitted is flagged for the monitor
// when an allegation made before it says a statement was obtained by
// ill-treatment; not when the ill-treatment came after, nor without the
// allegation saying so.
func TestTrialStatementFlag(t *testing.T) {
	ctx := context.Background()
	work := service(openSQLite(t))
	res := firstReport(t, work)
	day := func(month time.Month, d int) time.Time { return time.Date(2022, month, d, 5, 0, 0, 0, time.UTC) }
	admitted := &habeas.TrialMonitoring{Monitor: "monitor A", StatementAdmitted: new(true)}
	if _, err := work.EditDetention(ctx, operator, res.DetentionID, func(d *habeas.Detention, _ int64) ([]habeas.Mutation, error) {
		add := func(e habeas.Event) {
			e.Sources = []string{res.SourceID}
			d.Events = append(d.Events, e)
		}
		add(habeas.Event{ID: "e10", Type: habeas.EventTrialHearing, At: day(1, 8), Monitoring: admitted})
		add(habeas.Event{ID: "e11", Type: habeas.EventIllTreatment, At: day(1, 9), Allegation: &habeas.Allegation{StatementObtained: new(true)}})
		add(habeas.Event{ID: "e12", Type: habeas.EventIllTreatment, At: day(1, 10), Allegation: &habeas.Allegation{StatementObtained: new(false)}})
		add(habeas.Event{ID: "e13", Type: habeas.EventTrialHearing, At: day(3, 1), Monitoring: admitted})
		add(habeas.Event{ID: "e14", Type: habeas.EventTrialHearing, At: day(3, 2), Monitoring: &habeas.TrialMonitoring{Monitor: "monitor A", StatementAdmitted: new(false)}})
		return []habeas.Mutation{{Op: habeas.OpUpdate, Entity: d}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	items, _, err := work.FindTrials(ctx, operator, casework.TrialQuery{DetentionID: &res.DetentionID})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, it := range items {
		got[it.EventID] = it.StatementAllegations
	}
	want := map[string][]string{"e10": {}, "e13": {"e11"}, "e14": {}}
	for id, w := range want {
		if !slices.Equal(got[id], w) {
			t.Errorf("hearing %s: flagged by %v, want %v", id, got[id], w)
		}
	}
	flagged, total, err := work.FindTrials(ctx, operator, casework.TrialQuery{Statement: true})
	if err != nil || total != 1 || flagged[0].EventID != "e13" {
		t.Errorf("statement filter: %d hearings (%v), want e13 only", total, err)
	}
}
