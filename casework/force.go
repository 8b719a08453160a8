package casework

import (
	"context"
	"slices"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/alerts"
	"github.com/habeas-project/habeas/rules"
)

// The use of force: each casualty's checks under the UN Basic Principles
// on the Use of Force and Firearms (rules.UseOfForce) as the register, the
// casualty page and the API show them, and the counts of their answers
// that the statistics publish.

// ForceReview is a casualty's checks under the Basic Principles.
type ForceReview struct {
	// Applies says the checks apply: a killing, or an injury by gunshot,
	// alleged to have been caused by security forces. Reason says why not
	// (not_killed_or_shot, not_by_security_forces, perpetrator_not_recorded);
	// "" when they apply.
	Applies bool   `json:"applies"`
	Reason  string `json:"reason"`
	// Checks holds one answer per check when they apply; empty otherwise.
	Checks []ForceCheckItem `json:"checks"`
}

// ForceCheckItem is one check answered from the record.
type ForceCheckItem struct {
	Check      string `json:"check"`     // warning, imminent_threat, less_extreme_means, medical_aid, relatives_told, reported
	Principle  string `json:"principle"` // "10", "9", "5(c)", "5(d)", "6, 22"
	Citation   string `json:"citation"`
	Confidence string `json:"confidence"`
	// State is met, failed, unknown (nothing recorded), or not_applicable
	// (a firearms check of a death by other means).
	State string `json:"state"`
	// Facts are the facts of the account the answer rests on, and
	// Sources their sources.
	Facts   []string `json:"facts"`
	Sources []string `json:"sources"`
	// Missing is the fact not recorded: what an unknown answer waits for,
	// or the time of an act recorded without one ("medical_aid.at").
	Missing string `json:"missing"`
	// At is when the act was done, for the checks of acts (medical aid,
	// relatives told, the report); Delay how long after the casualty.
	At           time.Time `json:"at,omitzero"`
	DelaySeconds int64     `json:"delay_seconds"`
	Delay        string    `json:"delay"`
	// Doubt says the act came later than the project's working reading
	// of "the earliest possible moment": a question, never a failure.
	Doubt *ForceDoubtItem `json:"doubt,omitempty"`
}

// ForceDoubtItem is an act later than the working reading of "the
// earliest possible moment", which is unverified (confidence L): the
// Principles fix no number.
type ForceDoubtItem struct {
	ReadingSeconds int64  `json:"reading_seconds"`
	Reading        string `json:"reading"`
	OverSeconds    int64  `json:"over_seconds"`
	Over           string `json:"over"`
	Confidence     string `json:"confidence"`
}

// NewForceReview returns the checks of casualty c under the Basic
// Principles.
func NewForceReview(c *habeas.Casualty) ForceReview {
	rev := rules.UseOfForce(c)
	out := ForceReview{Applies: rev.Applies, Reason: rev.Reason, Checks: []ForceCheckItem{}}
	for _, r := range rev.Results {
		it := ForceCheckItem{Check: r.Check.Name, Principle: r.Check.Principle, Citation: r.Check.Citation,
			Confidence: r.Check.Confidence, State: string(r.State), Facts: r.Facts, Sources: r.Sources,
			Missing: r.Missing, At: r.At}
		if it.Facts == nil {
			it.Facts = []string{}
		}
		if it.Sources == nil {
			it.Sources = []string{}
		}
		if !r.At.IsZero() {
			it.DelaySeconds, it.Delay = int64(r.Delay/time.Second), rules.FormatDuration(r.Delay)
		}
		if d := r.Doubt; d != nil {
			it.Doubt = &ForceDoubtItem{ReadingSeconds: int64(d.Reading / time.Second), Reading: rules.FormatDuration(d.Reading),
				OverSeconds: int64(d.Over / time.Second), Over: rules.FormatDuration(d.Over), Confidence: rules.ReadingConfidence}
		}
		out.Checks = append(out.Checks, it)
	}
	return out
}

// Failed returns the checks the record shows failed, in order.
func (r ForceReview) Failed() []string {
	var out []string
	for _, c := range r.Checks {
		if c.State == string(rules.ForceFailed) {
			out = append(out, c.Check)
		}
	}
	return out
}

// Unknown returns how many checks the record leaves unanswered.
func (r ForceReview) Unknown() int {
	n := 0
	for _, c := range r.Checks {
		if c.State == string(rules.ForceUnknown) {
			n++
		}
	}
	return n
}

// ForceCounts counts the casualties the Basic Principles concern by the
// answers to their checks: numbers only, nobody named.
type ForceCounts struct {
	Killings        ForceGroup `json:"killings"`
	FirearmInjuries ForceGroup `json:"firearm_injuries"` // injuries by gunshot
}

// ForceGroup counts one group of casualties: all of them, by who is
// alleged to have caused them, and, of those by security forces, the
// answers to each check.
type ForceGroup struct {
	Total                  int               `json:"total"`
	BySecurityForces       int               `json:"by_security_forces"`
	NotBySecurityForces    int               `json:"not_by_security_forces"`
	PerpetratorNotRecorded int               `json:"perpetrator_not_recorded"`
	Checks                 []ForceCheckCount `json:"checks"` // in the order of rules.ForceChecks
}

// ForceCheckCount is how the casualties by security forces of a group
// answer one check. Unknown counts those of which nothing is recorded:
// "no warning recorded" is Failed (the record says none was given) and
// Unknown (it does not say) together.
type ForceCheckCount struct {
	Check         string `json:"check"`
	Principle     string `json:"principle"`
	Met           int    `json:"met"`
	Failed        int    `json:"failed"`
	Unknown       int    `json:"unknown"`
	NotApplicable int    `json:"not_applicable"`
	// Later counts the acts done later than the working reading of "the
	// earliest possible moment" (a doubt, not a failure); Untimed those
	// recorded as done without a time.
	Later   int `json:"later"`
	Untimed int `json:"untimed"`
}

func newForceGroup() ForceGroup {
	g := ForceGroup{Checks: make([]ForceCheckCount, len(rules.ForceChecks))}
	for i, ch := range rules.ForceChecks {
		g.Checks[i] = ForceCheckCount{Check: ch.Name, Principle: ch.Principle}
	}
	return g
}

// add counts casualty c into the group.
func (g *ForceGroup) add(c *habeas.Casualty) {
	g.Total++
	rev := rules.UseOfForce(c)
	switch rev.Reason {
	case rules.ForceNotBySecurity:
		g.NotBySecurityForces++
	case rules.ForceNotRecorded:
		g.PerpetratorNotRecorded++
	}
	if !rev.Applies {
		return
	}
	g.BySecurityForces++
	for i, r := range rev.Results {
		n := &g.Checks[i]
		switch r.State {
		case rules.ForceMet:
			n.Met++
		case rules.ForceFailed:
			n.Failed++
		case rules.ForceUnknown:
			n.Unknown++
		case rules.ForceNotApplicable:
			n.NotApplicable++
		}
		if r.Doubt != nil {
			n.Later++
		}
		if r.State == rules.ForceMet && r.Missing != "" {
			n.Untimed++
		}
	}
}

// countForce counts the casualties.
func countForce(cs []*habeas.Casualty) ForceCounts {
	out := ForceCounts{Killings: newForceGroup(), FirearmInjuries: newForceGroup()}
	for _, c := range cs {
		switch {
		case c.Kind == habeas.CasualtyKilled:
			out.Killings.add(c)
		case c.Cause == "gunshot":
			out.FirearmInjuries.add(c)
		}
	}
	return out
}

// CountUseOfForce counts the casualties that match q (its page aside) by
// the answers to the Basic Principles' checks.
func (s *Service) CountUseOfForce(ctx context.Context, u *habeas.User, q CasualtyQuery) (ForceCounts, error) {
	if err := s.authorize(u, readRegister); err != nil {
		return ForceCounts{}, err
	}
	all, err := s.cfg.Alerts.Casualties(habeas.WithUser(ctx, u))
	if err != nil {
		return ForceCounts{}, err
	}
	var cs []*habeas.Casualty
	for _, rec := range all {
		if q.match(rec.Casualty, rec.Investigations) {
			cs = append(cs, rec.Casualty)
		}
	}
	return countForce(cs), nil
}

// CasualtyFile is a casualty as its page shows it: the record with the
// person's name, its investigations and its checks under the Basic
// Principles, the sources of the record and of each fact, the history,
// and the version a save names.
type CasualtyFile struct {
	Item    CasualtyItem
	Version int64
	Sources []*habeas.Source // of the casualty and of its use-of-force account
	History []*habeas.Change
}

// FindCasualtyFile gathers the page of casualty id, recorded as a view
// of it.
func (s *Service) FindCasualtyFile(ctx context.Context, u *habeas.User, id string) (*CasualtyFile, error) {
	v, err := s.as(ctx, u, readCases)
	if err != nil {
		return nil, err
	}
	ctx = habeas.WithUser(ctx, u)
	if !habeas.ValidID(habeas.KindCasualty, id) {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "casualty %s not found", id)
	}
	e, version, err := v.cfg.Records.FindVersion(ctx, habeas.KindCasualty, id)
	if err != nil {
		return nil, err
	}
	c := e.(*habeas.Casualty)
	f := &CasualtyFile{Item: CasualtyItem{Casualty: c, Investigations: []InvestigationLink{}, Force: NewForceReview(c)}, Version: version}
	all, err := s.cfg.Alerts.Casualties(ctx)
	if err != nil {
		return nil, err
	}
	if i := slices.IndexFunc(all, func(r alerts.CasualtyRecord) bool { return r.Casualty.ID == id }); i >= 0 {
		f.Item.PersonName = v.sc.name(c.PersonID, all[i].PersonName)
		for _, inv := range all[i].Investigations {
			f.Item.Investigations = append(f.Item.Investigations, InvestigationLink{ID: inv.ID, Status: inv.Status, Authority: inv.Authority})
		}
	}
	if f.Sources, err = newSourceSet(v.cfg.Records).get(ctx, c.SourceIDs()...); err != nil {
		return nil, err
	}
	if f.History, err = historyOf(ctx, v.cfg.Changes, id); err != nil {
		return nil, err
	}
	if err := s.viewed(ctx, u, habeas.KindCasualty, id); err != nil {
		return nil, err
	}
	return f, nil
}

// CasualtyEdit is what the casualty form changes, set by Edit on the
// record as stored; Version is the one the editor read. Create holds
// records written with it, such as the source a form describes anew.
type CasualtyEdit struct {
	ID      string
	Version int64
	Edit    func(*habeas.Casualty)
	Create  []habeas.Mutation
}

// SaveCasualty applies an edit of the casualty form, with the records it
// creates, in one batch, if the casualty has not changed since the
// version read: otherwise nothing is written and the error is stale
// (habeas.IsStale). An edit that changes nothing writes nothing. Invalid
// input is an EINVALID error whose fields are the record's
// ("use_of_force.warning.sources").
func (s *Service) SaveCasualty(ctx context.Context, u *habeas.User, ed CasualtyEdit) error {
	if err := s.authorize(u, writeCases); err != nil {
		return err
	}
	ctx = habeas.WithUser(ctx, u)
	e, _, err := s.cfg.Records.FindVersion(ctx, habeas.KindCasualty, ed.ID)
	if err != nil {
		return err
	}
	c := e.(*habeas.Casualty)
	if !changed(c, func(c *habeas.Casualty) { ed.Edit(c); c.Normalize() }) {
		return nil
	}
	if err := c.Validate(); err != nil {
		return err
	}
	muts := append(slices.Clip(ed.Create), habeas.Mutation{Op: habeas.OpUpdate, Entity: c, Version: ed.Version})
	_, err = s.cfg.Records.Apply(ctx, muts)
	return unbatch(err)
}
