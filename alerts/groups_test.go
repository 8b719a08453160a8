package alerts_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/alerts"
)

// TestGroupsMostEndangeredFirst orders five detainees, each with
// something overdue, by what endangers them: where they are held unknown,
// then a juvenile, then ill-treatment alleged, then the longest without
// a judge; and puts each one's next action first.
func TestGroupsMostEndangeredFirst(t *testing.T) {
	w, store := newWatcher(t)
	ctx := context.Background()
	src := &habeas.Source{Kind: habeas.SourceRelative, Title: "a relative's call", Reliability: "C", Credibility: 3,
		ReceivedAt: time.Date(2022, 2, 1, 0, 0, 0, 0, time.UTC)}
	must(t, store.Create(ctx, src))
	at := time.Date(2022, 2, 12, 6, 0, 0, 0, time.UTC)
	detain := func(name, birth string, heldFor time.Duration, located bool, events ...habeas.Event) *habeas.Detention {
		p := &habeas.Person{Names: []habeas.NameVariant{{Text: name}}, Citizenships: []string{"KZ"},
			Birth: habeas.BirthDate{Precision: habeas.PrecisionDay, Date: birth}}
		must(t, store.Create(ctx, p))
		arrest := at.Add(-heldFor)
		d := &habeas.Detention{PersonID: p.ID, City: "almaty", Procedure: habeas.ProcedureCriminal, Sources: []string{src.ID},
			Events: []habeas.Event{{Type: habeas.EventArrest, At: arrest, Sources: []string{src.ID}}}}
		if located {
			d.Events = append(d.Events, habeas.Event{Type: habeas.EventTransfer, At: arrest.Add(time.Hour), Place: "IVS", Sources: []string{src.ID}})
		}
		for _, e := range events {
			e.At, e.Sources = arrest.Add(2*time.Hour), []string{src.ID}
			d.Events = append(d.Events, e)
		}
		must(t, store.Create(ctx, d))
		return d
	}
	shorter := detain("Short Held", "1990-01-01", 50*time.Hour, true)
	longest := detain("Long Held", "1990-01-01", 60*time.Hour, true)
	alleged := detain("Alleged Harm", "1990-01-01", 30*time.Hour, true,
		habeas.Event{Type: habeas.EventIllTreatment, Allegation: &habeas.Allegation{}})
	minor := detain("Young One", "2007-01-01", 30*time.Hour, true)
	hidden := detain("Nowhere Known", "1990-01-01", 30*time.Hour, false)

	rep, err := w.Groups(ctx, alerts.Query{At: at, Within: 6 * time.Hour})
	must(t, err)
	var got []string
	for _, g := range rep.Groups {
		got = append(got, g.DetentionID)
	}
	want := []string{hidden.ID, minor.ID, alleged.ID, longest.ID, shorter.ID}
	if !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v (whereabouts unknown, juvenile, ill-treatment alleged, 60 h, 50 h without a judge)", got, want)
	}
	dangers := [][]string{{alerts.DangerWhereabouts}, {alerts.DangerJuvenile}, {alerts.DangerIllTreatment}, nil, nil}
	for i, g := range rep.Groups {
		if !slices.Equal(g.Dangers, dangers[i]) {
			t.Errorf("%s: dangers %v, want %v", g.PersonName, g.Dangers, dangers[i])
		}
	}
	if a := rep.Groups[0].Alerts[0]; a.Rule.Safeguard != "whereabouts" {
		t.Errorf("the next action for a person nowhere known is %s, want whereabouts", a.Rule.Safeguard)
	}
	if a := rep.Groups[3].Alerts[0]; a.Rule.Safeguard != "judge" {
		t.Errorf("the next action for a person located, 60 h without a judge, is %s, want judge", a.Rule.Safeguard)
	}

	// Once the person is located, the danger goes and the order follows.
	hidden.Events = append(hidden.Events, habeas.Event{Type: habeas.EventWhereaboutsStated, At: at.Add(-time.Minute), Sources: []string{src.ID}})
	must(t, store.Update(ctx, hidden))
	rep, err = w.Groups(ctx, alerts.Query{At: at, Within: 6 * time.Hour})
	must(t, err)
	if rep.Groups[0].DetentionID != minor.ID || slices.Contains(rep.Groups[len(rep.Groups)-1].Dangers, alerts.DangerWhereabouts) {
		t.Errorf("after the whereabouts were confirmed the juvenile does not come first")
	}
}
