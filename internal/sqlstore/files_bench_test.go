package sqlstore_test

import (
	"context"
	"io"
	"math/rand/v2"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/vault"
)

// noise is size bytes of pseudo-random content, made as it is read: a
// video that is never in memory.
type noise struct {
	r    *rand.ChaCha8
	left int64
}

func (n *noise) Read(p []byte) (int, error) {
	if n.left == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > n.left {
		p = p[:n.left]
	}
	n.r.Read(p)
	n.left -= int64(len(p))
	return len(p), nil
}

// peakHeap samples the Go heap every few milliseconds until stopped, and
// returns the most it saw.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(finished)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); <-finished; return peak.Load() }
}

// peakRSS returns the process's peak resident memory (VmHWM), after
// resetting it when reset is set (Linux: /proc/self/clear_refs).
func peakRSS(reset bool) int64 {
	if reset {
		os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	}
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkVaultFile streams a file into the vault (encrypted, hashed,
// attached to a record) and reads it back, on each store, and reports
// the peak Go heap and the peak resident memory of the process during
// the run (docs/benchmarks.md, "Evidence vault"). The file is 64 MiB,
// or HABEAS_BENCH_FILE_MB mebibytes (1024 for the 1 GB goal).
func BenchmarkVaultFile(b *testing.B) {
	mb := int64(64)
	if s := os.Getenv("HABEAS_BENCH_FILE_MB"); s != "" {
		mb, _ = strconv.ParseInt(s, 10, 64)
	}
	size := mb << 20
	for name, open := range benchStores() {
		b.Run(name+"/"+strconv.FormatInt(mb, 10)+"MiB", func(b *testing.B) {
			db := open(b)
			if err := db.Unlock(context.Background(), vault.NewMaster(), fileKey); err != nil {
				b.Fatal(err)
			}
			ctx := habeas.WithActor(context.Background(), "bench")
			p := &habeas.Person{ID: habeas.NewID(habeas.KindPerson), Names: []habeas.NameVariant{{Text: "Бенч Человек"}}}
			if _, err := db.Apply(ctx, []habeas.Mutation{{Op: habeas.OpCreate, Entity: p}}); err != nil {
				b.Fatal(err)
			}
			var heapIn, heapOut uint64
			var rssIn, rssOut int64
			b.SetBytes(size)
			b.ResetTimer()
			for i := range b.N {
				peakRSS(true)
				stop := peakHeap()
				e := keepFile(b, db, p.ID, &noise{r: rand.NewChaCha8([32]byte{byte(i)}), left: size}, "video/mp4")
				heapIn, rssIn = max(heapIn, stop()), max(rssIn, peakRSS(false))
				peakRSS(true)
				stop = peakHeap()
				rc, err := db.OpenFile(ctx, e)
				if err != nil {
					b.Fatal(err)
				}
				if n, err := io.Copy(io.Discard, rc); err != nil || n != size {
					b.Fatalf("read back %d bytes: %v", n, err)
				}
				heapOut, rssOut = max(heapOut, stop()), max(rssOut, peakRSS(false))
			}
			b.ReportMetric(float64(heapIn)/(1<<20), "MiB-heap-in")
			b.ReportMetric(float64(rssIn)/(1<<20), "MiB-rss-in")
			b.ReportMetric(float64(heapOut)/(1<<20), "MiB-heap-out")
			b.ReportMetric(float64(rssOut)/(1<<20), "MiB-rss-out")
		})
	}
}
