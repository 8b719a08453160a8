package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/sqlite"
	"github.com/habeas-project/habeas/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) storetest.Store {
		db, err := sqlite.Open(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		db.Now = now
		t.Cleanup(func() { db.Close() })
		return db
	})
}

func TestReopenKeepsData(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Create(ctx, storetest.ExampleSource()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = sqlite.Open(ctx, dir) // migrations already applied: must be a no-op
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, err := db.LastSeq(ctx); err != nil || n != 1 {
		t.Fatalf("after reopening: LastSeq %d, %v; want 1", n, err)
	}
}

// The audit log refuses UPDATE and DELETE, even straight on the database.
func TestAuditAppendOnly(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.AuditAppendOnly(t, db, func(q string) error {
		_, err := db.SQL().ExecContext(ctx, q)
		return err
	})
}

// Opening a register that is up to date does not run ANALYZE, which
// holds the write lock (at a million detentions, for longer than a
// serving register's writers wait); opening one whose schema changed
// does.
func TestOpenAnalyzesOnlyAfterMigrations(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if db.Migrated() == 0 {
		t.Fatal("a new register applied no migration")
	}
	// Rows, so that ANALYZE would have statistics to write.
	for range 20 {
		if err := db.Create(habeas.WithActor(ctx, "t"), &habeas.Person{Names: []habeas.NameVariant{{Text: "Стат Статов"}}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	var before int
	db.SQL().QueryRow(`SELECT count(*) FROM sqlite_stat1`).Scan(&before)
	if before == 0 {
		t.Fatal("ANALYZE wrote no statistics: the test would prove nothing")
	}
	if _, err := db.SQL().Exec(`DELETE FROM sqlite_stat1`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	again, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	var n int
	if err := again.SQL().QueryRow(`SELECT count(*) FROM sqlite_stat1`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if again.Migrated() != 0 || n != 0 {
		t.Errorf("reopening applied %d migrations and left %d rows of statistics: it analysed", again.Migrated(), n)
	}
}
