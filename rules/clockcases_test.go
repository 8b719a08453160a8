package rules_test

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/rules"
)

// clockCase is one independent boundary case (testdata/clockcases.json).
type clockCase struct {
	ID        string             `json:"id"`
	Note      string             `json:"note"`
	Spec      string             `json:"spec"`
	City      string             `json:"city"`
	Procedure habeas.Procedure   `json:"procedure"`
	Birth     habeas.BirthDate   `json:"birth"`
	Events    []habeas.Event     `json:"events"`
	Rule      string             `json:"rule"`
	At        time.Time          `json:"at"`
	Expect    []clockExpectation `json:"expect"`
}

type clockExpectation struct {
	Absent     bool   `json:"absent"`
	State      string `json:"state"`
	BySeconds  *int64 `json:"by_seconds"`
	StartEvent string `json:"start_event"`
	Doubt      *struct {
		Reason    string `json:"reason"`
		State     string `json:"state"`
		BySeconds *int64 `json:"by_seconds"`
	} `json:"doubt"`
}

// TestIndependentClockCases runs the boundary cases an independent tester
// wrote from the specification alone, with the expectations fixed before
// the engine was run: the deadline instant, charges before and after the
// limit, unknown ages, the state of emergency by place and local time,
// transfers, refusals and deaths.
func TestIndependentClockCases(t *testing.T) {
	var cases []clockCase
	for _, name := range []string{"testdata/clockcases.json", "testdata/clockcases2.json"} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var file struct{ Cases []clockCase }
		if err := json.Unmarshal(data, &file); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(file.Cases) < 30 {
			t.Fatalf("%s: %d cases; the file should hold at least 30", name, len(file.Cases))
		}
		cases = append(cases, file.Cases...)
	}
	e := newEngine(t)
	for _, cc := range cases {
		t.Run(cc.ID, func(t *testing.T) {
			d := &habeas.Detention{ID: testDetention, PersonID: testPerson, City: cc.City, Procedure: cc.Procedure, Events: cc.Events}
			d.Normalize()
			if err := d.Validate(); err != nil {
				t.Fatalf("case detention invalid: %v", err)
			}
			p := &habeas.Person{ID: testPerson, Names: []habeas.NameVariant{{Text: "Test Case"}}, Birth: cc.Birth}
			var got []rules.Result
			for _, r := range e.Evaluate(&rules.Case{Detention: d, Person: p}, cc.At) {
				if r.Rule.ID == cc.Rule {
					got = append(got, r)
				}
			}
			if len(cc.Expect) == 1 && cc.Expect[0].Absent {
				if len(got) > 0 {
					t.Errorf("%s (%s): %s applies (%v), want it not to", cc.ID, cc.Note, cc.Rule, got[0].State)
				}
				return
			}
			if len(got) != len(cc.Expect) {
				t.Fatalf("%s (%s): %d results of %s, want %d", cc.ID, cc.Note, len(got), cc.Rule, len(cc.Expect))
			}
			for i, want := range cc.Expect {
				r := got[i]
				if string(r.State) != want.State || (want.BySeconds != nil && int64(r.By/time.Second) != *want.BySeconds) ||
					(want.StartEvent != "" && r.StartBy != want.StartEvent) {
					t.Errorf("%s (%s): result %d is %s by %v from %s, want %s by %vs from %q\nspec: %s", cc.ID, cc.Note, i, r.State, r.By, r.StartBy,
						want.State, deref(want.BySeconds), want.StartEvent, cc.Spec)
				}
				switch {
				case want.Doubt == nil && r.Doubt != nil:
					t.Errorf("%s (%s): doubt %+v, want none", cc.ID, cc.Note, r.Doubt)
				case want.Doubt != nil && (r.Doubt == nil || r.Doubt.Reason != want.Doubt.Reason || string(r.Doubt.State) != want.Doubt.State ||
					(want.Doubt.BySeconds != nil && int64(r.Doubt.By/time.Second) != *want.Doubt.BySeconds)):
					t.Errorf("%s (%s): doubt %+v, want %s %s by %vs", cc.ID, cc.Note, r.Doubt, want.Doubt.Reason, want.Doubt.State, deref(want.Doubt.BySeconds))
				}
			}
		})
	}
}

func deref(p *int64) any {
	if p == nil {
		return "-"
	}
	return *p
}
