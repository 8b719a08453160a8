package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/internal/vault"
	"github.com/habeas-project/habeas/ledger"
	"github.com/habeas-project/habeas/postgres"
	"github.com/habeas-project/habeas/postgres/pgtest"
	"github.com/habeas-project/habeas/sqlite"
	"github.com/habeas-project/habeas/storetest"
)

// BenchmarkLedgerAppend measures durable appends with the ledger and
// without it, side by side in one run (docs/benchmarks.md, "Ledger
// (issue 14)"): one record a transaction (each committed to disk) and a
// thousand a transaction, on each store, encrypted.
// benchStores opens, for each store, a fresh register for a benchmark:
// SQLite, and PostgreSQL when HABEAS_TEST_POSTGRES names a server.
func benchStores() map[string]func(b *testing.B) *sqlstore.DB {
	open := map[string]func(b *testing.B) *sqlstore.DB{
		"sqlite": func(b *testing.B) *sqlstore.DB {
			db, err := sqlite.Open(context.Background(), b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return db
		},
	}
	if os.Getenv("HABEAS_TEST_POSTGRES") != "" {
		open["postgres"] = func(b *testing.B) *sqlstore.DB {
			db, err := postgres.Open(context.Background(), pgtest.Schema(b, pgtest.DSN(b)))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return db
		}
	}
	return open
}

func BenchmarkLedgerAppend(b *testing.B) {
	for name, open := range benchStores() {
		for _, batch := range []int{1, 1000} {
			for _, withLedger := range []bool{false, true} {
				label := "without"
				if withLedger {
					label = "with"
				}
				b.Run(fmt.Sprintf("%s/batch=%d/%s", name, batch, label), func(b *testing.B) {
					db := open(b)
					if err := db.Unlock(context.Background(), vault.NewMaster(), fileKey); err != nil {
						b.Fatal(err)
					}
					if !withLedger {
						sqlstore.WithoutLedger(db)
					}
					storetest.BenchmarkWrites(b, db, batch)
				})
			}
		}
	}
}

// BenchmarkInclusionProof measures an inclusion proof (tlog.ProveRecord,
// checked with tlog.CheckRecord) in a tree of HABEAS_BENCH_LEAVES leaves
// (10,000,000 by default), its stored hashes in memory as a store would
// read them.
func BenchmarkInclusionProof(b *testing.B) {
	n := int64(10_000_000)
	if s := os.Getenv("HABEAS_BENCH_LEAVES"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			b.Fatal(err)
		}
		n = v
	}
	stored := make([]tlog.Hash, 0, tlog.StoredHashCount(n))
	read := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = stored[x]
		}
		return out, nil
	})
	start := time.Now()
	for i := range n {
		e := ledger.Entry{Seq: i + 1, AtUS: i, Actor: "bench", Kind: string(habeas.KindDetention), ID: "det_bench", Op: "create"}
		hs, err := tlog.StoredHashes(i, e.Leaf(), read)
		if err != nil {
			b.Fatal(err)
		}
		stored = append(stored, hs...)
	}
	b.Logf("%d leaves built in %v", n, time.Since(start))
	root, err := tlog.TreeHash(n, read)
	if err != nil {
		b.Fatal(err)
	}
	i := int64(0)
	for b.Loop() {
		leaf := (i * 7919) % n
		p, err := tlog.ProveRecord(n, leaf, read)
		if err != nil {
			b.Fatal(err)
		}
		e := ledger.Entry{Seq: leaf + 1, AtUS: leaf, Actor: "bench", Kind: string(habeas.KindDetention), ID: "det_bench", Op: "create"}
		if err := tlog.CheckRecord(p, n, root, leaf, e.Hash()); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkVerifyLedger measures the full verification of the ledger of
// the register in HABEAS_BENCH_DIR (the person search's benchmark
// register, with its key file bench.key: 1,000,000 changes), opened and
// unlocked once; it is skipped without one.
func BenchmarkVerifyLedger(b *testing.B) {
	dir := os.Getenv("HABEAS_BENCH_DIR")
	if dir == "" {
		b.Skip("HABEAS_BENCH_DIR names no register")
	}
	ctx := context.Background()
	m, err := vault.ReadKeyFile(dir + "/bench.key")
	if err != nil {
		b.Fatal(err)
	}
	db, err := sqlite.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Unlock(ctx, m, sqlstore.KeyMode{Mode: "file"}); err != nil {
		b.Fatal(err)
	}
	public, err := db.LedgerPublic(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rep, err := db.VerifyLedger(ctx, public)
		if err != nil || rep.Problem != nil {
			b.Fatal(rep.Problem, err)
		}
		b.ReportMetric(float64(rep.Changes), "changes")
	}
}
