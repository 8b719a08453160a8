package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web/webtest"
)

// BenchmarkDetentionList measures the filtered detention list, through the
// whole server (headers, session, authorization, handler, store), over a
// store holding HABEAS_BENCH_DETENTIONS detentions (default 10000), each of
// a different person, written through Apply in batches. It reports the
// 95th percentile of the server time per request as p95-ms.
func BenchmarkDetentionList(b *testing.B) {
	n := 10000
	if s := os.Getenv("HABEAS_BENCH_DETENTIONS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			b.Fatalf("HABEAS_BENCH_DETENTIONS=%q is not a positive number", s)
		}
	}
	env := webtest.New(b)
	start := time.Now()
	seed(b, env, n)
	if err := env.Store.Analyze(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d detentions in %v", n, time.Since(start).Round(time.Millisecond))
	viewer := env.As(b, habeas.RoleViewer)

	filters := []string{
		"city=almaty&procedure=criminal",
		"status=in_custody&from=2022-01-05&to=2022-01-07",
		"city=aktau&from=2022-01-06",
		"procedure=administrative&offset=200",
		"city=shymkent&status=released&limit=100",
	}
	for _, target := range []struct{ name, path string }{{"api", "/api/v1/detentions?"}, {"page", "/detentions?"}} {
		b.Run(fmt.Sprintf("%s/N=%d", target.name, n), func(b *testing.B) {
			var durations []time.Duration
			i := 0
			for b.Loop() {
				req := viewer.Request(http.MethodGet, target.path+filters[i%len(filters)], "")
				rec := httptest.NewRecorder()
				t0 := time.Now()
				env.Server.ServeHTTP(rec, req)
				durations = append(durations, time.Since(t0))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: status %d", req.URL, rec.Code)
				}
				i++
			}
			slices.Sort(durations)
			b.ReportMetric(ms(percentile(durations, 50)), "p50-ms")
			b.ReportMetric(ms(percentile(durations, 95)), "p95-ms")
		})
	}
}

// percentile returns the p-th percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (len(sorted)*p + 99) / 100
	return sorted[max(rank, 1)-1]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// seed writes n persons and n detentions spread over the cities, the two
// procedures and the first three weeks of January 2022, through Apply in
// batches of 1000 mutations, as an import would.
func seed(b *testing.B, env *webtest.Env, n int) {
	b.Helper()
	sources := make([]*habeas.Source, 10)
	ents := make([]habeas.Entity, 0, 1000)
	for i := range sources {
		sources[i] = webtest.Source(fmt.Sprintf("Source %d", i), habeas.SourceHotlineCall, "C", 3)
		ents = append(ents, sources[i])
	}
	jan2 := time.Date(2022, 1, 2, 0, 0, 0, 0, time.UTC)
	for i := range n {
		src := sources[i%len(sources)]
		p := webtest.Person(fmt.Sprintf("Person %06d", i), src)
		proc := habeas.ProcedureAdministrative
		if i%3 == 0 {
			proc = habeas.ProcedureCriminal
		}
		arrested := jan2.Add(time.Duration(i*17%(18*24*60)) * time.Minute) // every 17 minutes, wrapping after 18 days
		d := webtest.Detention(p, habeas.Cities[i%len(habeas.Cities)].Key, proc, arrested, src)
		d.Events = append(d.Events, habeas.Event{Type: habeas.EventProtocol, At: arrested.Add(5 * time.Hour), Body: "police", Sources: []string{src.ID}})
		if i%4 == 0 {
			d.Events = append(d.Events, habeas.Event{Type: habeas.EventRelease, At: arrested.Add(72 * time.Hour), Sources: []string{src.ID}})
		}
		ents = append(ents, p, d)
		if len(ents) >= 1000 {
			env.Create(b, ents...)
			ents = ents[:0]
		}
	}
	if len(ents) > 0 {
		env.Create(b, ents...)
	}
}
