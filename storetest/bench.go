package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
)

// BenchmarkWrites measures durable writes through the change log: b.N
// changes, half persons and half detentions that refer to them, applied in
// transactions of batch mutations. It reports changes per second.
func BenchmarkWrites(b *testing.B, s habeas.RecordService, batch int) {
	ctx := ctxAs("bench")
	src := newSource("bench")
	if err := s.Create(ctx, src); err != nil {
		b.Fatal(err)
	}
	base := time.Date(2022, 1, 5, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	start := time.Now()
	for done := 0; done < b.N; {
		n := min(batch, b.N-done)
		muts := make([]habeas.Mutation, 0, n)
		for i := 0; i < n; i += 2 {
			p := newPerson(fmt.Sprintf("Bench Person %d", done+i), src.ID)
			p.ID = habeas.NewID(habeas.KindPerson)
			muts = append(muts, habeas.Mutation{Op: habeas.OpCreate, Entity: p})
			if i+1 < n {
				d := newDetention(p.ID, "almaty", src.ID, base.Add(time.Duration(done+i)*time.Second), habeas.ProcedureAdministrative)
				d.Events = append(d.Events, habeas.Event{Type: habeas.EventProtocol, At: base.Add(time.Duration(done+i)*time.Second + 3*time.Hour), Sources: []string{src.ID}})
				muts = append(muts, habeas.Mutation{Op: habeas.OpCreate, Entity: d})
			}
		}
		if _, err := s.Apply(ctx, muts); err != nil {
			b.Fatal(err)
		}
		done += n
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "changes/s")
}
