package sqlstore_test

import (
	"context"
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/sqlstore"
	_ "modernc.org/sqlite"
)

// The queues migration queues the detentions stored before it, from their
// documents, persons and assignments.
func TestQueuesMigrationFillsExistingRows(t *testing.T) {
	ctx := habeas.WithActor(context.Background(), "tester")
	sdb, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "habeas.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	all := os.DirFS("../../sqlite/migrations")
	first, err := fs.ReadFile(all, "001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	old := sqlstore.New(sdb, sqlstore.Dialect{Name: "sqlite", Migrations: fstest.MapFS{"001_init.sql": {Data: first}}})
	if err := old.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// Before migration 002 there is no queue table, so write the
	// projection as the old store did, by hand.
	src := &habeas.Source{ID: habeas.NewID(habeas.KindSource), Kind: habeas.SourceHotlineCall, Title: "call", Reliability: "C", Credibility: 3,
		ReceivedAt: time.Date(2022, 1, 6, 8, 0, 0, 0, time.UTC)}
	arrested := time.Date(2022, 1, 5, 10, 0, 0, 0, time.UTC)
	minor := &habeas.Person{ID: habeas.NewID(habeas.KindPerson), Names: []habeas.NameVariant{{Text: "Minor"}}, Citizenships: []string{"KG"},
		Birth: habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "2006-03-01"}}
	adult := &habeas.Person{ID: habeas.NewID(habeas.KindPerson), Names: []habeas.NameVariant{{Text: "Adult"}},
		Birth: habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1990-03-01"}}
	dMinor := &habeas.Detention{ID: habeas.NewID(habeas.KindDetention), PersonID: minor.ID, City: "almaty",
		Events: []habeas.Event{{ID: "e1", Type: habeas.EventArrest, At: arrested}}}
	dAdult := &habeas.Detention{ID: habeas.NewID(habeas.KindDetention), PersonID: adult.ID, City: "almaty",
		Events: []habeas.Event{{ID: "e1", Type: habeas.EventArrest, At: arrested}, {ID: "e2", Type: habeas.EventFamilyNotified, At: arrested.Add(time.Hour)}}}
	lawyer := &habeas.Lawyer{ID: habeas.NewID(habeas.KindLawyer), Name: "Advocate"}
	asg := &habeas.Assignment{ID: habeas.NewID(habeas.KindAssignment), LawyerID: lawyer.ID, DetentionID: dAdult.ID, Kind: habeas.AssignmentRetained, From: arrested}
	put := func(e habeas.Entity) {
		t.Helper()
		doc, err := habeas.Canonical(e)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sdb.Exec(`INSERT INTO entities (id, kind, seq, doc) VALUES ($1, $2, 1, $3)`, e.GetID(), string(e.EntityKind()), doc); err != nil {
			t.Fatal(err)
		}
		for _, r := range e.Refs() {
			if _, err := sdb.Exec(`INSERT OR IGNORE INTO refs (from_id, to_id, from_kind) VALUES ($1, $2, $3)`, e.GetID(), r.ID, string(e.EntityKind())); err != nil {
				t.Fatal(err)
			}
		}
		if d, ok := e.(*habeas.Detention); ok {
			if _, err := sdb.Exec(`INSERT INTO detention_index (id, person_id, city, procedure, status, arrested_us) VALUES ($1, $2, $3, '', $4, $5)`,
				d.ID, d.PersonID, d.City, string(d.Status()), d.ArrestedAt().UnixMicro()); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, e := range []habeas.Entity{src, minor, adult, dMinor, dAdult, lawyer, asg} {
		put(e)
	}

	db := sqlstore.New(sdb, sqlstore.Dialect{Name: "sqlite", Migrations: all})
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		queue habeas.Queue
		want  []string
	}{
		{habeas.QueueNoLawyer, []string{dMinor.ID}},
		{habeas.QueueIncommunicado, []string{dMinor.ID}},
		{habeas.QueueForeign, []string{dMinor.ID}},
		{habeas.QueueJuvenile, []string{dMinor.ID}},
	} {
		q := tt.queue
		ds, total, err := db.FindDetentions(ctx, habeas.DetentionFilter{Queue: &q})
		if err != nil {
			t.Fatal(err)
		}
		if total != len(tt.want) || len(ds) != len(tt.want) || ds[0].ID != tt.want[0] {
			t.Errorf("queue %s after the migration: %d (%v), want %v", q, total, ds, tt.want)
		}
	}
}
