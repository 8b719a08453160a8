package rules_test

import (
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/rules"
)

func TestAdministrativeArrest(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	court := func(days int) habeas.Event {
		return ev(habeas.EventCourtAppearance, arrest.Add(20*hour), withID("e2"), withDecision(habeas.DecisionAdminArrest, days))
	}
	release := func(after time.Duration) habeas.Event { return ev(habeas.EventRelease, arrest.Add(after)) }
	for _, tt := range []struct {
		name     string
		events   []habeas.Event
		at       time.Duration
		state    rules.State
		by       time.Duration
		deadline time.Duration
		beyond   bool // Failed holds ordered_beyond_maximum
	}{
		{"20 days ordered, serving", []habeas.Event{court(20)}, 10 * day, rules.StatePending, 5 * day, 15 * day, true},
		{"20 days ordered, held past 15", []habeas.Event{court(20)}, 16 * day, rules.StateOverdue, day, 15 * day, true},
		{"20 days ordered, released at 15", []habeas.Event{court(20), release(15 * day)}, 16 * day, rules.StateMet, 0, 15 * day, true},
		{"15 days, released at the end", []habeas.Event{court(15), release(15 * day)}, 16 * day, rules.StateMet, 0, 15 * day, false},
		{"10 days counted from the de facto arrest, released 2 days late", []habeas.Event{court(10), release(12 * day)}, 16 * day, rules.StateMetLate, 2 * day, 10 * day, false},
		{"release before the evaluation moment only", []habeas.Event{court(10), release(12 * day)}, 11 * day, rules.StateOverdue, day, 10 * day, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, "almaty", habeas.ProcedureAdministrative, append([]habeas.Event{ev(habeas.EventArrest, arrest)}, tt.events...)...)
			r := mustResult(t, e.Evaluate(&rules.Case{Detention: d, Person: adult()}, arrest.Add(tt.at)), "kz.admin-arrest", "e2")
			wantState(t, r, tt.state, tt.by)
			if got, want := r.Deadline, arrest.Add(tt.deadline); !got.Equal(want) {
				t.Errorf("deadline got %v, want %v", got, want)
			}
			if got := hasAll(r.Failed, "ordered_beyond_maximum"); got != tt.beyond {
				t.Errorf("failed got %v, want ordered_beyond_maximum %v", r.Failed, tt.beyond)
			}
		})
	}
}

func TestAdministrativeArrestOnlyWithADecision(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	d := detention(t, "almaty", habeas.ProcedureAdministrative, ev(habeas.EventArrest, arrest),
		ev(habeas.EventCourtAppearance, arrest.Add(2*hour), withDecision(habeas.DecisionFine, 0), func(e *habeas.Event) { e.Decision.Amount = 10 }))
	rs := e.Evaluate(&rules.Case{Detention: d, Person: adult()}, arrest.Add(3*hour))
	if r, ok := result(rs, "kz.admin-arrest"); ok {
		t.Errorf("kz.admin-arrest got %v for a fine, want no result", r.State)
	}
	wantState(t, mustResult(t, rs, "kz.admin-detention-3h"), rules.StateMet, 0)
}

func TestPretrialCustody(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	decided := arrest.Add(2 * day)
	custody := func(after time.Duration, days int) habeas.Event {
		return ev(habeas.EventCourtAppearance, decided.Add(after), withDecision(habeas.DecisionCustody, days))
	}
	renewals := func(n int) []habeas.Event { // n terms of 60 days, each renewed 5 days before it ends
		var evs []habeas.Event
		for i := range n {
			evs = append(evs, custody(time.Duration(i)*55*day, 60))
		}
		return evs
	}
	for _, tt := range []struct {
		name     string
		events   []habeas.Event
		at       time.Time
		state    rules.State
		by       time.Duration
		deadline time.Time
		failed   []string
	}{
		{"60 days, not renewed", []habeas.Event{custody(0, 60)}, decided.Add(61 * day), rules.StateOverdue, day, decided.Add(60 * day), nil},
		{"term from the pack when the decision gives none", []habeas.Event{custody(0, 0)}, decided.Add(61 * day), rules.StateOverdue, day, decided.Add(60 * day), nil},
		{"renewed before expiry", []habeas.Event{custody(0, 60), custody(55*day, 60)}, decided.Add(61 * day), rules.StatePending, 54 * day, decided.Add(115 * day), nil},
		{"renewed after expiry", []habeas.Event{custody(0, 60), custody(65*day, 60)}, decided.Add(70 * day), rules.StatePending, 55 * day, decided.Add(125 * day), []string{"renewed_after_expiry"}},
		{"released during the term", []habeas.Event{custody(0, 60), ev(habeas.EventRelease, decided.Add(30*day))}, decided.Add(61 * day), rules.StateMet, 0, decided.Add(60 * day), nil},
		{"house arrest ends custody", []habeas.Event{custody(0, 60), custody(30*day, 0), ev(habeas.EventCourtAppearance, decided.Add(80*day), withDecision(habeas.DecisionHouseArrest, 60))},
			decided.Add(100 * day), rules.StateMet, 0, decided.Add(90 * day), nil},
		{"beyond nine months in all", renewals(5), arrest.Add(275 * day), rules.StateOverdue, 5 * day, arrest.Add(270 * day), []string{"beyond_maximum"}},
		{"within nine months", renewals(4), decided.Add(200 * day), rules.StatePending, 25 * day, decided.Add(225 * day), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, "almaty", habeas.ProcedureCriminal, append([]habeas.Event{ev(habeas.EventArrest, arrest, withID("e1"))}, tt.events...)...)
			r := mustResult(t, e.Evaluate(&rules.Case{Detention: d, Person: adult()}, tt.at), "kz.pretrial-custody")
			wantState(t, r, tt.state, tt.by)
			if !r.Deadline.Equal(tt.deadline) {
				t.Errorf("deadline got %v, want %v", r.Deadline, tt.deadline)
			}
			if strings.Join(r.Failed, " ") != strings.Join(tt.failed, " ") {
				t.Errorf("failed got %v, want %v", r.Failed, tt.failed)
			}
			if r.Subject != "e2" || r.StartBy != "e2" || !r.Start.Equal(decided) {
				t.Errorf("subject %q start %v by %q, want the first custody decision e2 at %v", r.Subject, r.Start, r.StartBy, decided)
			}
		})
	}
}

func TestIllTreatmentInvestigation(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	alleged := arrest.Add(5 * hour)
	inv := func(id, detentionID, event string, opened time.Time) *habeas.Investigation {
		return &habeas.Investigation{ID: id, DetentionID: detentionID, AllegationEventID: event, Authority: "regional prosecutor (synthetic)",
			Opened: opened, Status: habeas.InvestigationOpen}
	}
	for _, tt := range []struct {
		name  string
		invs  []*habeas.Investigation
		at    time.Time
		state rules.State
		by    time.Duration
		metBy string
	}{
		{"1m before 10 days", nil, alleged.Add(10*day - minute), rules.StatePending, minute, ""},
		{"1m after 10 days", nil, alleged.Add(10*day + minute), rules.StateOverdue, minute, ""},
		{"opened after 3 days", []*habeas.Investigation{inv("inv_test0001", testDetention, "e2", alleged.Add(3*day))}, alleged.Add(20 * day), rules.StateMet, 0, "inv_test0001"},
		{"opened after 12 days", []*habeas.Investigation{inv("inv_test0001", testDetention, "e2", alleged.Add(12*day))}, alleged.Add(20 * day), rules.StateMetLate, 2 * day, "inv_test0001"},
		{"opened after the evaluation moment", []*habeas.Investigation{inv("inv_test0001", testDetention, "e2", alleged.Add(12*day))}, alleged.Add(11 * day), rules.StateOverdue, day, ""},
		{"the earliest investigation counts", []*habeas.Investigation{
			inv("inv_test0002", testDetention, "e2", alleged.Add(12*day)),
			inv("inv_test0001", testDetention, "e2", alleged.Add(4*day)),
		}, alleged.Add(20 * day), rules.StateMet, 0, "inv_test0001"},
		{"investigation of another allegation", []*habeas.Investigation{inv("inv_test0001", testDetention, "e9", alleged.Add(3*day))}, alleged.Add(11 * day), rules.StateOverdue, day, ""},
		{"investigation of another detention", []*habeas.Investigation{inv("inv_test0001", "det_test0002", "e2", alleged.Add(3*day))}, alleged.Add(11 * day), rules.StateOverdue, day, ""},
		{"requested, never opened", []*habeas.Investigation{{ID: "inv_test0001", DetentionID: testDetention, AllegationEventID: "e2",
			Authority: "regional prosecutor (synthetic)", Status: habeas.InvestigationRequested}}, alleged.Add(11 * day), rules.StateOverdue, day, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, "almaty", habeas.ProcedureCriminal, ev(habeas.EventArrest, arrest, withID("e1")),
				ev(habeas.EventIllTreatment, alleged, withID("e2"), func(e *habeas.Event) {
					e.Allegation = &habeas.Allegation{Methods: []string{"beating"}}
				}))
			r := mustResult(t, e.Evaluate(&rules.Case{Detention: d, Person: adult(), Investigations: tt.invs}, tt.at),
				"international.ill-treatment-investigation", "e2")
			wantState(t, r, tt.state, tt.by)
			if r.MetBy != tt.metBy {
				t.Errorf("met by got %q, want %q", r.MetBy, tt.metBy)
			}
			if got, want := r.Deadline, alleged.Add(10*day); !got.Equal(want) {
				t.Errorf("deadline got %v, want %v", got, want)
			}
		})
	}
}

func TestDeathInvestigationMinnesota(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	died := arrest.Add(30 * hour)
	casualty := func(autopsy, body *bool) *habeas.Casualty {
		c := &habeas.Casualty{ID: "cas_test0001", Kind: habeas.CasualtyKilled, PersonID: testPerson, DetentionID: testDetention,
			At: died, City: "almaty", Cause: "blunt_trauma", Autopsy: autopsy, BodyReturned: body}
		c.Normalize()
		return c
	}
	inv := func(implicated, family, public *bool, status habeas.InvestigationStatus, opened time.Time) *habeas.Investigation {
		return &habeas.Investigation{ID: "inv_test0001", CasualtyID: "cas_test0001", Authority: "city police department (synthetic)",
			AuthorityImplicated: implicated, Opened: opened, Status: status, FamilyInformed: family, ResultsPublic: public}
	}
	yes, no := ptr(true), ptr(false)
	for _, tt := range []struct {
		name    string
		cas     *habeas.Casualty
		invs    []*habeas.Investigation
		at      time.Time
		state   rules.State
		failed  []string
		unclear []string
	}{
		{"implicated authority, family not told, no autopsy, results kept secret", casualty(no, yes),
			[]*habeas.Investigation{inv(yes, no, no, habeas.InvestigationClosed, died.Add(day))}, died.Add(20 * day), rules.StateOverdue,
			[]string{rules.CheckIndependent, rules.CheckFamily, rules.CheckResultsPublic, rules.CheckAutopsy}, nil},
		{"adequate", casualty(yes, yes),
			[]*habeas.Investigation{inv(no, yes, yes, habeas.InvestigationClosed, died.Add(day))}, died.Add(20 * day), rules.StateMet, nil, nil},
		{"results not yet due while the case is open", casualty(yes, yes),
			[]*habeas.Investigation{inv(no, yes, no, habeas.InvestigationOpen, died.Add(day))}, died.Add(20 * day), rules.StateMet, nil, nil},
		{"facts not recorded", casualty(nil, nil),
			[]*habeas.Investigation{inv(nil, nil, nil, habeas.InvestigationClosed, died.Add(day))}, died.Add(20 * day), rules.StateUnknown, nil,
			[]string{rules.CheckIndependent, rules.CheckFamily, rules.CheckResultsPublic, rules.CheckAutopsy, rules.CheckBodyReturned}},
		{"no investigation after 10 days", casualty(yes, yes), nil, died.Add(10*day + minute), rules.StateOverdue, []string{rules.CheckInvestigated}, nil},
		{"no investigation yet, within 10 days", casualty(yes, yes), nil, died.Add(5 * day), rules.StatePending, nil, nil},
		{"opened after 12 days", casualty(yes, yes),
			[]*habeas.Investigation{inv(no, yes, yes, habeas.InvestigationOpen, died.Add(12*day))}, died.Add(20 * day), rules.StateOverdue, []string{rules.CheckInvestigated}, nil},
		{"refused", casualty(yes, yes),
			[]*habeas.Investigation{inv(no, yes, nil, habeas.InvestigationRefused, time.Time{})}, died.Add(3 * day), rules.StateOverdue, []string{rules.CheckNotRefused}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, "almaty", habeas.ProcedureCriminal, ev(habeas.EventArrest, arrest), ev(habeas.EventDeathInCustody, died))
			c := &rules.Case{Detention: d, Person: adult(), Casualties: []rules.CasualtyCase{{Casualty: tt.cas, Investigations: tt.invs}}}
			r := mustResult(t, e.Evaluate(c, tt.at), "international.death-investigation", "cas_test0001")
			if r.State != tt.state {
				t.Errorf("state got %v, want %v (failed %v, unclear %v)", r.State, tt.state, r.Failed, r.Unclear)
			}
			if !hasAll(r.Failed, tt.failed...) || len(r.Failed) != len(tt.failed) {
				t.Errorf("failed got %v, want %v", r.Failed, tt.failed)
			}
			if !hasAll(r.Unclear, tt.unclear...) || len(r.Unclear) != len(tt.unclear) {
				t.Errorf("unclear got %v, want %v", r.Unclear, tt.unclear)
			}
			if tt.state == rules.StateUnknown && r.Missing != tt.unclear[0] {
				t.Errorf("missing got %q, want %q", r.Missing, tt.unclear[0])
			}
			if explained := rules.Explain(r, c); len(tt.failed) > 0 && !strings.Contains(explained, "Failed checks: "+strings.Join(r.Failed, ", ")) {
				t.Errorf("Explain does not list the failed checks: %s", explained)
			}
		})
	}
}

func TestDeathInvestigationApplies(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	died := arrest.Add(30 * hour)
	withDeath := detention(t, "almaty", habeas.ProcedureCriminal, ev(habeas.EventArrest, arrest), ev(habeas.EventDeathInCustody, died))
	alive := detention(t, "almaty", habeas.ProcedureCriminal, ev(habeas.EventArrest, arrest))
	injured := rules.CasualtyCase{Casualty: &habeas.Casualty{ID: "cas_test0002", Kind: habeas.CasualtyInjured, PersonID: testPerson,
		DetentionID: testDetention, At: arrest.Add(hour), City: "almaty"}}
	killed := rules.CasualtyCase{Casualty: &habeas.Casualty{ID: "cas_test0001", Kind: habeas.CasualtyKilled, PersonID: testPerson,
		DetentionID: testDetention, At: died, City: "almaty"}}
	for _, tt := range []struct {
		name       string
		d          *habeas.Detention
		casualties []rules.CasualtyCase
		at         time.Time
		want       int
		missing    string
	}{
		{"no death", alive, nil, died, 0, ""},
		{"injury only", alive, []rules.CasualtyCase{injured}, died, 0, ""},
		{"death in custody without a casualty record", withDeath, nil, died.Add(day), 1, "casualty_record"},
		{"death after the evaluation moment", withDeath, []rules.CasualtyCase{killed}, died.Add(-hour), 0, ""},
		{"death with a casualty record", withDeath, []rules.CasualtyCase{injured, killed}, died.Add(day), 1, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &rules.Case{Detention: tt.d, Person: adult(), Casualties: tt.casualties}
			var got []rules.Result
			for _, r := range e.Evaluate(c, tt.at) {
				if r.Rule.ID == "international.death-investigation" {
					got = append(got, r)
				}
			}
			if len(got) != tt.want {
				t.Fatalf("results got %d, want %d", len(got), tt.want)
			}
			if tt.missing != "" {
				if got[0].State != rules.StateUnknown || got[0].Missing != tt.missing {
					t.Errorf("got %v missing %q, want %v missing %q", got[0].State, got[0].Missing, rules.StateUnknown, tt.missing)
				}
				if s := rules.Explain(got[0], c); !strings.Contains(s, "casualty record") {
					t.Errorf("Explain got %q, want it to ask for the casualty record", s)
				}
			}
		})
	}
}

func TestDeathStopsTheClock(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	for _, tt := range []struct {
		name   string
		events []habeas.Event
		at     time.Duration
		id     string
		state  rules.State // "" for no result: the clock stopped
		by     time.Duration
	}{
		{"judge, death before the deadline", nil, 60 * hour, "international.judge-48h", "", 0},
		{"kz suspect, death before the deadline", nil, 60 * hour, "kz.suspect-48h", "", 0},
		{"whereabouts, death before the deadline", nil, 60 * hour, "international.whereabouts-24h", "", 0},
		{"family, death before the deadline", nil, 60 * hour, "kz.family-notice", "", 0},
		{"lawyer, death after the deadline", nil, 60 * hour, "kz.lawyer", rules.StateViolated, 9 * hour},
		{"protocol, death after the deadline", nil, 60 * hour, "kz.protocol-3h", rules.StateViolated, 7 * hour},
		{"before the death is known: the historic state", nil, 5 * hour, "kz.lawyer", rules.StateOverdue, 4 * hour},
		{"met before the death", []habeas.Event{ev(habeas.EventLawyerAccess, arrest.Add(30*minute))}, 60 * hour, "kz.lawyer", rules.StateMet, 0},
		{"refused before the death: the refusal is the deadline", []habeas.Event{ev(habeas.EventLawyerDenied, arrest.Add(2*hour))}, 60 * hour,
			"international.lawyer", rules.StateViolated, 8 * hour},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, "almaty", habeas.ProcedureCriminal, append([]habeas.Event{ev(habeas.EventArrest, arrest),
				ev(habeas.EventDeathInCustody, arrest.Add(10*hour))}, tt.events...)...)
			r, ok := result(e.Evaluate(&rules.Case{Detention: d, Person: adult()}, arrest.Add(tt.at)), tt.id)
			if tt.state == "" {
				if ok {
					t.Errorf("%s got %v, want no result", tt.id, r.State)
				}
				return
			}
			if !ok {
				t.Fatalf("no result for %s", tt.id)
			}
			wantState(t, r, tt.state, tt.by)
		})
	}

	// A death after the deadline leaves the breach, and the clock of an
	// allegation keeps running after the death.
	d := detention(t, "almaty", habeas.ProcedureCriminal, ev(habeas.EventArrest, arrest),
		ev(habeas.EventIllTreatment, arrest.Add(5*hour), withID("e2")), ev(habeas.EventDeathInCustody, arrest.Add(50*hour)))
	c := &rules.Case{Detention: d, Person: adult()}
	rs := e.Evaluate(c, arrest.Add(11*day))
	for _, id := range []string{"international.judge-48h", "kz.suspect-48h"} {
		r := mustResult(t, rs, id)
		wantState(t, r, rules.StateViolated, 2*hour)
		if s := rules.Explain(r, c); !strings.Contains(s, "the detainee died 2h after the deadline") {
			t.Errorf("Explain got %q", s)
		}
	}
	if r, ok := result(rs, "kz.court-sanction-72h"); ok {
		t.Errorf("kz.court-sanction-72h got %v, want no result (death before 72h)", r.State)
	}
	wantState(t, mustResult(t, rs, "international.ill-treatment-investigation", "e2"), rules.StateOverdue, day-5*hour)
}

// The maximum of an administrative arrest is that of the article it was
// imposed under, read from the charges recorded by the decision: art. 488
// gives 15 days (H), art. 476 15 days (M). Any other article, or none
// recorded, is judged on the strictest 15 days, with the Code's general
// maximum (30 days, unverified) beside when the term ordered is longer.
func TestAdministrativeArrestMaximumByArticle(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	decided := arrest.Add(20 * hour)
	charge := func(after time.Duration, article string) habeas.Event {
		return ev(habeas.EventCharge, arrest.Add(after), withCAO(article, ""))
	}
	court := func(days int) habeas.Event {
		return ev(habeas.EventCourtAppearance, decided, withID("e9"), withDecision(habeas.DecisionAdminArrest, days))
	}
	const pastStrict = 15*day + minute // one minute past the strict maximum
	for _, tt := range []struct {
		name      string
		events    []habeas.Event
		at        time.Duration
		state     rules.State
		by        time.Duration
		beyond    bool   // Failed holds ordered_beyond_maximum
		cites     string // the citation of the maximum applied; "" for the rule's own
		doubt     bool   // the general maximum shown beside
		doubtWhat rules.State
		doubtBy   time.Duration
	}{
		{"art. 488, 20 days ordered, 15 days and a minute", []habeas.Event{charge(hour, "488"), court(20)}, pastStrict,
			rules.StateOverdue, minute, true, "art. 488", false, "", 0},
		{"art. 488, 20 days ordered, at the 15th day itself", []habeas.Event{charge(hour, "488"), court(20)}, 15 * day,
			rules.StatePending, 0, true, "art. 488", false, "", 0},
		{"art. 488, released a minute after 15 days", []habeas.Event{charge(hour, "488"), court(20), ev(habeas.EventRelease, arrest.Add(pastStrict))}, 16 * day,
			rules.StateMetLate, minute, true, "art. 488", false, "", 0},
		{"art. 476, 20 days ordered: 15 days (M), not longer, so applied", []habeas.Event{charge(hour, "476"), court(20)}, pastStrict,
			rules.StateOverdue, minute, true, "art. 476", false, "", 0},
		{"article not recorded, 20 days ordered", []habeas.Event{court(20)}, pastStrict,
			rules.StateOverdue, minute, true, "", true, rules.StatePending, 5*day - minute},
		{"article not recorded, 20 days ordered, released at 20 days", []habeas.Event{court(20), ev(habeas.EventRelease, arrest.Add(20*day))}, 21 * day,
			rules.StateMetLate, 5 * day, true, "", true, rules.StateMet, 0},
		{"an article the pack does not list (CAO 667)", []habeas.Event{charge(hour, "667"), court(20)}, pastStrict,
			rules.StateOverdue, minute, true, "", true, rules.StatePending, 5*day - minute},
		{"article not recorded, 10 days ordered: within every maximum, no doubt", []habeas.Event{court(10)}, 10*day + minute,
			rules.StateOverdue, minute, false, "", false, "", 0},
		{"art. 488 charged only after the decision", []habeas.Event{court(20), charge(2*day, "488")}, pastStrict,
			rules.StateOverdue, minute, true, "", true, rules.StatePending, 5*day - minute},
		{"art. 488 charged at the decision itself", []habeas.Event{charge(20*hour, "488"), court(20)}, pastStrict,
			rules.StateOverdue, minute, true, "art. 488", false, "", 0},
		{"an unlisted article and art. 488: the first listed that matches", []habeas.Event{charge(hour, "667"), charge(2*hour, "488"), court(20)}, pastStrict,
			rules.StateOverdue, minute, true, "art. 488", false, "", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, "almaty", habeas.ProcedureAdministrative, append([]habeas.Event{ev(habeas.EventArrest, arrest)}, tt.events...)...)
			c := &rules.Case{Detention: d, Person: adult()}
			r := mustResult(t, e.Evaluate(c, arrest.Add(tt.at)), "kz.admin-arrest", "e9")
			wantState(t, r, tt.state, tt.by)
			if got, want := r.Deadline, arrest.Add(15*day); tt.beyond && !got.Equal(want) {
				t.Errorf("deadline got %v, want %v", got, want)
			}
			if got := hasAll(r.Failed, "ordered_beyond_maximum"); got != tt.beyond {
				t.Errorf("failed got %v, want ordered_beyond_maximum %v", r.Failed, tt.beyond)
			}
			switch {
			case tt.cites == "" && r.Exception != nil:
				t.Errorf("maximum applied: %s, want the rule's own", r.Exception.Citation)
			case tt.cites != "" && (r.Exception == nil || !strings.Contains(r.Exception.Citation, tt.cites)):
				t.Errorf("maximum applied: %+v, want the one of %s", r.Exception, tt.cites)
			}
			switch {
			case !tt.doubt && r.Doubt != nil:
				t.Errorf("doubt got %+v, want none", r.Doubt)
			case tt.doubt && (r.Doubt == nil || r.Doubt.Reason != rules.DoubtUnverified || r.Doubt.State != tt.doubtWhat ||
				(tt.doubtWhat != rules.StateMet && r.Doubt.By != tt.doubtBy) || !r.Doubt.Deadline.Equal(arrest.Add(20*day)) ||
				r.Doubt.Exception == nil || !strings.Contains(r.Doubt.Exception.Citation, "art. 50")):
				t.Errorf("doubt got %+v, want the unverified 30 days of art. 50: %v by %v, the term ending at 20 days", r.Doubt, tt.doubtWhat, tt.doubtBy)
			case tt.doubt && !strings.Contains(rules.Explain(r, c), "If the longer, unverified maximum of 30d"):
				t.Errorf("Explain does not give the longer reading: %s", rules.Explain(r, c))
			}
		})
	}
}

// A maximum an organisation has verified (confidence H) that is longer
// than the rule's own applies: an arrest of 20 days under it is within
// the law.
func TestAdministrativeArrestVerifiedLongerMaximum(t *testing.T) {
	own, err := rules.LoadPack("own.json", []byte(`{
  "id": "own", "title": {"en": "Our reading"}, "version": "1",
  "rules": [{
    "id": "own.admin-arrest", "safeguard": "term",
    "title": {"en": "Administrative arrest", "ru": "Административный арест", "kk": "Әкімшілік қамаққа алу"},
    "citation": "CAO art. 488", "confidence": "H", "kind": "administrative_arrest",
    "applies": {"procedures": ["administrative"]}, "max_days": 15,
    "exceptions": [
      {"when": {"offences": ["CAO 476"]}, "limit": "30d", "citation": "CAO art. 476, as checked by our lawyers", "confidence": "H"},
      {"when": {}, "limit": "30d", "citation": "CAO art. 50", "confidence": "L"}
    ],
    "severity": "high"
  }]
}`))
	if err != nil {
		t.Fatal(err)
	}
	e, err := rules.NewEngine(own)
	if err != nil {
		t.Fatal(err)
	}
	arrest := ordinaryArrest(t)
	for _, tt := range []struct {
		name    string
		release time.Duration // 0: still held
		at      time.Duration
		state   rules.State
		by      time.Duration
	}{
		{"15 days and a minute into 20 ordered", 0, 15*day + minute, rules.StatePending, 5*day - minute},
		{"released at the end of the 20 days", 20 * day, 21 * day, rules.StateMet, 0},
		{"held a minute past the 20 days", 0, 20*day + minute, rules.StateOverdue, minute},
	} {
		t.Run(tt.name, func(t *testing.T) {
			events := []habeas.Event{ev(habeas.EventArrest, arrest), ev(habeas.EventCharge, arrest.Add(hour), withCAO("476", "")),
				ev(habeas.EventCourtAppearance, arrest.Add(20*hour), withDecision(habeas.DecisionAdminArrest, 20))}
			if tt.release > 0 {
				events = append(events, ev(habeas.EventRelease, arrest.Add(tt.release)))
			}
			d := detention(t, "almaty", habeas.ProcedureAdministrative, events...)
			r := mustResult(t, e.Evaluate(&rules.Case{Detention: d, Person: adult()}, arrest.Add(tt.at)), "own.admin-arrest")
			wantState(t, r, tt.state, tt.by)
			if len(r.Failed) > 0 || r.Doubt != nil || r.Exception == nil || r.Exception.Limit != "30d" {
				t.Errorf("failed %v, doubt %+v, exception %+v: want the verified 30 days applied, nothing beside", r.Failed, r.Doubt, r.Exception)
			}
		})
	}
}
