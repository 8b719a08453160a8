package alerts

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/habeas-project/habeas/demo"
	"github.com/habeas-project/habeas/rules"
)

// BenchmarkLiveIndex measures the live index at scale: the default demo
// (about 11,000 detentions) written to SQLite and read by a watcher, its
// detentions then copied under new identifiers until the watcher holds
// HABEAS_BENCH_DETENTIONS of them (default 1,000,000). The copies share
// their persons and sources; investigations of allegations are not
// copied, so copied allegations stand uninvestigated. By default every
// copy happens at once, the demo's protests ninety times over: the worst
// case for what falls due soon. With HABEAS_BENCH_WAVES=1 each copy comes
// a week after the one before, as a register fills over the years, and
// the moment judged is the present of the last. It reports, at the
// demo's present (8 January 2022, 12:00 in Almaty):
//
//   - build: the first read, which judges every case (once per process);
//   - page: one page of 15 detainees with their alerts, as /alerts asks;
//   - page-city: the same for one city;
//   - flat: one page of 50 alerts by rule;
//   - counts: the counts per rule;
//   - rejudge: a changed detention judged again and put back in place;
//   - index-B/detention: the heap the index adds, per detention.
func BenchmarkLiveIndex(b *testing.B) {
	n := 1_000_000
	if s := os.Getenv("HABEAS_BENCH_DETENTIONS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			b.Fatalf("HABEAS_BENCH_DETENTIONS=%q is not a positive number", s)
		}
	}
	ctx := context.Background()
	w, _ := demoWatcher(b, demo.Options{})
	if err := w.Sync(ctx); err != nil {
		b.Fatal(err)
	}
	var ids []string
	for id := range w.detentions {
		ids = append(ids, id)
	}
	waves := os.Getenv("HABEAS_BENCH_WAVES") == "1"
	at := time.Date(2022, 1, 8, 6, 0, 0, 0, time.UTC)
	week := int64(7 * 24 * time.Hour / time.Second)
	for i := 0; len(w.detentions) < n; i++ {
		cd := *w.detentions[ids[i%len(ids)]]
		k := i/len(ids) + 1
		cd.id = fmt.Sprintf("%s-%d", cd.id, k)
		if waves {
			cd.events = slices.Clone(cd.events)
			for j := range cd.events {
				if cd.events[j].flags&eventZeroTime == 0 {
					cd.events[j].sec += int64(k) * week
				}
			}
			at = time.Date(2022, 1, 8, 6, 0, 0, 0, time.UTC).Add(time.Duration(k) * 7 * 24 * time.Hour)
		}
		w.detentions[cd.id] = &cd
	}
	before := heapLive()
	start := time.Now()
	if _, err := w.Counts(ctx, at); err != nil {
		b.Fatal(err)
	}
	build := time.Since(start)
	index := heapLive() - before
	b.Logf("%d detentions: index built in %v, %d MiB, %.0f B/detention; %d open results, %d groups, %d cases", len(w.detentions), build.Round(time.Millisecond), index>>20, float64(index)/float64(len(w.detentions)), w.live.open.Len(), w.live.groups.Len(), len(w.live.cases))
	q := Query{At: at, Within: 24 * time.Hour, Limit: 15}
	for _, bm := range []struct {
		name string
		fn   func() error
	}{
		{"page", func() error { _, err := w.Groups(ctx, q); return err }},
		{"page-city", func() error { q := q; q.City = "aktau"; _, err := w.Groups(ctx, q); return err }},
		{"flat", func() error { q := q; q.Limit = 50; _, err := w.Alerts(ctx, q); return err }},
		{"counts", func() error { _, err := w.Counts(ctx, at); return err }},
		{"rejudge", func() error {
			w.mu.RLock()
			defer w.mu.RUnlock()
			w.live.mu.Lock()
			defer w.live.mu.Unlock()
			var s scratch
			var buf []rules.Result
			w.rejudge(ids[0], at, &s, &buf)
			return nil
		}},
	} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				if err := bm.fn(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(index)/float64(len(w.detentions)), "index-B/detention")
			b.ReportMetric(build.Seconds(), "build-s")
		})
	}
	runtime.KeepAlive(w)
}

// heapLive returns the bytes of live heap objects after a full collection.
func heapLive() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
