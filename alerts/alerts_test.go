package alerts_test

import (
	"context"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/alerts"
	"github.com/habeas-project/habeas/rules"
	"github.com/habeas-project/habeas/sqlite"
)

func newWatcher(t *testing.T) (*alerts.Watcher, habeas.RecordService) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	packs, err := rules.DefaultPacks()
	if err != nil {
		t.Fatal(err)
	}
	eng, err := rules.NewEngine(packs...)
	if err != nil {
		t.Fatal(err)
	}
	return alerts.New(eng, db), db
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// find returns the alert for a rule, if any.
func find(rep *alerts.Report, detID, ruleID string) *alerts.Alert {
	for i := range rep.Alerts {
		if rep.Alerts[i].DetentionID == detID && rep.Alerts[i].Rule.ID == ruleID {
			return &rep.Alerts[i]
		}
	}
	return nil
}

func TestAlertsFollowTheChangeLog(t *testing.T) {
	w, store := newWatcher(t)
	ctx := context.Background()
	src := &habeas.Source{Kind: habeas.SourceRelative, Title: "call from a brother", Reliability: "C", Credibility: 3,
		ReceivedAt: time.Date(2022, 2, 10, 12, 0, 0, 0, time.UTC)}
	must(t, store.Create(ctx, src))
	p := &habeas.Person{Names: []habeas.NameVariant{{Text: "Тимур Тестов"}}, Citizenships: []string{"KG"},
		Birth: habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1990-04-02"}}
	must(t, store.Create(ctx, p))
	arrest := time.Date(2022, 2, 10, 4, 0, 0, 0, time.UTC) // 10:00 in Almaty, outside the emergency
	d := &habeas.Detention{PersonID: p.ID, City: "almaty", Procedure: habeas.ProcedureCriminal, Events: []habeas.Event{
		{Type: habeas.EventArrest, At: arrest, Sources: []string{src.ID}},
		{Type: habeas.EventTransfer, At: arrest.Add(time.Hour), Place: "IVS", Sources: []string{src.ID}},
	}}
	must(t, store.Create(ctx, d))

	at := arrest.Add(50 * time.Hour)
	rep, err := w.Alerts(ctx, alerts.Query{At: at, Within: 24 * time.Hour})
	must(t, err)
	judge := find(rep, d.ID, "international.judge-48h")
	if judge == nil || judge.State != rules.StateOverdue || judge.By != 2*time.Hour {
		t.Fatalf("judge-48h at +50h: got %+v, want overdue by 2h", judge)
	}
	if find(rep, d.ID, "kz.embassy-24h") == nil {
		t.Fatal("a foreign national without consular notice raised no alert")
	}
	due := find(rep, d.ID, "kz.court-sanction-72h")
	if due == nil || due.State != rules.StatePending || due.By != 22*time.Hour {
		t.Fatalf("court-sanction-72h at +50h: got %+v, want pending with 22h left", due)
	}
	if rep.Alerts[0].State != rules.StateOverdue || rep.Alerts[0].Rule.Severity != rules.SeverityUrgent {
		t.Fatalf("first alert: got %s %s, want an urgent overdue one first", rep.Alerts[0].State, rep.Alerts[0].Rule.ID)
	}
	if judge.PersonName != "Тимур Тестов" || judge.Zone != "Asia/Almaty" || judge.Explanation == "" {
		t.Fatalf("alert details: %+v", judge)
	}

	// A court appearance recorded through the store ends the violation as
	// of the next query: met late, so no longer an alert.
	d.Events = append(d.Events, habeas.Event{Type: habeas.EventCourtAppearance, At: arrest.Add(49 * time.Hour),
		Decision: &habeas.Decision{Kind: habeas.DecisionCustody, Days: 60}, Sources: []string{src.ID}})
	must(t, store.Update(ctx, d))
	rep, err = w.Alerts(ctx, alerts.Query{At: at, Within: 24 * time.Hour})
	must(t, err)
	if a := find(rep, d.ID, "international.judge-48h"); a != nil {
		t.Fatalf("after the court appearance: still an alert %s", a.State)
	}
	panel, err := w.Evaluate(ctx, d.ID, at)
	must(t, err)
	var judged bool
	for _, r := range panel.Results {
		if r.Rule.ID == "international.judge-48h" {
			judged = true
			if r.State != rules.StateMetLate || r.By != time.Hour {
				t.Fatalf("panel judge-48h: got %s by %v, want met late by 1h", r.State, r.By)
			}
		}
	}
	if !judged {
		t.Fatal("panel lacks international.judge-48h")
	}

	counts, err := w.Counts(ctx, at)
	must(t, err)
	for _, rc := range counts {
		if rc.Rule.ID == "international.judge-48h" && (rc.States[rules.StateMetLate] != 1 || rc.Violations != 1) {
			t.Fatalf("counts for judge-48h: %+v", rc)
		}
	}

	// Deleting the detention removes its alerts.
	must(t, store.Delete(ctx, habeas.KindDetention, d.ID))
	rep, err = w.Alerts(ctx, alerts.Query{At: at, Within: 24 * time.Hour})
	must(t, err)
	if rep.Total != 0 || rep.Detentions != 0 {
		t.Fatalf("after delete: %d alerts over %d detentions, want none", rep.Total, rep.Detentions)
	}
	_, err = w.Evaluate(ctx, d.ID, at)
	if habeas.ErrorCode(err) != habeas.ENOTFOUND {
		t.Fatalf("panel of a deleted detention: got %v, want not found", err)
	}
}

func TestUnknownCitizenshipIsReportedWhenAsked(t *testing.T) {
	w, store := newWatcher(t)
	ctx := context.Background()
	p := &habeas.Person{Names: []habeas.NameVariant{{Text: "Test Person"}}}
	must(t, store.Create(ctx, p))
	arrest := time.Date(2022, 1, 6, 4, 0, 0, 0, time.UTC)
	d := &habeas.Detention{PersonID: p.ID, City: "aktau", Events: []habeas.Event{{Type: habeas.EventArrest, At: arrest}}}
	must(t, store.Create(ctx, d))
	rep, err := w.Alerts(ctx, alerts.Query{At: arrest.Add(time.Hour), Unknown: true})
	must(t, err)
	a := find(rep, d.ID, "kz.embassy-24h")
	if a == nil || a.State != rules.StateUnknown || a.Missing != "citizenship" {
		t.Fatalf("embassy rule with no citizenship: got %+v, want unknown for want of citizenship", a)
	}
	rep, err = w.Alerts(ctx, alerts.Query{At: arrest.Add(time.Hour)})
	must(t, err)
	if find(rep, d.ID, "kz.embassy-24h") != nil || rep.Unknown != 0 {
		t.Fatal("unknown results were reported without being asked for")
	}
}

func TestKillingOutsideCustodyIsChecked(t *testing.T) {
	w, store := newWatcher(t)
	ctx := context.Background()
	p := &habeas.Person{Names: []habeas.NameVariant{{Text: "Test Victim"}}, Citizenships: []string{"KZ"}}
	must(t, store.Create(ctx, p))
	no := false
	killed := time.Date(2022, 1, 6, 14, 0, 0, 0, time.UTC)
	cas := &habeas.Casualty{Kind: habeas.CasualtyKilled, PersonID: p.ID, City: "almaty", At: killed, Cause: "gunshot", Autopsy: &no}
	must(t, store.Create(ctx, cas))
	rep, err := w.Alerts(ctx, alerts.Query{At: killed.Add(11 * 24 * time.Hour)})
	must(t, err)
	if rep.Total != 1 {
		t.Fatalf("got %d alerts, want the one death investigation", rep.Total)
	}
	a := rep.Alerts[0]
	if a.CasualtyID != cas.ID || a.DetentionID != "" || a.Rule.Kind != rules.KindMinnesota || a.State != rules.StateOverdue {
		t.Fatalf("alert: %+v", a)
	}
	want := map[string]bool{rules.CheckInvestigated: true, rules.CheckAutopsy: true}
	for _, f := range a.Failed {
		delete(want, f)
	}
	if len(want) > 0 || a.Zone != "Asia/Almaty" || a.Explanation == "" {
		t.Fatalf("failed checks %v (missing %v), zone %q, explanation %q", a.Failed, want, a.Zone, a.Explanation)
	}
}
