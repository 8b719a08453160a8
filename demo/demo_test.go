package demo_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/demo"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/names"
	"github.com/habeas-project/habeas/rules"
	"github.com/habeas-project/habeas/sqlite"
)

// generate builds a scenario into a fresh SQLite store and returns the
// store and the summary.
func generate(t testing.TB, opt demo.Options) (*sqlstore.DB, demo.Summary) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sum, err := demo.Generate(ctx, db, opt)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return db, sum
}

// allChanges reads the whole change log.
func allChanges(t testing.TB, db *sqlstore.DB) []*habeas.Change {
	t.Helper()
	var out []*habeas.Change
	for after := int64(0); ; {
		cs, err := db.Changes(context.Background(), after, 5000)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) == 0 {
			return out
		}
		out = append(out, cs...)
		after = cs[len(cs)-1].Seq
	}
}

// world is a scenario read back from the change log.
type world struct {
	persons    map[string]*habeas.Person
	sources    map[string]*habeas.Source
	detentions []*habeas.Detention
	casualties []*habeas.Casualty
	invs       []*habeas.Investigation
	counts     map[habeas.Kind]int
}

func read(t *testing.T, db *sqlstore.DB) *world {
	t.Helper()
	w := &world{persons: map[string]*habeas.Person{}, sources: map[string]*habeas.Source{}, counts: map[habeas.Kind]int{}}
	for _, c := range allChanges(t, db) {
		if c.Op != habeas.OpCreate {
			t.Fatalf("change %d is a %s, want only creates", c.Seq, c.Op)
		}
		e, err := c.Entity()
		if err != nil {
			t.Fatal(err)
		}
		w.counts[c.Kind]++
		switch e := e.(type) {
		case *habeas.Person:
			w.persons[e.ID] = e
		case *habeas.Source:
			w.sources[e.ID] = e
		case *habeas.Detention:
			w.detentions = append(w.detentions, e)
		case *habeas.Casualty:
			w.casualties = append(w.casualties, e)
		case *habeas.Investigation:
			w.invs = append(w.invs, e)
		}
	}
	return w
}

func TestGenerateSmall(t *testing.T) {
	db, sum := generate(t, demo.Options{Scale: 300, Seed: 7})
	w := read(t, db)

	for k, n := range map[habeas.Kind]int{habeas.KindPerson: sum.Persons, habeas.KindSource: sum.Sources, habeas.KindIncident: sum.Incidents,
		habeas.KindDetention: sum.Detentions, habeas.KindCasualty: sum.Casualties, habeas.KindInvestigation: sum.Investigations,
		habeas.KindLawyer: sum.Lawyers, habeas.KindAssignment: sum.Assignments, habeas.KindEvidence: sum.Evidence} {
		if w.counts[k] != n || n == 0 {
			t.Errorf("%s: summary says %d, change log has %d (want equal and non-zero)", k, n, w.counts[k])
		}
	}
	if sum.Detentions != 300+sum.Reports {
		t.Errorf("detentions = %d, want 300 + %d duplicate reports", sum.Detentions, sum.Reports)
	}
	if sum.Lawyers < 5 {
		t.Errorf("lawyers = %d, want at least 5", sum.Lawyers)
	}

	cities := map[string]bool{}
	procs := map[habeas.Procedure]int{}
	var late, conflict, stuck, noLawyer int
	for _, d := range w.detentions {
		cities[d.City] = true
		procs[d.Procedure]++
		arrested := d.ArrestedAt()
		city, _ := habeas.FindCity(d.City)
		for i, e := range d.Events {
			if e.At.Before(arrested) {
				t.Errorf("%s %s: %s at %s, before the arrest at %s", d.ID, e.ID, e.Type, e.At, arrested)
			}
			if i > 0 && e.At.Before(d.Events[i-1].At) {
				t.Errorf("%s: events out of order at %s", d.ID, e.ID)
			}
			if e.Zone != city.Zone {
				t.Errorf("%s %s: zone %q, want the city's %q", d.ID, e.ID, e.Zone, city.Zone)
			}
			if len(e.Sources) == 0 {
				t.Errorf("%s %s: %s cites no source", d.ID, e.ID, e.Type)
			}
			for _, s := range e.Sources {
				if src := w.sources[s]; src.ReceivedAt.Before(e.At) {
					t.Errorf("%s %s: %s at %s cites %s, received earlier at %s", d.ID, e.ID, e.Type, e.At, s, src.ReceivedAt)
				}
			}
		}
		if p := d.ProtocolAt(); !p.IsZero() && p.Sub(arrested) > 3*time.Hour {
			late++
		}
		if arrests := d.EventsOf(habeas.EventArrest); len(arrests) >= 2 && !arrests[0].At.Equal(arrests[1].At) &&
			!slices.Equal(arrests[0].Sources, arrests[1].Sources) {
			conflict++
		}
		if d.Procedure != "" && d.Status() == habeas.StatusInCustody && len(d.EventsOf(habeas.EventCourtAppearance)) == 0 {
			stuck++
		}
		if d.Procedure != "" && len(d.EventsOf(habeas.EventLawyerAccess)) == 0 {
			noLawyer++
		}
	}
	if len(cities) < 12 {
		t.Errorf("detentions in %d cities, want at least 12", len(cities))
	}
	if sum.Cities != len(cities) {
		t.Errorf("summary cities = %d, want %d", sum.Cities, len(cities))
	}
	if procs[habeas.ProcedureAdministrative] == 0 || procs[habeas.ProcedureCriminal] == 0 {
		t.Errorf("procedures %v, want both administrative and criminal", procs)
	}
	if procs[habeas.ProcedureCriminal] > procs[habeas.ProcedureAdministrative] {
		t.Errorf("procedures %v, want mostly administrative", procs)
	}
	for name, n := range map[string]int{"protocol more than 3 h after arrest": late, "two conflicting arrest events": conflict,
		"in custody with no court appearance": stuck, "no lawyer access": noLawyer} {
		if n == 0 {
			t.Errorf("no detention with %s", name)
		}
	}

	foreign := 0
	for _, p := range w.persons {
		if p.IsForeign() {
			foreign++
		}
	}
	if foreign == 0 {
		t.Error("no foreign nationals")
	}

	killed, injured, security := 0, 0, 0
	for _, c := range w.casualties {
		switch c.Kind {
		case habeas.CasualtyKilled:
			killed++
		case habeas.CasualtyInjured:
			injured++
		}
		if c.SecurityForces {
			security++
		}
	}
	if killed == 0 || injured == 0 || killed != sum.Killed || injured != sum.Injured {
		t.Errorf("killed %d, injured %d; summary %d, %d", killed, injured, sum.Killed, sum.Injured)
	}
	if injured < killed*10 {
		t.Errorf("killed %d, injured %d: want roughly 18 injured per death", killed, injured)
	}

	kinds := map[habeas.SourceKind]bool{}
	for _, s := range w.sources {
		kinds[s.Kind] = true
	}
	for _, k := range habeas.SourceKinds {
		if !kinds[habeas.SourceKind(k)] {
			t.Errorf("no source of kind %s", k)
		}
	}

	if sum.Reports == 0 {
		t.Fatal("no duplicate reports")
	}
	if !crossScriptDuplicate(w) {
		t.Error("no person reported twice, once in Cyrillic and once in Latin script")
	}
}

// crossScriptDuplicate reports whether two person records, one with a
// Cyrillic and one with a Latin display name, carry the same name once
// both are reduced to consonant skeletons, and were detained in the same
// city.
func crossScriptDuplicate(w *world) bool {
	byCity := map[string][]*habeas.Person{}
	for _, d := range w.detentions {
		byCity[d.City] = append(byCity[d.City], w.persons[d.PersonID])
	}
	for _, ps := range byCity {
		var cyr, lat []*habeas.Person
		for _, p := range ps {
			switch names.DetectScript(p.DisplayName()) {
			case "Cyrl":
				cyr = append(cyr, p)
			case "Latn":
				lat = append(lat, p)
			}
		}
		seen := map[string]bool{}
		for _, p := range cyr {
			seen[nameKey(p.DisplayName())] = true
		}
		for _, p := range lat {
			if seen[nameKey(p.DisplayName())] {
				return true
			}
		}
	}
	return false
}

var (
	toLatin = strings.NewReplacer(
		"а", "a", "б", "b", "в", "v", "г", "g", "д", "d", "е", "e", "ё", "e", "ж", "j", "з", "z", "и", "i", "й", "y",
		"к", "k", "л", "l", "м", "m", "н", "n", "о", "o", "п", "p", "р", "r", "с", "s", "т", "t", "у", "u", "ф", "f",
		"х", "h", "ц", "c", "ч", "ch", "ш", "sh", "щ", "sh", "ъ", "", "ы", "y", "ь", "", "э", "e", "ю", "u", "я", "a",
		"ә", "a", "ғ", "g", "қ", "k", "ң", "n", "ө", "o", "ұ", "u", "ү", "u", "һ", "h", "і", "i", "ў", "u", "ҳ", "h", "ҷ", "j",
		"ä", "a", "ğ", "g", "q", "k", "ñ", "n", "ö", "o", "ū", "u", "ü", "u", "ş", "sh", "ı", "i")
	digraphs = strings.NewReplacer("shch", "sh", "sch", "sh", "dzh", "j", "zh", "j", "kh", "h", "ts", "c")
)

// nameKey reduces the first two words of a name (given name and surname,
// in either order) to consonant skeletons, sorted: "Aidos Serikbaev" and
// "СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ" both give "ds srkbv".
func nameKey(name string) string {
	words := strings.Fields(digraphs.Replace(toLatin.Replace(strings.ToLower(name))))
	if len(words) > 2 {
		words = words[:2]
	}
	for i, w := range words {
		var b []byte
		for j := 0; j < len(w); j++ {
			ch := w[j]
			if strings.IndexByte("aeiouy", ch) >= 0 || (len(b) > 0 && b[len(b)-1] == ch) {
				continue
			}
			b = append(b, ch)
		}
		words[i] = string(b)
	}
	slices.Sort(words)
	return strings.Join(words, " ")
}

func TestNameKey(t *testing.T) {
	for _, name := range []string{"СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ", "Айдос Серикбаев", "Serikbayev Aidos", "Aidos Serikbaev", "Aidos Serıkbaev"} {
		if got, want := nameKey(name), "ds srkbv"; got != want {
			t.Errorf("nameKey(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestDeterministic(t *testing.T) {
	opt := demo.Options{Scale: 250, Seed: 11}
	dbA, sumA := generate(t, opt)
	dbB, sumB := generate(t, opt)
	if sumA != sumB {
		t.Fatalf("summaries differ:\n%+v\n%+v", sumA, sumB)
	}
	a, b := allChanges(t, dbA), allChanges(t, dbB)
	if len(a) != len(b) {
		t.Fatalf("%d changes, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Kind != b[i].Kind || a[i].ID != b[i].ID || !bytes.Equal(a[i].Data, b[i].Data) || !slices.Equal(a[i].Sources, b[i].Sources) {
			t.Fatalf("change %d differs:\n%s %s\n%s\n%s %s\n%s", a[i].Seq, a[i].Kind, a[i].ID, a[i].Data, b[i].Kind, b[i].ID, b[i].Data)
		}
		if !habeas.ValidID(a[i].Kind, a[i].ID) || len(a[i].ID) != 20 {
			t.Fatalf("change %d: identifier %q is not in the format of habeas.NewID", a[i].Seq, a[i].ID)
		}
	}

	dbC, _ := generate(t, demo.Options{Scale: 250, Seed: 12})
	if c := allChanges(t, dbC); len(c) > 0 && c[0].ID == a[0].ID {
		t.Error("another seed gave the same first identifier")
	}
}

func TestProgress(t *testing.T) {
	var calls, last, total int
	generate(t, demo.Options{Scale: 120, Seed: 3, Progress: func(done, n int) {
		if done < last || done > n {
			t.Errorf("progress %d of %d after %d", done, n, last)
		}
		calls, last, total = calls+1, done, n
	}})
	if calls == 0 || last != total {
		t.Errorf("progress called %d times, last %d of %d", calls, last, total)
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		ctx := context.Background()
		db, err := sqlite.Open(ctx, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := demo.Generate(ctx, db, demo.Options{Scale: 10000}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

// The demo fills in the checklists the pages show: trial monitors'
// answers on some hearings, with guarantees respected and not, and the
// Minnesota Protocol's facts on investigations — those of a death only
// on deaths, acts only where a case was opened.
func TestGenerateChecklists(t *testing.T) {
	db, _ := generate(t, demo.Options{Scale: 2000, Seed: 4})
	w := read(t, db)
	hearings, monitored, failed := 0, 0, 0
	for _, d := range w.detentions {
		for _, e := range d.Events {
			if !e.Type.Monitored() {
				continue
			}
			hearings++
			if m := e.Monitoring; m != nil {
				monitored++
				if len(m.Failed()) > 0 {
					failed++
				}
			}
		}
	}
	if monitored == 0 || monitored == hearings || failed == 0 || failed == monitored {
		t.Errorf("%d hearings, %d monitored, %d with a guarantee not respected; want some of each, not all", hearings, monitored, failed)
	}
	answered := map[string]int{}
	for _, inv := range w.invs {
		for _, c := range habeas.InvestigationChecks {
			if *c.Field(inv) != nil {
				answered[c.Name]++
			}
		}
	}
	for _, c := range habeas.InvestigationChecks {
		if answered[c.Name] == 0 {
			t.Errorf("no investigation answers %s", c.Name)
		}
	}
}

// The demo draws use-of-force accounts for casualties caused by security
// forces, and allegations and hearings that meet under the Convention
// against Torture, art. 15, so that the casualty pages, the counts and
// trial monitoring show something: every check answered each way, and
// some of it left unknown.
func TestGenerateUseOfForce(t *testing.T) {
	db, _ := generate(t, demo.Options{Scale: 2000, Seed: 4})
	w := read(t, db)
	states := map[string]map[rules.ForceState]int{}
	applies, killings := 0, 0
	for _, c := range w.casualties {
		if err := c.Validate(); err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		if c.Kind == habeas.CasualtyKilled {
			killings++
		}
		rev := rules.UseOfForce(c)
		if !rev.Applies {
			continue
		}
		applies++
		for _, res := range rev.Results {
			if states[res.Check.Name] == nil {
				states[res.Check.Name] = map[rules.ForceState]int{}
			}
			states[res.Check.Name][res.State]++
		}
	}
	if applies == 0 || applies == len(w.casualties) {
		t.Errorf("the checks apply to %d of %d casualties; want some, not all", applies, len(w.casualties))
	}
	for _, ch := range rules.ForceChecks {
		for _, s := range []rules.ForceState{rules.ForceMet, rules.ForceFailed, rules.ForceUnknown} {
			if states[ch.Name][s] == 0 {
				t.Errorf("no casualty answers %s %s: %v", ch.Name, s, states[ch.Name])
			}
		}
	}
	flagged := 0
	for _, d := range w.detentions {
		for i := range d.Events {
			if e := &d.Events[i]; e.Type.Monitored() && len(rules.StatementAllegations(e, d.Events)) > 0 {
				flagged++
			}
		}
	}
	if flagged == 0 {
		t.Errorf("no hearing is flagged under the Convention against Torture, art. 15")
	}
	t.Logf("%d killings; checks apply to %d casualties; %d hearings flagged; %v", killings, applies, flagged, states)
}
