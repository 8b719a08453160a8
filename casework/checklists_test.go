package casework_test

import (
	"context"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/sqlite"
)

func openSQLite(t *testing.T) *sqlstore.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// An investigation saved from a stale read is refused and changes
// nothing; saved from the current versions it lands.
func TestSaveInvestigationStale(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	work := service(db)
	p := &habeas.Person{Names: []habeas.NameVariant{{Text: "Ерлан Сатпаев"}}}
	c := &habeas.Casualty{Kind: habeas.CasualtyKilled, City: "almaty", At: time.Date(2022, 1, 6, 3, 0, 0, 0, time.UTC)}
	inv := &habeas.Investigation{Authority: "Prosecutor General's Office", Status: habeas.InvestigationRequested}
	if _, err := work.CreateRecord(ctx, operator, p); err != nil {
		t.Fatal(err)
	}
	c.PersonID = p.ID
	cv, err := work.CreateRecord(ctx, operator, c)
	if err != nil {
		t.Fatal(err)
	}
	inv.CasualtyID = c.ID
	iv, err := work.CreateRecord(ctx, operator, inv)
	if err != nil {
		t.Fatal(err)
	}
	setStatus := func(s habeas.InvestigationStatus) func(*habeas.Investigation) {
		return func(i *habeas.Investigation) { i.Status, i.Opened = s, time.Date(2022, 1, 10, 0, 0, 0, 0, time.UTC) }
	}
	// Someone else opens the case first.
	if err := work.SaveInvestigation(ctx, operator, casework.InvestigationEdit{ID: inv.ID, CasualtyID: c.ID, Version: iv, CasualtyVersion: cv,
		Investigation: setStatus(habeas.InvestigationOpen)}); err != nil {
		t.Fatal(err)
	}
	before, _ := db.LastSeq(ctx)
	err = work.SaveInvestigation(ctx, operator, casework.InvestigationEdit{ID: inv.ID, CasualtyID: c.ID, Version: iv, CasualtyVersion: cv,
		Investigation: setStatus(habeas.InvestigationRefused), Casualty: func(c *habeas.Casualty) { c.Autopsy = new(true) }})
	if !habeas.IsStale(err) {
		t.Fatalf("save from a stale read: %v, want stale", err)
	}
	if after, _ := db.LastSeq(ctx); after != before {
		t.Errorf("the refused save wrote %d changes", after-before)
	}
	f, err := work.FindInvestigationFile(ctx, operator, inv.ID, time.Date(2022, 2, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if f.Item.Status != habeas.InvestigationOpen || f.Casualty.Autopsy != nil || f.Version <= iv || f.CasualtyVersion != cv {
		t.Errorf("after the refusal: status %s, autopsy %v, versions %d/%d", f.Item.Status, f.Casualty.Autopsy, f.Version, f.CasualtyVersion)
	}
	if err := work.SaveInvestigation(ctx, operator, casework.InvestigationEdit{ID: inv.ID, CasualtyID: c.ID, Version: f.Version,
		CasualtyVersion: f.CasualtyVersion, Investigation: setStatus(habeas.InvestigationRefused)}); err != nil {
		t.Errorf("save from the current versions: %v", err)
	}
}

// A monitor's checklist saved while a report lands on the same case is
// kept; saved after another monitor's answers changed it, it is refused.
func TestRecordMonitoringStale(t *testing.T) {
	ctx := context.Background()
	work := service(openSQLite(t))
	res := firstReport(t, work)
	if _, err := work.EditDetention(ctx, operator, res.DetentionID, func(d *habeas.Detention, _ int64) ([]habeas.Mutation, error) {
		d.Events = append(d.Events, habeas.Event{Type: habeas.EventTrialHearing, At: time.Date(2022, 3, 1, 4, 0, 0, 0, time.UTC),
			Place: "Almaly district court", Sources: []string{res.SourceID}})
		return []habeas.Mutation{{Op: habeas.OpUpdate, Entity: d}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	trials, _, err := work.FindTrials(ctx, operator, casework.TrialQuery{DetentionID: &res.DetentionID})
	if err != nil || len(trials) != 1 {
		t.Fatalf("trials: %v, %v", trials, err)
	}
	f, err := work.FindTrialFile(ctx, operator, res.DetentionID, trials[0].EventID)
	if err != nil {
		t.Fatal(err)
	}
	// A report lands on the case: the checklist as read is not stale.
	if _, err := work.Intake(ctx, operator, report(res.PersonID, "second caller")); err != nil {
		t.Fatal(err)
	}
	mine := &habeas.TrialMonitoring{Monitor: "monitor A", Checks: map[string]habeas.Answer{"public_hearing": habeas.AnswerYes}}
	if err := work.RecordMonitoring(ctx, operator, res.DetentionID, f.Item.EventID, f.Read, mine); err != nil {
		t.Fatalf("save after a report on the case: %v", err)
	}
	// Another monitor saves on the same read: refused.
	theirs := &habeas.TrialMonitoring{Monitor: "monitor B", Checks: map[string]habeas.Answer{"public_hearing": habeas.AnswerNo}}
	if err := work.RecordMonitoring(ctx, operator, res.DetentionID, f.Item.EventID, f.Read, theirs); !habeas.IsStale(err) {
		t.Fatalf("save on a checklist changed since: %v, want stale", err)
	}
	again, err := work.FindTrialFile(ctx, operator, res.DetentionID, f.Item.EventID)
	if err != nil || again.Item.Monitoring == nil || again.Item.Monitoring.Monitor != "monitor A" {
		t.Errorf("after the refusal the checklist is %+v (%v), want monitor A's", again.Item.Monitoring, err)
	}
}
