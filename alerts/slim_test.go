package alerts

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/demo"
	"github.com/habeas-project/habeas/rules"
)

// TestSlimJudgesAlike checks that what the watcher keeps of a record is
// all the rules need: over a demo register, every detention judged from
// the watcher's copies gets the same results, explanations (in every
// language) and flags as judged from the whole records, at moments during
// and after the events. A rule that starts reading a field the watcher
// drops fails here.
func TestSlimJudgesAlike(t *testing.T) {
	ctx := context.Background()
	w, db := demoWatcher(t, demo.Options{Scale: 300, Seed: 5})
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	// The whole records, read back from the store.
	full := func(k habeas.Kind, id string) habeas.Entity {
		e, err := db.Find(ctx, k, id)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	moments := []time.Time{
		time.Date(2022, 1, 6, 12, 0, 0, 0, time.UTC),
		time.Date(2022, 1, 9, 0, 0, 0, 0, time.UTC),
		time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC),
	}
	judged, results := 0, 0
	var scr scratch // reused from one detention to the next, as eachCase does
	for id, cd := range w.detentions {
		d := full(habeas.KindDetention, id).(*habeas.Detention)
		slim := w.detention(cd, &scr)
		if fresh := w.detention(cd, nil); !reflect.DeepEqual(slim, fresh) {
			t.Fatalf("detention %s: read through reused memory\n%+v\nread afresh\n%+v", id, slim, fresh)
		}
		// What is kept comes back as it was written.
		want := *d
		want.Notes, want.Events = "", slices.Clone(d.Events)
		for i := range want.Events {
			want.Events[i].Note = ""
			if a := want.Events[i].Allegation; a != nil {
				want.Events[i].Allegation = &habeas.Allegation{StatementObtained: a.StatementObtained}
			}
		}
		if !reflect.DeepEqual(slim, &want) {
			t.Fatalf("detention %s: the watcher keeps\n%+v\nthe record is, less what is dropped\n%+v", id, slim, &want)
		}
		sc := w.caseOf(slim)
		fc := &rules.Case{Detention: d, Sources: map[string]*habeas.Source{},
			Investigations: sc.Investigations, Casualties: sc.Casualties}
		if p, ok := w.persons[d.PersonID]; ok {
			fc.Person = full(habeas.KindPerson, p.ID).(*habeas.Person)
		}
		for sid := range sc.Sources {
			fc.Sources[sid] = full(habeas.KindSource, sid).(*habeas.Source)
		}
		for _, at := range moments {
			if got, want := rules.Flags(slim, sc.Sources, at), rules.Flags(d, fc.Sources, at); !reflect.DeepEqual(got, want) {
				t.Fatalf("detention %s at %v: flags %v from the watcher's copy, %v from the record", id, at, got, want)
			}
			got, want := w.engine.Evaluate(sc, at), w.engine.Evaluate(fc, at)
			if len(got) != len(want) {
				t.Fatalf("detention %s at %v: %d results from the watcher's copy, %d from the record", id, at, len(got), len(want))
			}
			for i := range got {
				if g, w := describe(got[i]), describe(want[i]); g != w {
					t.Fatalf("detention %s at %v, result %d:\nwatcher: %s\nrecord:  %s", id, at, i, g, w)
				}
				for _, lang := range []string{"en", "ru", "kk"} {
					if g, w := rules.ExplainIn(got[i], sc, lang), rules.ExplainIn(want[i], fc, lang); g != w {
						t.Fatalf("detention %s at %v, rule %s (%s):\nwatcher: %s\nrecord:  %s", id, at, got[i].Rule.ID, lang, g, w)
					}
				}
			}
			results += len(got)
		}
		judged++
	}
	if judged < 300 || results == 0 {
		t.Fatalf("judged %d detentions with %d results; the demo should give over 300 and some results", judged, results)
	}
}

// describe prints a result without its pointers.
func describe(r rules.Result) string {
	rule, exception := r.Rule.ID, ""
	if r.Exception != nil {
		exception = r.Exception.Limit + " " + r.Exception.Citation
	}
	doubt := ""
	if d := r.Doubt; d != nil {
		doubt = fmt.Sprintf("%s %s %v %v", d.Reason, d.State, d.Deadline, d.By)
		if d.Exception != nil {
			doubt += " " + d.Exception.Limit + " " + d.Exception.Citation
		}
	}
	r.Rule, r.Exception, r.Doubt = nil, nil, nil
	return fmt.Sprintf("%s %s %+v doubt %s", rule, exception, r, doubt)
}
