package alerts_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/habeas-project/habeas/alerts"
	"github.com/habeas-project/habeas/demo"
	"github.com/habeas-project/habeas/rules"
	"github.com/habeas-project/habeas/sqlite"
)

// BenchmarkWatcherMemory measures what the safeguard watcher keeps in the
// heap for the default demo (about 11,000 detentions and 15,000 persons,
// with their sources, casualties and investigations), read from a real
// SQLite store: the live heap after a sync, per detention. At a million
// detentions the watcher's share of memory decides how much of the
// database the page cache can hold (docs/benchmarks.md, issue 5).
func BenchmarkWatcherMemory(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	sum, err := demo.Generate(ctx, db, demo.Options{})
	if err != nil {
		b.Fatal(err)
	}
	packs, err := rules.DefaultPacks()
	if err != nil {
		b.Fatal(err)
	}
	eng, err := rules.NewEngine(packs...)
	if err != nil {
		b.Fatal(err)
	}
	var w *alerts.Watcher
	var live uint64
	for b.Loop() {
		b.StopTimer()
		w = nil
		before := heapLive()
		b.StartTimer()
		w = alerts.New(eng, db)
		if err := w.Sync(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		live = heapLive() - before
		b.StartTimer()
	}
	runtime.KeepAlive(w)
	b.ReportMetric(float64(live)/float64(sum.Detentions), "heap-B/detention")
	b.ReportMetric(float64(live)/(1<<20), "heap-MiB")
}

// heapLive returns the bytes of live heap objects after a full collection.
func heapLive() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
