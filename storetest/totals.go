package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
)

// sampleDetentions writes 60 detentions, of as many persons, arrested at
// random minutes of three days from start in two cities, a third of them
// released.
func sampleDetentions(t *testing.T, s Store) (ds []*habeas.Detention, start time.Time) {
	t.Helper()
	ctx := ctxAs("x")
	src := newSource("totals")
	must(t, s.Create(ctx, src))
	r := rand.New(rand.NewPCG(5, 5))
	cities := []string{"almaty", "aktau"}
	procs := []habeas.Procedure{habeas.ProcedureAdministrative, habeas.ProcedureCriminal}
	start = time.Date(2022, 1, 5, 0, 0, 0, 0, time.UTC)
	var muts []habeas.Mutation
	for i := range 60 {
		p := newPerson(fmt.Sprintf("Total Person %d", i), src.ID)
		p.ID = habeas.NewID(habeas.KindPerson)
		at := start.Add(time.Duration(r.IntN(72*60)) * time.Minute)
		d := newDetention(p.ID, cities[r.IntN(2)], src.ID, at, procs[r.IntN(2)])
		d.ID = habeas.NewID(habeas.KindDetention)
		if r.IntN(3) == 0 {
			d.Events = append(d.Events, habeas.Event{Type: habeas.EventRelease, At: at.Add(3 * time.Hour)})
		}
		ds = append(ds, d)
		muts = append(muts, habeas.Mutation{Op: habeas.OpCreate, Entity: p}, habeas.Mutation{Op: habeas.OpCreate, Entity: d})
	}
	_, err := s.Apply(ctx, muts)
	must(t, err)
	return ds, start
}

// sampleFilters are filters on the sample: each field alone and together,
// arrest ranges of whole hours and ranges that start and end inside one,
// and a person's detentions (the first of live).
func sampleFilters(start time.Time, live []*habeas.Detention) []habeas.DetentionFilter {
	tm := func(h, m int) *time.Time {
		x := start.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
		return &x
	}
	str := func(s string) *string { return &s }
	st := func(x habeas.Status) *habeas.Status { return &x }
	pr := func(p habeas.Procedure) *habeas.Procedure { return &p }
	return []habeas.DetentionFilter{
		{}, {City: str("almaty")}, {Status: st(habeas.StatusReleased)}, {Procedure: pr(habeas.ProcedureCriminal), City: str("aktau")},
		{From: tm(10, 0), To: tm(40, 0)}, {From: tm(10, 17), To: tm(40, 43)}, {From: tm(10, 17)}, {To: tm(40, 43)},
		{From: tm(5, 10), To: tm(5, 50)}, {From: tm(5, 10), To: tm(6, 20)}, {From: tm(23, 59), To: tm(25, 1)},
		{City: str("almaty"), Status: st(habeas.StatusInCustody), From: tm(1, 30), To: tm(70, 30)},
		{PersonID: &live[0].PersonID},
		// A lawyer's cases: some named, one that is not there, none.
		{IDs: []string{live[0].ID, live[len(live)-1].ID, "det_aaaaaaaaaaaaaaaa"}},
		{IDs: []string{live[0].ID}, From: tm(10, 17)},
		{IDs: []string{}},
	}
}

// testDetentionTotals checks a list's total against a count by hand, for
// arrest ranges that start and end inside an hour, before and after
// detentions change city, status or disappear: stores may keep totals
// apart from the rows.
func testDetentionTotals(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	ctx := ctxAs("x")
	ds, start := sampleDetentions(t, s)
	check := func(when string, live []*habeas.Detention) {
		t.Helper()
		for _, f := range sampleFilters(start, live) {
			want := 0
			for _, d := range live {
				if f.Match(d) {
					want++
				}
			}
			_, got, err := s.FindDetentions(context.Background(), f)
			must(t, err)
			if got != want {
				t.Errorf("%s: total of %s: got %d, want %d", when, describe(f), got, want)
			}
		}
	}
	check("after create", ds)

	for i, d := range ds[:20] {
		switch i % 3 {
		case 0:
			d.City = "semey"
		case 1:
			d.Events = append(d.Events, habeas.Event{Type: habeas.EventRelease, At: d.ArrestedAt().Add(time.Hour)})
		case 2:
			d.Events[0].At = d.Events[0].At.Add(97 * time.Minute)
		}
		must(t, s.Update(ctx, d))
	}
	for _, d := range ds[50:] {
		must(t, s.Delete(ctx, habeas.KindDetention, d.ID))
	}
	check("after update and delete", ds[:50])
}

// testFilterMatch checks that a store lists exactly the detentions for
// which DetentionFilter.Match holds, so that views kept in memory (the
// overdue alerts) and the store's lists agree; the ranges include ones
// that begin or end at an arrest, to the microsecond and within it.
func testFilterMatch(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	ds, start := sampleDetentions(t, s)
	at := ds[0].ArrestedAt()
	within := at.Add(500 * time.Nanosecond) // the same microsecond
	filters := append(sampleFilters(start, ds),
		habeas.DetentionFilter{From: &at}, habeas.DetentionFilter{To: &at},
		habeas.DetentionFilter{From: &within}, habeas.DetentionFilter{To: &within})
	for _, f := range filters {
		listed := map[string]bool{}
		for _, id := range queueIDs(t, s, f) {
			listed[id] = true
		}
		for _, d := range ds {
			if listed[d.ID] != f.Match(d) {
				t.Errorf("%s: %s arrested at %s: listed %t, Match %t", describe(f), d.ID, d.ArrestedAt().Format(time.RFC3339Nano), listed[d.ID], f.Match(d))
			}
		}
	}
}

func describe(f habeas.DetentionFilter) string {
	out := ""
	add := func(k string, v any) { out += fmt.Sprintf("%s=%v ", k, v) }
	if f.City != nil {
		add("city", *f.City)
	}
	if f.Status != nil {
		add("status", *f.Status)
	}
	if f.Procedure != nil {
		add("procedure", *f.Procedure)
	}
	if f.PersonID != nil {
		add("person", *f.PersonID)
	}
	if f.From != nil {
		add("from", f.From.Format(time.RFC3339Nano))
	}
	if f.To != nil {
		add("to", f.To.Format(time.RFC3339Nano))
	}
	if out == "" {
		return "no filter"
	}
	return out
}
