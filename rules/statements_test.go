package rules_test

import (
	"slices"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/rules"
)

func TestStatementAllegations(t *testing.T) {
	hearingAt := time.Date(2022, 3, 1, 5, 0, 0, 0, time.UTC)
	allegation := func(id string, at time.Time, obtained *bool) habeas.Event {
		return habeas.Event{ID: id, Type: habeas.EventIllTreatment, At: at, Allegation: &habeas.Allegation{StatementObtained: obtained}}
	}
	hearing := func(admitted *bool) *habeas.Event {
		return &habeas.Event{ID: "e9", Type: habeas.EventTrialHearing, At: hearingAt,
			Monitoring: &habeas.TrialMonitoring{Monitor: "M-1", StatementAdmitted: admitted}}
	}
	before, after := hearingAt.Add(-50*24*time.Hour), hearingAt.Add(time.Hour)
	tests := []struct {
		name    string
		hearing *habeas.Event
		events  []habeas.Event
		want    []string
	}{
		{"statement used after an allegation", hearing(ptr(true)), []habeas.Event{allegation("e3", before, ptr(true))}, []string{"e3"}},
		{"ill-treatment at the hearing's moment", hearing(ptr(true)), []habeas.Event{allegation("e3", hearingAt, ptr(true))}, []string{"e3"}},
		{"ill-treatment after the hearing", hearing(ptr(true)), []habeas.Event{allegation("e3", after, ptr(true))}, nil},
		{"allegation says no statement", hearing(ptr(true)), []habeas.Event{allegation("e3", before, ptr(false))}, nil},
		{"allegation silent on statements", hearing(ptr(true)), []habeas.Event{allegation("e3", before, nil)}, nil},
		{"no allegation", hearing(ptr(true)), nil, nil},
		{"no statement admitted", hearing(ptr(false)), []habeas.Event{allegation("e3", before, ptr(true))}, nil},
		{"monitor did not say", hearing(nil), []habeas.Event{allegation("e3", before, ptr(true))}, nil},
		{"not monitored", &habeas.Event{ID: "e9", Type: habeas.EventTrialHearing, At: hearingAt}, []habeas.Event{allegation("e3", before, ptr(true))}, nil},
		{"two allegations, one before", hearing(ptr(true)), []habeas.Event{allegation("e3", before, ptr(true)), allegation("e7", after, ptr(true))}, []string{"e3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rules.StatementAllegations(tt.hearing, tt.events); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
