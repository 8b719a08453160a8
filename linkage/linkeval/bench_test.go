package linkeval

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/habeas-project/habeas/linkage"
	"github.com/habeas-project/habeas/names"
)

// benchSeed generates the matching benchmark's data; like EvalSeed it was
// used for nothing else.
const benchSeed = 20220106

// trgmThreshold is the pg_trgm similarity limit (set_limit) for the %
// operator: PostgreSQL's default, 0.3.
const trgmThreshold = 0.3

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// matchBench is the matching benchmark's data: one report of every person
// indexed, and for some persons another report in the other script as a
// query whose right answer is the indexed one.
type matchBench struct {
	index   []Row
	queries []Row
	answer  []string // the indexed record id each query should find
	recs    []linkage.Record
	qrecs   []linkage.Record
}

var (
	benchMu    sync.Mutex
	benchCache = map[[2]int]*matchBench{}
)

func loadMatchBench(b *testing.B, n, nq int) *matchBench {
	benchMu.Lock()
	defer benchMu.Unlock()
	if m, ok := benchCache[[2]int{n, nq}]; ok {
		return m
	}
	start := time.Now()
	g, rows, truth := generate(GenOptions{Persons: n, Seed: benchSeed, MinReports: 2})
	byEntity := map[string][]int{}
	var order []string
	for i, r := range rows {
		e := truth[r.RecordID]
		if _, ok := byEntity[e]; !ok {
			order = append(order, e)
		}
		byEntity[e] = append(byEntity[e], i)
	}
	m := &matchBench{}
	type cand struct{ idx, q int }
	var cross []cand
	for _, e := range order {
		rs := byEntity[e]
		first := rs[0]
		m.index = append(m.index, rows[first])
		for _, j := range rs[1:] {
			if isCyrillic(rows[j].FullName) != isCyrillic(rows[first].FullName) {
				cross = append(cross, cand{first, j})
				break
			}
		}
	}
	r := rand.New(rand.NewPCG(benchSeed, 2))
	r.Shuffle(len(cross), func(i, j int) { cross[i], cross[j] = cross[j], cross[i] })
	for _, c := range cross[:min(nq, len(cross))] {
		q := rows[c.q]
		q.RecordID = "q-" + q.RecordID
		m.queries = append(m.queries, q)
		m.answer = append(m.answer, rows[c.idx].RecordID)
	}
	var err error
	if m.recs, _, _, err = Records(m.index, AgeReference); err != nil {
		b.Fatal(err)
	}
	if m.qrecs, _, _, err = Records(m.queries, AgeReference); err != nil {
		b.Fatal(err)
	}
	if len(m.qrecs) != len(m.queries) {
		b.Fatalf("%d of %d queries were refused", len(m.queries)-len(m.qrecs), len(m.queries))
	}
	// How ambiguous the queries are: persons who share the query person's
	// given name and surname, and queries with neither birth date nor age.
	byName := map[[2]string]int{}
	person := map[string]*person{}
	for _, p := range g.persons {
		byName[[2]string{p.name.given, p.name.surname}]++
		person[p.id] = p
	}
	crowded, bare := 0, 0
	for j, q := range m.queries {
		p := person[truth[m.answer[j]]]
		if byName[[2]string{p.name.given, p.name.surname}] > 10 {
			crowded++
		}
		if q.BirthDate == "" && q.Age == "" {
			bare++
		}
	}
	b.Logf("generated %d persons (%d rows) in %v: %d indexed, %d cross-script queries; "+
		"%d queries are of a person whose given name and surname more than 10 indexed persons have, %d give neither birth date nor age",
		n, len(rows), time.Since(start).Round(time.Millisecond), len(m.recs), len(m.qrecs), crowded, bare)
	benchCache[[2]int{n, nq}] = m
	return m
}

// matchStats gathers recall@k and latencies over the timed queries.
type matchStats struct {
	hits, total int
	// hits and total of the queries that give a birth date or an age.
	datedHits, dated int
	lat              []time.Duration
}

func (s *matchStats) add(ids []string, want string, d time.Duration, dated bool) {
	s.total++
	hit := slices.Contains(ids, want)
	if hit {
		s.hits++
	}
	if dated {
		s.dated++
		if hit {
			s.datedHits++
		}
	}
	s.lat = append(s.lat, d)
}

func (s *matchStats) report(b *testing.B, what string) {
	slices.Sort(s.lat)
	pct := func(p float64) time.Duration { return s.lat[min(len(s.lat)-1, int(p*float64(len(s.lat))))] }
	recall := float64(s.hits) / float64(s.total)
	b.ReportMetric(recall, "recall@10")
	b.ReportMetric(float64(pct(0.5).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(pct(0.95).Microseconds())/1000, "p95-ms")
	b.Logf("%s: recall@10 %.4f over %d queries (%.4f over the %d that give a birth date or an age), p50 %v, p95 %v",
		what, recall, s.total, float64(s.datedHits)/float64(max(1, s.dated)), s.dated, pct(0.5), pct(0.95))
}

// BenchmarkMatchVsTrgm compares linkage.Index with PostgreSQL's pg_trgm on
// the same cross-script queries: N invented persons (HABEAS_BENCH_TRGM_N,
// default 100,000) are indexed by one report each; each query
// (HABEAS_BENCH_TRGM_QUERIES, default 1,000) is another report of an
// indexed person in the other script (a Latin lawyer's or press report for
// a Cyrillic official list entry, or the reverse). One op runs every query
// once; recall@10 and the p50/p95 latency of one query are reported.
//
// pg_trgm runs with HABEAS_TEST_POSTGRES set, in a fresh schema, with a GIN
// trigram index, as
//
//	SELECT record_id FROM names WHERE full_name % $1
//	ORDER BY similarity(full_name, $1) DESC LIMIT 10
//
// after set_limit(0.3); once on the names as written (pg_trgm) and once on
// names transliterated to Latin (ICAO) on both sides (pg_trgm-translit).
func BenchmarkMatchVsTrgm(b *testing.B) {
	n := envInt("HABEAS_BENCH_TRGM_N", 100_000)
	nq := envInt("HABEAS_BENCH_TRGM_QUERIES", 1000)
	m := loadMatchBench(b, n, nq)

	b.Run("linkage", func(b *testing.B) {
		idx := linkageIndex(b, m)
		var s matchStats
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			for j, q := range m.qrecs {
				t0 := time.Now()
				ms := idx.Match(q, 10)
				d := time.Since(t0)
				ids := make([]string, len(ms))
				for k, x := range ms {
					ids[k] = x.RecordID
				}
				s.add(ids, m.answer[j], d, m.queries[j].BirthDate != "" || m.queries[j].Age != "")
			}
		}
		b.StopTimer()
		s.report(b, "linkage.Index")
	})

	// The table is loaded once, by the parent benchmark, whose cleanup
	// drops it after both runs.
	conn := trgmTable(b, m)
	for _, translit := range []bool{false, true} {
		name := "pg_trgm"
		if translit {
			name = "pg_trgm-translit"
		}
		b.Run(name, func(b *testing.B) {
			if conn == nil {
				b.Skip("HABEAS_TEST_POSTGRES is not set; skipping the pg_trgm comparison (set it to postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
			}
			col := "full_name"
			if translit {
				col = "latin"
			}
			ctx := context.Background()
			sql := `SELECT record_id FROM names WHERE ` + col + ` % $1 ORDER BY similarity(` + col + `, $1) DESC, record_id LIMIT 10`
			var s matchStats
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for j, q := range m.queries {
					arg := q.FullName
					if translit {
						arg = latin(arg)
					}
					t0 := time.Now()
					rows, err := conn.Query(ctx, sql, arg)
					if err != nil {
						b.Fatal(err)
					}
					ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
					if err != nil {
						b.Fatal(err)
					}
					s.add(ids, m.answer[j], time.Since(t0), q.BirthDate != "" || q.Age != "")
				}
			}
			b.StopTimer()
			s.report(b, name)
		})
	}
}

var (
	indexMu    sync.Mutex
	indexCache = map[*matchBench]*linkage.Index{}
)

func linkageIndex(b *testing.B, m *matchBench) *linkage.Index {
	indexMu.Lock()
	defer indexMu.Unlock()
	if x, ok := indexCache[m]; ok {
		return x
	}
	t0 := time.Now()
	x := linkage.NewIndex(m.recs, linkage.Options{AgeReference: AgeReference})
	b.Logf("linkage.NewIndex: %d records in %v", x.Len(), time.Since(t0).Round(time.Millisecond))
	indexCache[m] = x
	return x
}

// latin is the Latin form both sides get in the pg_trgm-translit run.
func latin(s string) string {
	t, err := names.Transliterate(s, "icao")
	if err != nil {
		panic(err)
	}
	return t
}

// trgmTable loads the indexed reports into a table with GIN trigram
// indexes in a fresh schema, dropped when b ends. It returns nil without
// HABEAS_TEST_POSTGRES (a failure under CI=true).
func trgmTable(b *testing.B, m *matchBench) *pgx.Conn {
	dsn := os.Getenv("HABEAS_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			b.Fatal("HABEAS_TEST_POSTGRES is not set and CI=true: the pg_trgm comparison must run")
		}
		return nil
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatalf("connect (is PostgreSQL up?): %v", err)
	}
	var rnd [6]byte
	crand.Read(rnd[:])
	schema := "linkeval_" + hex.EncodeToString(rnd[:]) // hex digits only, never input
	exec := func(sql string, args ...any) {
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			b.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`CREATE SCHEMA ` + schema)
	b.Cleanup(func() {
		conn.Exec(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
		conn.Close(context.Background())
	})
	exec(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA ` + schema)
	var ext string
	if err := conn.QueryRow(ctx, `SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'`).Scan(&ext); err != nil {
		b.Fatal(err)
	}
	exec(`SELECT set_config('search_path', $1, false)`, pgx.Identifier{schema}.Sanitize()+", "+pgx.Identifier{ext}.Sanitize())
	exec(`CREATE TABLE names (record_id text PRIMARY KEY, full_name text NOT NULL, latin text NOT NULL)`)
	t0 := time.Now()
	src := make([][]any, len(m.index))
	for i, r := range m.index {
		src[i] = []any{r.RecordID, r.FullName, latin(r.FullName)}
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"names"}, []string{"record_id", "full_name", "latin"}, pgx.CopyFromRows(src)); err != nil {
		b.Fatal(err)
	}
	loaded := time.Since(t0)
	t0 = time.Now()
	exec(`CREATE INDEX names_full_name_trgm ON names USING gin (full_name gin_trgm_ops)`)
	exec(`CREATE INDEX names_latin_trgm ON names USING gin (latin gin_trgm_ops)`)
	exec(`ANALYZE names`)
	var limit float64
	if err := conn.QueryRow(ctx, `SELECT set_limit($1)`, float32(trgmThreshold)).Scan(&limit); err != nil {
		b.Fatal(err)
	}
	b.Logf("pg_trgm: %d rows copied in %v, two GIN indexes built in %v, set_limit %.2f (schema %s)",
		len(m.index), loaded.Round(time.Millisecond), time.Since(t0).Round(time.Millisecond), limit, schema)
	return conn
}
