package sqlite_test

import (
	"context"
	"testing"
	"time"

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
