package postgres_test

import (
	"context"
	"testing"

	"github.com/habeas-project/habeas/postgres"
	"github.com/habeas-project/habeas/postgres/pgtest"
	"github.com/habeas-project/habeas/storetest"
)

// BenchmarkWrites measures durable change-log writes in transactions of
// 1,000 mutations.
func BenchmarkWrites(b *testing.B) {
	db, err := postgres.Open(context.Background(), pgtest.Schema(b, pgtest.DSN(b)))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	storetest.BenchmarkWrites(b, db, 1000)
}
