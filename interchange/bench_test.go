package interchange_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/interchange"
	"github.com/habeas-project/habeas/internal/sqlstore"
)

// buildLarge writes 10,000 changes: 100 sources and 100 lawyers, then 2,450
// times a person, their detention, a lawyer's assignment and an update of
// the detention adding a court appearance. All names are synthetic.
func buildLarge(tb testing.TB, db *sqlstore.DB) {
	tb.Helper()
	ctx := as("operator.bench")
	first := []string{"Ерлан", "Айгерім", "Нұрлан", "Дана", "Бауыржан", "Жанар", "Марат", "Әсел"}
	last := []string{"Тестов", "Мысалова", "Сынақов", "Үлгіова", "Синтетиков", "Нөмірова"}
	cities := []string{"almaty", "astana", "shymkent", "zhanaozen", "aktau", "taraz", "aktobe"}
	var muts []habeas.Mutation
	apply := func() {
		_, err := db.Apply(ctx, muts)
		must(tb, err)
		muts = muts[:0]
	}
	sources, lawyers := make([]string, 100), make([]string, 100)
	for i := range sources {
		s := &habeas.Source{ID: habeas.NewID(habeas.KindSource), Kind: habeas.SourceHotlineCall, Title: fmt.Sprintf("Звонок №%d", i),
			Reliability: "B", Credibility: 2, ReceivedAt: at(5, 12, i%60)}
		l := &habeas.Lawyer{ID: habeas.NewID(habeas.KindLawyer), Name: fmt.Sprintf("%s %s", first[i%8], last[i%6]), City: cities[i%7], Active: true}
		sources[i], lawyers[i] = s.ID, l.ID
		muts = append(muts, habeas.Mutation{Op: habeas.OpCreate, Entity: s}, habeas.Mutation{Op: habeas.OpCreate, Entity: l})
	}
	apply()
	var dets []*habeas.Detention
	for i := 0; i < 2450; i++ {
		src := sources[i%100]
		p := &habeas.Person{ID: habeas.NewID(habeas.KindPerson), Names: []habeas.NameVariant{
			{Text: fmt.Sprintf("%s %s %d", first[i%8], last[(i/8)%6], i), SourceID: src}}, Sources: []string{src}}
		arrest := at(5, 0, 0).Add(time.Duration(i) * 7 * time.Minute)
		d := &habeas.Detention{ID: habeas.NewID(habeas.KindDetention), PersonID: p.ID, City: cities[i%7], Procedure: habeas.ProcedureAdministrative,
			Events: []habeas.Event{
				{Type: habeas.EventArrest, At: arrest, Place: "центральная площадь", Sources: []string{src}},
				{Type: habeas.EventProtocol, At: arrest.Add(5 * time.Hour), Sources: []string{src}},
			}}
		a := &habeas.Assignment{ID: habeas.NewID(habeas.KindAssignment), LawyerID: lawyers[i%100], DetentionID: d.ID, Kind: habeas.AssignmentLegalAid, From: arrest.Add(20 * time.Hour)}
		muts = append(muts, habeas.Mutation{Op: habeas.OpCreate, Entity: p}, habeas.Mutation{Op: habeas.OpCreate, Entity: d}, habeas.Mutation{Op: habeas.OpCreate, Entity: a})
		dets = append(dets, d)
		if len(muts) >= 600 {
			apply()
		}
	}
	apply()
	for _, d := range dets {
		d.Events = append(d.Events, habeas.Event{Type: habeas.EventCourtAppearance, At: d.Events[0].At.Add(40 * time.Hour),
			Decision: &habeas.Decision{Kind: habeas.DecisionAdminArrest, Days: 10, Court: "районный суд"}})
		muts = append(muts, habeas.Mutation{Op: habeas.OpUpdate, Entity: d})
		if len(muts) >= 600 {
			apply()
		}
	}
	apply()
}

// BenchmarkInterchange measures exporting a log of 10,000 changes and
// importing it into an empty SQLite store.
func BenchmarkInterchange(b *testing.B) {
	ctx := context.Background()
	src := newStore(b)
	buildLarge(b, src)
	n := lastSeq(b, src)
	file := export(b, src)
	b.Logf("%d changes, %d bytes", n, len(file))

	b.Run("export", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(file)))
		for b.Loop() {
			if _, err := interchange.Export(ctx, src, io.Discard); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "changes/s")
	})
	b.Run("import", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(file)))
		for b.Loop() {
			b.StopTimer()
			dst, err := openAt(b.TempDir())
			must(b, err)
			b.StartTimer()
			if _, err := interchange.Import(ctx, dst, bytes.NewReader(file)); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			dst.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "changes/s")
	})
}
