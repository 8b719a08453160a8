package alerts_test

import (
	"context"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/alerts"
	"github.com/habeas-project/habeas/rules"
)

func TestAlertsPageAndPanelAlerts(t *testing.T) {
	w, store := newWatcher(t)
	ctx := context.Background()
	p := &habeas.Person{Names: []habeas.NameVariant{{Text: "Test Person"}}, Birth: habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1990-04-02"}}
	must(t, store.Create(ctx, p))
	arrest := time.Date(2022, 2, 10, 4, 0, 0, 0, time.UTC)
	d := &habeas.Detention{PersonID: p.ID, City: "aktau", Procedure: habeas.ProcedureCriminal, Events: []habeas.Event{{Type: habeas.EventArrest, At: arrest}}}
	must(t, store.Create(ctx, d))
	at := arrest.Add(50 * time.Hour)

	all, err := w.Alerts(ctx, alerts.Query{At: at, Within: 24 * time.Hour})
	must(t, err)
	if all.Total < 3 {
		t.Fatalf("%d alerts, want several", all.Total)
	}
	tests := []struct {
		name          string
		offset, limit int
		want          int
	}{
		{"first page", 0, 2, 2},
		{"second page", 1, 2, 2},
		{"past the end", all.Total, 2, 0},
		{"no cap", 1, 0, all.Total - 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := w.Alerts(ctx, alerts.Query{At: at, Within: 24 * time.Hour, Offset: tt.offset, Limit: tt.limit})
			must(t, err)
			if rep.Total != all.Total || len(rep.Alerts) != tt.want {
				t.Fatalf("total %d, %d alerts; want %d, %d", rep.Total, len(rep.Alerts), all.Total, tt.want)
			}
			for i, a := range rep.Alerts {
				if want := all.Alerts[tt.offset+i]; a.Rule != want.Rule || a.Explanation == "" {
					t.Fatalf("alert %d: %s, want %s, with an explanation", i, a.Rule.ID, want.Rule.ID)
				}
			}
		})
	}

	panel, err := w.Evaluate(ctx, d.ID, at)
	must(t, err)
	as := panel.Alerts()
	if len(as) != len(panel.Results) {
		t.Fatalf("%d alerts from %d results", len(as), len(panel.Results))
	}
	for i, a := range as {
		if a.DetentionID != d.ID || a.PersonName != "Test Person" || a.Zone != "Asia/Aqtau" || a.Rule != panel.Results[i].Rule || a.Explanation != panel.Results[i].Explanation {
			t.Fatalf("alert %d: %+v", i, a)
		}
	}
}

func TestConfidenceOfAnException(t *testing.T) {
	packs, err := rules.DefaultPacks()
	must(t, err)
	var admin *rules.Rule
	for _, p := range packs {
		for _, r := range p.Rules {
			if r.ID == "kz.admin-detention-3h" {
				admin = r
			}
		}
	}
	if admin == nil || len(admin.Exceptions) == 0 {
		t.Fatal("kz.admin-detention-3h with its emergency exception is not in the packs")
	}
	tests := []struct {
		name string
		res  rules.Result
		want string
	}{
		{"the rule's own", rules.Result{Rule: admin}, admin.Confidence},
		{"the exception's", rules.Result{Rule: admin, Exception: &admin.Exceptions[0]}, admin.Exceptions[0].Confidence},
		{"an exception without its own", rules.Result{Rule: admin, Exception: &rules.Exception{}}, admin.Confidence},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := alerts.Confidence(tt.res); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
