package alerts_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
)

func TestOverdueQueue(t *testing.T) {
	w, store := newWatcher(t)
	ctx := context.Background()
	at := time.Date(2022, 2, 12, 6, 0, 0, 0, time.UTC) // after the state of emergency
	det := func(city string, proc habeas.Procedure, arrestedBefore time.Duration, events ...habeas.Event) *habeas.Detention {
		p := &habeas.Person{Names: []habeas.NameVariant{{Text: "Test Person"}}, Birth: habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1990-04-02"}}
		must(t, store.Create(ctx, p))
		d := &habeas.Detention{PersonID: p.ID, City: city, Procedure: proc,
			Events: append([]habeas.Event{{Type: habeas.EventArrest, At: at.Add(-arrestedBefore)}}, events...)}
		must(t, store.Create(ctx, d))
		return d
	}
	longest := det("almaty", habeas.ProcedureCriminal, 60*time.Hour)
	shorter := det("aktau", habeas.ProcedureCriminal, 50*time.Hour)
	fresh := det("almaty", habeas.ProcedureCriminal, 30*time.Minute) // every deadline ahead
	released := det("almaty", habeas.ProcedureAdministrative, 100*time.Hour,
		habeas.Event{Type: habeas.EventRelease, At: at.Add(-99 * time.Hour)})

	ids := func(f habeas.DetentionFilter) ([]string, int) {
		t.Helper()
		got, total, err := w.Overdue(ctx, f, at)
		must(t, err)
		var out []string
		for _, od := range got {
			out = append(out, od.Detention.ID)
			if od.Overdue == 0 || od.Longest <= 0 || len(od.Safeguards) == 0 {
				t.Errorf("%s: %+v lacks what is overdue", od.Detention.ID, od)
			}
		}
		return out, total
	}
	str := func(s string) *string { return &s }
	proc := habeas.ProcedureCriminal
	from := at.Add(-55 * time.Hour)
	tests := []struct {
		name  string
		f     habeas.DetentionFilter
		want  []string
		total int
	}{
		{"all, the longest overdue first", habeas.DetentionFilter{}, []string{longest.ID, shorter.ID}, 2},
		{"city", habeas.DetentionFilter{City: str("aktau")}, []string{shorter.ID}, 1},
		{"procedure", habeas.DetentionFilter{Procedure: &proc}, []string{longest.ID, shorter.ID}, 2},
		{"arrested from", habeas.DetentionFilter{From: &from}, []string{shorter.ID}, 1},
		{"page", habeas.DetentionFilter{Page: habeas.Page{Offset: 1, Limit: 1}}, []string{shorter.ID}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total := ids(tt.f)
			if !slices.Equal(got, tt.want) || total != tt.total {
				t.Errorf("got %v of %d, want %v of %d", got, total, tt.want, tt.total)
			}
			if slices.Contains(got, fresh.ID) || slices.Contains(got, released.ID) {
				t.Errorf("got %v: a detention with nothing overdue now is listed", got)
			}
		})
	}
	got, _, err := w.Overdue(ctx, habeas.DetentionFilter{}, at)
	must(t, err)
	if got[0].Longest <= got[1].Longest || !slices.Contains(got[0].Safeguards, "judge") {
		t.Errorf("first %+v, second %+v: want the longest overdue first, before a judge among its safeguards", got[0], got[1])
	}

	// A write after a queue was judged is seen at once, at the same moment.
	older := det("aktau", habeas.ProcedureCriminal, 70*time.Hour)
	if got, total := ids(habeas.DetentionFilter{}); total != 3 || got[0] != older.ID {
		t.Errorf("after a new detention: got %v of %d, want %s first of 3", got, total, older.ID)
	}
	fresh.Events = append(fresh.Events, habeas.Event{Type: habeas.EventArrest, At: at.Add(-80 * time.Hour)})
	must(t, store.Update(ctx, fresh))
	if got, total := ids(habeas.DetentionFilter{}); total != 4 || got[0] != fresh.ID {
		t.Errorf("after an earlier arrest is recorded: got %v of %d, want %s first of 4", got, total, fresh.ID)
	}
}
