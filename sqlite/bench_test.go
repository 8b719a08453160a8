package sqlite_test

import (
	"context"
	"testing"

	"github.com/habeas-project/habeas/sqlite"
	"github.com/habeas-project/habeas/storetest"
)

// BenchmarkWrites measures durable change-log writes (WAL, synchronous=FULL)
// in transactions of 1,000 mutations.
func BenchmarkWrites(b *testing.B) {
	db, err := sqlite.Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	storetest.BenchmarkWrites(b, db, 1000)
}
