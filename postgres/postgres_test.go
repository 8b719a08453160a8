package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/habeas-project/habeas/postgres"
	"github.com/habeas-project/habeas/storetest"
)

func TestConformance(t *testing.T) {
	dsn := postgres.TestDSN(t)
	storetest.Run(t, func(t *testing.T, now func() time.Time) storetest.Store {
		db, err := postgres.Open(context.Background(), postgres.TestSchema(t, dsn))
		if err != nil {
			t.Fatal(err)
		}
		db.Now = now
		t.Cleanup(func() { db.Close() })
		return db
	})
}
