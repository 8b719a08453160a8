package sqlite_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/sqlite"
)

// Every filter of the detention list, alone or combined with a queue, is
// answered from an index: no step of the count or of the page reads the
// whole table, and a queue, whatever the other filters, is read from one
// covering index of detention_queues, so never more than the queue.
func TestDetentionListPlansUseIndexes(t *testing.T) {
	ctx := habeas.WithActor(context.Background(), "tester")
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src := &habeas.Source{ID: habeas.NewID(habeas.KindSource), Kind: habeas.SourceHotlineCall, Title: "call", Reliability: "C", Credibility: 3,
		ReceivedAt: time.Date(2022, 1, 6, 8, 0, 0, 0, time.UTC)}
	muts := []habeas.Mutation{{Op: habeas.OpCreate, Entity: src}}
	cities := []string{"almaty", "aktau", "shymkent", "taraz"}
	for i := range 400 {
		p := &habeas.Person{ID: habeas.NewID(habeas.KindPerson), Names: []habeas.NameVariant{{Text: fmt.Sprintf("Person %d", i)}}}
		if i%10 == 0 {
			p.Citizenships = []string{"KG"}
		}
		if i%15 == 0 {
			p.Birth = habeas.BirthDate{Precision: habeas.PrecisionYear, Date: "2005"}
		}
		d := &habeas.Detention{ID: habeas.NewID(habeas.KindDetention), PersonID: p.ID, City: cities[i%len(cities)], Procedure: habeas.ProcedureAdministrative,
			Events: []habeas.Event{{Type: habeas.EventArrest, At: time.Date(2022, 1, 5, 0, i, 0, 0, time.UTC)}}}
		if i%3 != 0 {
			d.Events = append(d.Events, habeas.Event{Type: habeas.EventFamilyNotified, At: time.Date(2022, 1, 6, 0, i, 0, 0, time.UTC)})
		}
		if i%2 == 0 {
			d.Events = append(d.Events, habeas.Event{Type: habeas.EventRelease, At: time.Date(2022, 1, 7, 0, i, 0, 0, time.UTC)})
		}
		muts = append(muts, habeas.Mutation{Op: habeas.OpCreate, Entity: p}, habeas.Mutation{Op: habeas.OpCreate, Entity: d})
	}
	if _, err := db.Apply(ctx, muts); err != nil {
		t.Fatal(err)
	}
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}

	city, proc, status := "almaty", habeas.ProcedureAdministrative, habeas.StatusInCustody
	from, to := time.Date(2022, 1, 5, 2, 0, 0, 0, time.UTC), time.Date(2022, 1, 5, 5, 0, 0, 0, time.UTC)
	filters := map[string]habeas.DetentionFilter{
		"none":           {},
		"city":           {City: &city},
		"procedure":      {Procedure: &proc},
		"status":         {Status: &status},
		"dates":          {From: &from, To: &to},
		"city+status":    {City: &city, Status: &status},
		"everything":     {City: &city, Procedure: &proc, Status: &status, From: &from, To: &to},
		"city+dates":     {City: &city, From: &from},
		"status+dates":   {Status: &status, To: &to},
		"procedure+city": {Procedure: &proc, City: &city},
	}
	for _, q := range append([]habeas.Queue{""}, habeas.QueueNoLawyer, habeas.QueueIncommunicado, habeas.QueueForeign, habeas.QueueJuvenile) {
		for name, f := range filters {
			if q != "" {
				f.Queue = &q
			}
			t.Run(string(q)+" "+name, func(t *testing.T) {
				count, page, err := db.PlanDetentions(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, plan := range [][]string{count, page} {
					for _, step := range plan {
						if strings.HasPrefix(step, "SCAN ") && !strings.Contains(step, " INDEX ") {
							t.Errorf("a step reads the whole table: %q in %q", step, plan)
						}
					}
					// A queue is read from its own table's indexes alone.
					if q != "" && (len(plan) != 1 || !strings.Contains(plan[0], " COVERING INDEX ") || !strings.Contains(plan[0], "detention_queues")) {
						t.Errorf("queue %s is not read from one covering index of detention_queues: %q", q, plan)
					}
				}
			})
		}
	}
}
