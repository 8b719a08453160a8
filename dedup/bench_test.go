package dedup_test

import (
	"context"
	"testing"
	"time"

	"github.com/habeas-project/habeas/dedup"
	"github.com/habeas-project/habeas/demo"
	"github.com/habeas-project/habeas/sqlite"
)

// BenchmarkQueueDemo measures the review queue over the default demo
// (10,000 detentions, about 15,000 persons) in a real SQLite store:
// reading the whole change log (sync), linking every person (link, what
// a relink costs), and one page of 20 explained pairs (page).
func BenchmarkQueueDemo(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Generate(ctx, db, demo.Options{}); err != nil {
		b.Fatal(err)
	}
	b.Run("sync", func(b *testing.B) {
		for b.Loop() {
			if err := dedup.New(db, dedup.Options{}).Sync(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("link", func(b *testing.B) {
		var st dedup.Status
		for b.Loop() {
			b.StopTimer()
			q := dedup.New(db, dedup.Options{})
			if err := q.Sync(ctx); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if err := q.Refresh(ctx); err != nil {
				b.Fatal(err)
			}
			st = q.Status()
		}
		b.ReportMetric(float64(st.Linked), "persons")
		b.ReportMetric(float64(st.Took)/float64(time.Millisecond), "link-ms")
	})
	b.Run("page", func(b *testing.B) {
		q := dedup.New(db, dedup.Options{})
		if err := q.Refresh(ctx); err != nil {
			b.Fatal(err)
		}
		total := 0
		for b.Loop() {
			if _, total, err = q.Pairs(ctx, 0, 20); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(total), "pairs")
	})
}
