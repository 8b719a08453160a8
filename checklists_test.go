package habeas_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
)

// The Minnesota Protocol's facts on an investigation: unknown, yes or no;
// the facts of a death only on the investigation of a death; the acts of an
// investigation never "yes" while no case is open.
func TestInvestigationChecksValidate(t *testing.T) {
	ofAllegation := func(i *habeas.Investigation) {
		i.CasualtyID, i.DetentionID, i.AllegationEventID = "", detA, "e4"
	}
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Investigation)
		field  string // "" for valid
	}{
		{"every fact yes on an open case", func(i *habeas.Investigation) {
			for _, c := range habeas.InvestigationChecks {
				*c.Field(i) = ptr(true)
			}
		}, ""},
		{"every fact no on an open case", func(i *habeas.Investigation) {
			for _, c := range habeas.InvestigationChecks {
				*c.Field(i) = ptr(false)
			}
		}, ""},
		{"victim identified on an allegation", func(i *habeas.Investigation) { ofAllegation(i); i.VictimIdentified = ptr(true) }, "victim_identified"},
		{"death established on an allegation", func(i *habeas.Investigation) { ofAllegation(i); i.DeathEstablished = ptr(false) }, "death_established"},
		{"evidence on an allegation", func(i *habeas.Investigation) { ofAllegation(i); i.EvidencePreserved = ptr(true) }, ""},
		{"evidence preserved while only requested", func(i *habeas.Investigation) {
			i.Status, i.Opened, i.EvidencePreserved = habeas.InvestigationRequested, time.Time{}, ptr(true)
		}, "evidence_preserved"},
		{"command examined after a refusal", func(i *habeas.Investigation) {
			i.Status, i.Opened, i.CommandExamined = habeas.InvestigationRefused, time.Time{}, ptr(true)
		}, "command_examined"},
		{"no evidence preserved after a refusal", func(i *habeas.Investigation) {
			i.Status, i.Opened, i.EvidencePreserved = habeas.InvestigationRefused, time.Time{}, ptr(false)
		}, ""},
		{"family informed of a refusal", func(i *habeas.Investigation) {
			i.Status, i.Opened, i.FamilyInformed, i.WitnessesProtected = habeas.InvestigationRefused, time.Time{}, ptr(true), ptr(false)
		}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			i := validInvestigation()
			tt.mutate(i)
			if tt.field == "" {
				wantValid(t, i.Validate())
			} else {
				wantField(t, i.Validate(), tt.field)
			}
		})
	}
}

// The table of checks names the JSON fields it reads, each field once, so
// that forms and lists built from it read and write the right facts.
func TestInvestigationChecksTable(t *testing.T) {
	i := validInvestigation()
	seen := map[**bool]bool{}
	for _, c := range habeas.InvestigationChecks {
		f := c.Field(i)
		if seen[f] {
			t.Errorf("%s: its field is also another check's", c.Name)
		}
		seen[f] = true
		*f = ptr(c.Pass)
		if c.Citation == "" {
			t.Errorf("%s has no citation", c.Name)
		}
	}
	b, err := json.Marshal(i)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, c := range habeas.InvestigationChecks {
		if got, ok := m[c.Name]; !ok || got != c.Pass {
			t.Errorf("JSON field %s: got %v, want %v", c.Name, got, c.Pass)
		}
	}
}

// A record written before the checklist fields existed reads as it was,
// every new fact unknown, and writes back to the same bytes.
func TestInvestigationJSONBackwardCompatible(t *testing.T) {
	old := `{"id":"inv_test0001","casualty_id":"cas_test0001","authority":"regional prosecutor's office (synthetic)",` +
		`"authority_implicated":false,"opened":"2022-01-07T14:30:00Z","status":"open","family_informed":true}`
	dec := json.NewDecoder(strings.NewReader(old))
	dec.DisallowUnknownFields()
	var i habeas.Investigation
	if err := dec.Decode(&i); err != nil {
		t.Fatal(err)
	}
	wantValid(t, i.Validate())
	for _, c := range habeas.InvestigationChecks {
		switch c.Name {
		case "authority_implicated", "family_informed":
			if *c.Field(&i) == nil {
				t.Errorf("%s: lost", c.Name)
			}
		default:
			if *c.Field(&i) != nil {
				t.Errorf("%s: got %v, want unknown", c.Name, **c.Field(&i))
			}
		}
	}
	b, err := json.Marshal(&i)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, []byte(old)) {
		t.Errorf("written back:\n got %s\nwant %s", b, old)
	}
}

// withMonitoring gives the detention a hearing event of type typ carrying m.
func withMonitoring(typ habeas.EventType, m *habeas.TrialMonitoring) func(*habeas.Detention) {
	return func(d *habeas.Detention) {
		e := habeas.Event{ID: "e9", Type: typ, At: t0.Add(100 * time.Hour), Monitoring: m}
		if typ == habeas.EventCourtAppearance {
			e.Decision = &habeas.Decision{Kind: habeas.DecisionAdjourned}
		}
		d.Events = append(d.Events, e)
	}
}

func TestTrialMonitoringValidate(t *testing.T) {
	good := func() *habeas.TrialMonitoring {
		return &habeas.TrialMonitoring{Monitor: "monitor 7 (synthetic)", Notes: "defendant held in a glass cage",
			Checks: map[string]habeas.Answer{"public_hearing": habeas.AnswerYes, "presumption_of_innocence": habeas.AnswerNo,
				"interpreter": habeas.AnswerNotApplicable}}
	}
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Detention)
		field  string // "" for valid
	}{
		{"on a trial hearing", withMonitoring(habeas.EventTrialHearing, good()), ""},
		{"on a court appearance", withMonitoring(habeas.EventCourtAppearance, good()), ""},
		{"with no answers yet", withMonitoring(habeas.EventTrialHearing, &habeas.TrialMonitoring{Monitor: "m"}), ""},
		{"on an arrest", withEvent(0, func(e *habeas.Event) { e.Monitoring = good() }), "events[0].monitoring"},
		{"on a release", withMonitoring(habeas.EventRelease, good()), "events[3].monitoring"},
		{"without a monitor", withMonitoring(habeas.EventTrialHearing, &habeas.TrialMonitoring{Monitor: " "}), "events[3].monitoring.monitor"},
		{"an answer that is not one", withMonitoring(habeas.EventTrialHearing, &habeas.TrialMonitoring{Monitor: "m",
			Checks: map[string]habeas.Answer{"appeal": "maybe"}}), "events[3].monitoring.checks.appeal"},
		{"unknown as an answer", withMonitoring(habeas.EventTrialHearing, &habeas.TrialMonitoring{Monitor: "m",
			Checks: map[string]habeas.Answer{"appeal": ""}}), "events[3].monitoring.checks.appeal"},
		{"an item not on the checklist", withMonitoring(habeas.EventTrialHearing, &habeas.TrialMonitoring{Monitor: "m",
			Checks: map[string]habeas.Answer{"cage": habeas.AnswerNo}}), "events[3].monitoring.checks.cage"},
		{"notes too long", withMonitoring(habeas.EventTrialHearing, &habeas.TrialMonitoring{Monitor: "m",
			Notes: strings.Repeat("x", 5001)}), "events[3].monitoring.notes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := validDetention()
			tt.mutate(d)
			if tt.field == "" {
				wantValid(t, d.Validate())
			} else {
				wantField(t, d.Validate(), tt.field)
			}
		})
	}
}

func TestTrialMonitoringFailed(t *testing.T) {
	m := &habeas.TrialMonitoring{Monitor: "m", Checks: map[string]habeas.Answer{
		"appeal": habeas.AnswerNo, "public_hearing": habeas.AnswerNo, "counsel": habeas.AnswerYes, "interpreter": habeas.AnswerNotApplicable}}
	if got, want := m.Failed(), []string{"public_hearing", "appeal"}; !slices.Equal(got, want) {
		t.Errorf("Failed: got %v, want %v (checklist order)", got, want)
	}
	names := map[string]bool{}
	for _, c := range habeas.TrialChecks {
		if names[c.Name] || c.Citation == "" {
			t.Errorf("%s: listed twice or without a citation", c.Name)
		}
		names[c.Name] = true
	}
	if len(names) != 15 {
		t.Errorf("%d trial checks, want the 15 of the ODIHR list", len(names))
	}
}
