package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
)

// testDetentionTotals checks a list's total against a count by hand, for
// arrest ranges that start and end inside an hour, before and after
// detentions change city, status or disappear: stores may keep totals
// apart from the rows.
func testDetentionTotals(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	ctx := ctxAs("x")
	src := newSource("totals")
	must(t, s.Create(ctx, src))
	r := rand.New(rand.NewPCG(5, 5))
	cities := []string{"almaty", "aktau"}
	procs := []habeas.Procedure{habeas.ProcedureAdministrative, habeas.ProcedureCriminal}
	start := time.Date(2022, 1, 5, 0, 0, 0, 0, time.UTC)
	var ds []*habeas.Detention
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

	check := func(when string, live []*habeas.Detention) {
		t.Helper()
		tm := func(h, m int) *time.Time {
			x := start.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
			return &x
		}
		str := func(s string) *string { return &s }
		st := func(x habeas.Status) *habeas.Status { return &x }
		pr := func(p habeas.Procedure) *habeas.Procedure { return &p }
		filters := []habeas.DetentionFilter{
			{}, {City: str("almaty")}, {Status: st(habeas.StatusReleased)}, {Procedure: pr(habeas.ProcedureCriminal), City: str("aktau")},
			{From: tm(10, 0), To: tm(40, 0)}, {From: tm(10, 17), To: tm(40, 43)}, {From: tm(10, 17)}, {To: tm(40, 43)},
			{From: tm(5, 10), To: tm(5, 50)}, {From: tm(5, 10), To: tm(6, 20)}, {From: tm(23, 59), To: tm(25, 1)},
			{City: str("almaty"), Status: st(habeas.StatusInCustody), From: tm(1, 30), To: tm(70, 30)},
			{PersonID: &live[0].PersonID},
		}
		for _, f := range filters {
			want := 0
			for _, d := range live {
				at := d.ArrestedAt()
				if (f.City == nil || d.City == *f.City) && (f.Status == nil || d.Status() == *f.Status) &&
					(f.Procedure == nil || d.Procedure == *f.Procedure) && (f.PersonID == nil || d.PersonID == *f.PersonID) &&
					(f.From == nil || !at.Before(*f.From)) && (f.To == nil || at.Before(*f.To)) {
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
		add("from", f.From.Format(time.RFC3339))
	}
	if f.To != nil {
		add("to", f.To.Format(time.RFC3339))
	}
	if out == "" {
		return "no filter"
	}
	return out
}
