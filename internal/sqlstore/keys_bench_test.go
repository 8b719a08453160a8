package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/demo"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/internal/vault"
	"github.com/habeas-project/habeas/sqlite"
)

// BenchmarkEncryptionCost measures what encryption at rest costs a write
// and a read, side by side in one run (docs/benchmarks.md, "Encryption at
// rest (issue 13)"): the same demo register on SQLite, not encrypted and
// encrypted; a write is one update of a detention (its change, its record
// and its indexes), a read is a detention, its person and its
// assignments, as the case page reads them.
func BenchmarkEncryptionCost(b *testing.B) {
	for _, encrypted := range []bool{false, true} {
		name := "plain"
		if encrypted {
			name = "encrypted"
		}
		b.Run(name, func(b *testing.B) {
			ctx := habeas.WithActor(context.Background(), "bench")
			db, err := sqlite.Open(ctx, b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if encrypted {
				if err := db.Unlock(ctx, vault.NewMaster(), sqlstore.KeyMode{Mode: "file"}); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := demo.Generate(ctx, db, demo.Options{Scale: 500, Seed: 7}); err != nil {
				b.Fatal(err)
			}
			ds, _, err := db.FindDetentions(ctx, habeas.DetentionFilter{Page: habeas.Page{Limit: 100}})
			if err != nil {
				b.Fatal(err)
			}
			b.Run("write", func(b *testing.B) {
				i := 0
				for b.Loop() {
					d := ds[i%len(ds)]
					d.Notes = "note " + strconv.Itoa(i)
					if err := db.Update(ctx, d); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
			b.Run("read", func(b *testing.B) {
				i := 0
				for b.Loop() {
					d, err := db.FindDetentionByID(ctx, ds[i%len(ds)].ID)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := db.FindPersonByID(ctx, d.PersonID); err != nil {
						b.Fatal(err)
					}
					if _, err := db.FindReferring(ctx, habeas.KindAssignment, d.ID); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		})
	}
}

// BenchmarkPersonSearch measures the person search and its index: built
// in memory at the first search after the register is opened, then read
// (docs/benchmarks.md). HABEAS_BENCH_PERSONS sets how many persons the
// register holds (10,000 by default; the figures for 1,000,000 were taken
// with it set); the register is built once, encrypted, in a directory
// that HABEAS_BENCH_DIR may name to keep it between runs.
func BenchmarkPersonSearch(b *testing.B) {
	n := 10_000
	if s := os.Getenv("HABEAS_BENCH_PERSONS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	dir := os.Getenv("HABEAS_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	ctx := habeas.WithActor(context.Background(), "bench")
	m := vault.NewMaster()
	keyFile := dir + "/bench.key"
	if got, err := vault.ReadKeyFile(keyFile); err == nil {
		m = got
	} else if err := m.WriteKeyFile(keyFile); err != nil {
		b.Fatal(err)
	}
	db, err := sqlite.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	if err := db.Unlock(ctx, m, sqlstore.KeyMode{Mode: "file"}); err != nil {
		b.Fatal(err)
	}
	var have int
	db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM person_index`).Scan(&have)
	for have < n {
		batch := min(1000, n-have)
		muts := make([]habeas.Mutation, batch)
		for i := range muts {
			muts[i] = habeas.Mutation{Op: habeas.OpCreate, Entity: benchPerson(have + i)}
		}
		if _, err := db.Apply(ctx, muts); err != nil {
			b.Fatal(err)
		}
		have += batch
	}
	db.Close()

	// Opening, unlocking and the first search, which builds the index.
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	db, err = sqlite.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Unlock(ctx, m, sqlstore.KeyMode{Mode: "file"}); err != nil {
		b.Fatal(err)
	}
	unlocked := time.Since(start)
	name := "Кенжебаев"
	if _, _, err := db.FindPersons(ctx, habeas.PersonFilter{Name: &name}); err != nil {
		b.Fatal(err)
	}
	built := time.Since(start) - unlocked
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(unlocked.Milliseconds()), "ms-unlock")
	b.ReportMetric(built.Seconds(), "s-index-build")
	b.ReportMetric(float64(after.HeapInuse-min(after.HeapInuse, before.HeapInuse))/float64(n), "B-index/person")
	b.Logf("%d persons: unlock %v, index built in %v, heap in use %d MiB", n, unlocked, built, after.HeapInuse>>20)

	for _, q := range []string{"Кенжебаев", "kenzh", "Айгүл Кенж"} {
		b.Run(fmt.Sprintf("name=%s", q), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := db.FindPersons(ctx, habeas.PersonFilter{Name: &q, Page: habeas.Page{Limit: 10}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	iin := string(benchPerson(n / 2).IIN)
	b.Run("iin", func(b *testing.B) {
		for b.Loop() {
			if ps, _, err := db.FindPersons(ctx, habeas.PersonFilter{IIN: &iin}); err != nil || len(ps) != 1 {
				b.Fatal(len(ps), err)
			}
		}
	})
}

// benchPerson is the i-th person of the search benchmark's register: one
// of 40 given names and 50 surnames, an IIN of its own.
func benchPerson(i int) *habeas.Person {
	given := []string{"Айгүл", "Ерлан", "Нурлан", "Асель", "Данияр", "Гульнара", "Бауыржан", "Жанар", "Серик", "Айдос"}
	surnames := []string{"Кенжебаев", "Сатпаев", "Нурланов", "Ахметов", "Жумабаев", "Исаев", "Омаров", "Сулейменов", "Токтаров", "Абдрахманов"}
	g := given[i%len(given)]
	s := surnames[(i/len(given))%len(surnames)]
	if i%2 == 1 {
		s += "а"
	}
	birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%14600) // with the serial below, an IIN each
	sex := habeas.SexMale
	if i%2 == 1 {
		sex = habeas.SexFemale
	}
	iin, ok := habeas.MakeIIN(birth, sex, 1000+i/14600)
	if !ok { // no check digit for this serial: one of another thousand
		iin, _ = habeas.MakeIIN(birth, sex, 5000+i/14600)
	}
	return &habeas.Person{Names: []habeas.NameVariant{{Text: s + " " + g}}, IIN: iin, Sex: sex,
		Birth: habeas.BirthDate{Precision: habeas.PrecisionDay, Date: birth.Format("2006-01-02")}}
}
