package linkage_test

import (
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/habeas-project/habeas/linkage"
)

var ageRef = time.Date(2022, 1, 15, 0, 0, 0, 0, time.UTC)

// BenchmarkScorePairs measures scoring candidate pairs on one core: the
// pairs blocking yields on 20,000 synthetic persons (about 37,000
// records), already parsed, scored over and over in block order
// (target ≥ 5,000,000 pairs/s).
func BenchmarkScorePairs(b *testing.B) {
	s := generate(20000, 11)
	res, err := linkage.Link(s.recs, linkage.Options{AgeReference: ageRef})
	if err != nil {
		b.Fatal(err)
	}
	var pairs [][2]int32
	res.ForEachCandidate(func(i, j int) bool {
		pairs = append(pairs, [2]int32{int32(i), int32(j)})
		return len(pairs) < 1_000_000
	})
	sc := linkage.NewScorer(res.Model, s.recs)
	b.ResetTimer()
	n := 0
	sum := 0.0
	start := time.Now()
	for b.Loop() {
		p := pairs[n%len(pairs)]
		sum += sc.Weight(int(p[0]), int(p[1]))
		n++
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "pairs/s")
	_ = sum
}

// million generates about 1,000,000 synthetic records (540,000 persons,
// each reported one to four times), once per run.
var (
	millionOnce sync.Once
	millionSet  synth
)

func million(b *testing.B) synth {
	b.Helper()
	millionOnce.Do(func() { millionSet = generate(540_000, 1_000_000) })
	return millionSet
}

// BenchmarkLink1M links about 1,000,000 synthetic records end to end
// (target < 60 s and < 4 GB). It reports the seconds per run, the memory
// the Go runtime held from the system (Sys, HeapSys, MB) and, from the
// generator's truth, pairwise precision, recall and the pair completeness
// of blocking.
func BenchmarkLink1M(b *testing.B) {
	s := million(b)
	runtime.GC()
	var res *linkage.Result
	var took time.Duration
	for b.Loop() {
		start := time.Now()
		var err error
		res, err = linkage.Link(s.recs, linkage.Options{AgeReference: ageRef})
		if err != nil {
			b.Fatal(err)
		}
		took = time.Since(start)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.StopTimer()
	ps := evaluate(s, res.Clusters, res.Candidate)
	b.ReportMetric(took.Seconds(), "s/link")
	b.ReportMetric(float64(len(s.recs)), "records")
	b.ReportMetric(float64(res.Stats.CandidatePairs), "pairs")
	b.ReportMetric(float64(ms.Sys)/(1<<20), "MB-sys")
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "MB-heapsys")
	b.ReportMetric(ps.precision, "precision")
	b.ReportMetric(ps.recall, "recall")
	b.ReportMetric(ps.completeness, "completeness")
	b.Logf("%v; %v; stages %v", res.Stats, ps, res.Stats.Durations)
}

// BenchmarkMatch1M indexes about 1,000,000 synthetic records (the
// register, duplicates and all) and queries it, one query at a time, with
// 20,000 held-out reports of persons the index also holds; it reports the
// median and 95th percentile time per query (target p50 < 2 ms) and how
// often a report of the same person comes first.
func BenchmarkMatch1M(b *testing.B) {
	s := million(b)
	reports := map[string]int{}
	for _, p := range s.truth {
		reports[p]++
	}
	var index, queries []linkage.Record
	indexTruth := map[string]string{}
	var want []string
	held := map[string]bool{}
	for i, r := range s.recs {
		p := s.truth[i]
		if len(queries) < 20000 && reports[p] >= 2 && !held[p] {
			held[p] = true
			queries = append(queries, r)
			want = append(want, p)
			continue
		}
		index = append(index, r)
		indexTruth[r.ID] = p
	}
	start := time.Now()
	ix := linkage.NewIndex(index, linkage.Options{AgeReference: ageRef})
	build := time.Since(start)
	var took []time.Duration
	top1 := 0
	n := 0
	for b.Loop() {
		k := n % len(queries)
		t0 := time.Now()
		ms := ix.Match(queries[k], 10)
		took = append(took, time.Since(t0))
		if len(ms) > 0 && indexTruth[ms[0].RecordID] == want[k] {
			top1++
		}
		n++
	}
	slices.Sort(took)
	q := func(p float64) float64 { return float64(took[int(p*float64(len(took)-1))].Nanoseconds()) / 1e6 }
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.95), "p95-ms")
	b.ReportMetric(float64(top1)/float64(n), "top1")
	b.ReportMetric(float64(ix.Len()), "indexed")
	b.ReportMetric(build.Seconds(), "s/index")
}
