package alerts_test

import (
	"context"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/habeas-project/habeas/alerts"
	"github.com/habeas-project/habeas/demo"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/rules"
	"github.com/habeas-project/habeas/sqlite"
)

// demoStore is the default demo (about 11,000 detentions and 15,000
// persons, with their sources, casualties and investigations) in a real
// SQLite store, made once for the benchmarks of this package.
var demoStore = sync.OnceValues(func() (*benchDemo, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "habeas-alerts-bench")
	if err != nil {
		return nil, err
	}
	db, err := sqlite.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	sum, err := demo.Generate(ctx, db, demo.Options{})
	if err != nil {
		return nil, err
	}
	packs, err := rules.DefaultPacks()
	if err != nil {
		return nil, err
	}
	eng, err := rules.NewEngine(packs...)
	if err != nil {
		return nil, err
	}
	return &benchDemo{db: db, engine: eng, detentions: sum.Detentions}, nil
})

type benchDemo struct {
	db         *sqlstore.DB
	engine     *rules.Engine
	detentions int
}

func openDemo(b *testing.B) *benchDemo {
	b.Helper()
	d, err := demoStore()
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkWatcherMemory measures what the safeguard watcher keeps in the
// heap for the demo: the live heap after a sync, per detention. At a
// million detentions the watcher's share of memory decides how much of the
// database the page cache can hold (docs/benchmarks.md, issue 5).
func BenchmarkWatcherMemory(b *testing.B) {
	ctx := context.Background()
	d := openDemo(b)
	var w *alerts.Watcher
	var live uint64
	for b.Loop() {
		b.StopTimer()
		w = nil
		before := heapLive()
		b.StartTimer()
		w = alerts.New(d.engine, d.db)
		if err := w.Sync(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		live = heapLive() - before
		b.StartTimer()
	}
	runtime.KeepAlive(w)
	b.ReportMetric(float64(live)/float64(d.detentions), "heap-B/detention")
	b.ReportMetric(float64(live)/(1<<20), "heap-MiB")
}

// BenchmarkAlertsDemo measures one page of alerts over the demo, the first
// 50 alerts explained, from the live index, which a first read builds
// before timing (BenchmarkLiveIndex measures it at any size).
func BenchmarkAlertsDemo(b *testing.B) {
	ctx := context.Background()
	d := openDemo(b)
	w := alerts.New(d.engine, d.db)
	if err := w.Sync(ctx); err != nil {
		b.Fatal(err)
	}
	q := alerts.Query{At: time.Date(2022, 1, 8, 12, 0, 0, 0, time.UTC), Within: 6 * time.Hour, Limit: 50}
	if _, err := w.Alerts(ctx, q); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rep, err := w.Alerts(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Detentions < d.detentions/2 || len(rep.Alerts) != 50 {
			b.Fatalf("%d detentions judged, %d alerts", rep.Detentions, len(rep.Alerts))
		}
	}
}

// heapLive returns the bytes of live heap objects after a full collection.
func heapLive() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
