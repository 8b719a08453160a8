package rules_test

import (
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/rules"
)

func TestConflictingArrestAccounts(t *testing.T) {
	e := newEngine(t)
	sources := map[string]*habeas.Source{
		"src_sister01": {ID: "src_sister01", Kind: habeas.SourceRelative, Title: "call from the detainee's sister", Reliability: "B", Credibility: 2},
		"src_police01": {ID: "src_police01", Kind: habeas.SourceOfficialList, Title: "police list", Reliability: "A", Credibility: 1},
		"src_rumour01": {ID: "src_rumour01", Kind: habeas.SourceSocialMedia, Title: "anonymous post", Reliability: "E", Credibility: 3},
		"src_unlike01": {ID: "src_unlike01", Kind: habeas.SourceWitness, Title: "passer-by", Reliability: "C", Credibility: 5},
	}
	nine := local(t, "almaty", 2022, 2, 10, 9, 0)
	half11 := local(t, "almaty", 2022, 2, 10, 11, 30)
	for _, tt := range []struct {
		name       string
		early      []string // sources of the 09:00 account
		late       []string // sources of the 11:30 account; none: no second account
		want       time.Time
		wantBy     string
		mentions   string // in Explain: the chosen account's source
		mentionsOf string // in Explain: the other account
	}{
		{"earlier account counts", []string{"src_sister01"}, []string{"src_police01"}, nine, "e1",
			"call from the detainee's sister, B2", "2022-02-10 11:30 +06 (arrest e2 per police list, A1)"},
		{"unreliable source set aside", []string{"src_rumour01"}, []string{"src_police01"}, half11, "e2",
			"police list, A1", "2022-02-10 09:00 +06 (arrest e1 per anonymous post, E3)"},
		{"improbable information set aside", []string{"src_unlike01"}, []string{"src_sister01"}, half11, "e2",
			"call from the detainee's sister, B2", "passer-by, C5"},
		{"unreliable but backed by a credible source", []string{"src_rumour01", "src_sister01"}, []string{"src_police01"}, nine, "e1",
			"anonymous post, E3", "police list, A1"},
		{"only account, unreliable, is used", []string{"src_rumour01"}, nil, nine, "e1", "anonymous post, E3", ""},
		{"every account unreliable: the earliest", []string{"src_rumour01"}, []string{"src_unlike01"}, nine, "e1", "anonymous post, E3", "passer-by, C5"},
		{"source not in the map is not set aside", []string{"src_unknown1"}, []string{"src_police01"}, nine, "e1", "src_unknown1", "police list, A1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			events := []habeas.Event{ev(habeas.EventArrest, nine, withSources(tt.early...))}
			if tt.late != nil {
				events = append(events, ev(habeas.EventArrest, half11, withSources(tt.late...)))
			}
			c := &rules.Case{Detention: detention(t, "almaty", habeas.ProcedureCriminal, events...), Person: adult(), Sources: sources}
			if got, by := rules.ArrestTime(c.Detention, sources); !got.Equal(tt.want) || by != tt.wantBy {
				t.Errorf("ArrestTime got %v %s, want %v %s", got, by, tt.want, tt.wantBy)
			}
			for _, id := range []string{"international.judge-48h", "kz.suspect-48h", "kz.lawyer", "international.whereabouts-24h"} {
				r := mustResult(t, e.Evaluate(c, half11.Add(hour)), id)
				if !r.Start.Equal(tt.want) || r.StartBy != tt.wantBy {
					t.Errorf("%s: start got %v by %s, want %v by %s", id, r.Start, r.StartBy, tt.want, tt.wantBy)
				}
			}
			r := mustResult(t, e.Evaluate(c, half11.Add(hour)), "kz.suspect-48h")
			explained := rules.Explain(r, c)
			if !strings.Contains(explained, tt.mentions) {
				t.Errorf("Explain does not name the chosen account's source %q: %s", tt.mentions, explained)
			}
			if tt.mentionsOf == "" {
				if strings.Contains(explained, "other accounts") {
					t.Errorf("Explain lists other accounts where there are none: %s", explained)
				}
			} else if !strings.Contains(explained, "other accounts: ") || !strings.Contains(explained, tt.mentionsOf) {
				t.Errorf("Explain does not list the other account %q: %s", tt.mentionsOf, explained)
			}
		})
	}
}

func TestArrestTimeWithoutSources(t *testing.T) {
	nine := local(t, "almaty", 2022, 2, 10, 9, 0)
	d := detention(t, "almaty", habeas.ProcedureCriminal,
		ev(habeas.EventArrest, nine.Add(2*hour), withSources("src_rumour01")),
		ev(habeas.EventArrest, nine, withSources("src_rumour01")))
	// Without the source records nothing can be set aside: the earliest counts.
	if got, by := rules.ArrestTime(d, nil); !got.Equal(nine) || by != "e2" {
		t.Errorf("ArrestTime got %v %s, want %v e2", got, by, nine)
	}
}

func TestFlags(t *testing.T) {
	arrest := ordinaryArrest(t)
	for _, tt := range []struct {
		name   string
		events []habeas.Event
		want   []rules.Flag
	}{
		{"no protocol", nil, nil},
		{"protocol within 3h", []habeas.Event{ev(habeas.EventProtocol, arrest.Add(2*hour))}, nil},
		{"protocol exactly 3h later", []habeas.Event{ev(habeas.EventProtocol, arrest.Add(3*hour))}, nil},
		{"protocol 3h 1m later", []habeas.Event{ev(habeas.EventProtocol, arrest.Add(3*hour+minute))},
			[]rules.Flag{{Code: rules.FlagProtocolGap, Gap: 3*hour + minute, Events: []string{"e1", "e2"}}}},
		{"protocol 5h later", []habeas.Event{ev(habeas.EventProtocol, arrest.Add(5*hour))},
			[]rules.Flag{{Code: rules.FlagProtocolGap, Gap: 5 * hour, Events: []string{"e1", "e2"}}}},
		{"only the first protocol counts", []habeas.Event{ev(habeas.EventProtocol, arrest.Add(hour)), ev(habeas.EventProtocol, arrest.Add(6*hour))}, nil},
		{"two accounts of the arrest", []habeas.Event{ev(habeas.EventArrest, arrest.Add(150*minute))},
			[]rules.Flag{{Code: rules.FlagConflictingArrest, Gap: 150 * minute, Events: []string{"e1", "e2"}}}},
		{"two accounts that agree", []habeas.Event{ev(habeas.EventArrest, arrest)}, nil},
		{"both", []habeas.Event{ev(habeas.EventArrest, arrest.Add(hour)), ev(habeas.EventProtocol, arrest.Add(4*hour))},
			[]rules.Flag{
				{Code: rules.FlagProtocolGap, Gap: 4 * hour, Events: []string{"e1", "e3"}},
				{Code: rules.FlagConflictingArrest, Gap: hour, Events: []string{"e1", "e2"}},
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, "almaty", habeas.ProcedureCriminal, append([]habeas.Event{ev(habeas.EventArrest, arrest)}, tt.events...)...)
			got := rules.Flags(d, nil, arrest.Add(day))
			if len(got) != len(tt.want) {
				t.Fatalf("flags got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if g.Code != w.Code || g.Gap != w.Gap || strings.Join(g.Events, " ") != strings.Join(w.Events, " ") {
					t.Errorf("flag %d got %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestProtocolNeverStartsTheClock(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	for _, tt := range []struct {
		name     string
		gap      time.Duration
		protocol rules.State
		late     time.Duration
	}{
		{"protocol 5h after the arrest", 5 * hour, rules.StateMetLate, 2 * hour},
		{"protocol 3h after the arrest", 3 * hour, rules.StateMet, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, "almaty", habeas.ProcedureCriminal, ev(habeas.EventArrest, arrest), ev(habeas.EventProtocol, arrest.Add(tt.gap)))
			rs := e.Evaluate(&rules.Case{Detention: d, Person: adult()}, arrest.Add(10*hour))
			for _, id := range []string{"international.judge-48h", "kz.suspect-48h", "kz.court-sanction-72h", "kz.lawyer", "kz.family-notice"} {
				r := mustResult(t, rs, id)
				if !r.Start.Equal(arrest) || r.StartBy != "e1" {
					t.Errorf("%s: start got %v by %s, want the de facto arrest %v by e1", id, r.Start, r.StartBy, arrest)
				}
			}
			wantState(t, mustResult(t, rs, "kz.protocol-3h"), tt.protocol, tt.late)
		})
	}
}
