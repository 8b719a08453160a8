package dedup_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/dedup"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/sqlite"
)

// store opens a real SQLite store in a temporary directory.
func store(t *testing.T) *sqlstore.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var ctx = habeas.WithActor(context.Background(), "reviewer")

func create(t *testing.T, db *sqlstore.DB, es ...habeas.Entity) {
	t.Helper()
	for _, e := range es {
		if err := db.Create(ctx, e); err != nil {
			t.Fatalf("create %s: %v", e.EntityKind(), err)
		}
	}
}

func person(name, birth string, sex habeas.Sex) *habeas.Person {
	p := &habeas.Person{Names: []habeas.NameVariant{{Text: name}}, Sex: sex}
	if birth != "" {
		p.Birth = habeas.BirthDate{Precision: habeas.PrecisionDay, Date: birth}
	}
	return p
}

func judge(t *testing.T, db *sqlstore.DB, a, b *habeas.Person, j habeas.Judgement) *habeas.Identity {
	t.Helper()
	id := &habeas.Identity{PersonA: a.ID, PersonB: b.ID, Judgement: j}
	create(t, db, id)
	return id
}

// TestClusters follows chains of decisions: "same" joins groups
// transitively, "different" keeps whole groups apart, and an undo
// (deleting the decision) splits them again.
func TestClusters(t *testing.T) {
	db := store(t)
	ps := make([]*habeas.Person, 6) // a b c d e f
	for i := range ps {
		ps[i] = person(fmt.Sprintf("Person%c Testov", 'A'+i), "", "")
		create(t, db, ps[i])
	}
	a, b, c, d, e, f := ps[0], ps[1], ps[2], ps[3], ps[4], ps[5]
	ab := judge(t, db, a, b, habeas.SamePerson)
	bc := judge(t, db, b, c, habeas.SamePerson)
	judge(t, db, d, e, habeas.SamePerson)
	judge(t, db, c, d, habeas.DifferentPersons)
	q := dedup.New(db, dedup.Options{MinInterval: -1})

	sorted := func(ps ...*habeas.Person) []string {
		var ids []string
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
		slices.Sort(ids)
		return ids
	}
	check := func(stage string, clusters map[*habeas.Person][]string, settled map[[2]*habeas.Person]bool) {
		t.Helper()
		for p, want := range clusters {
			got, err := q.Cluster(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: Cluster(%s) = %v, want %v", stage, p.Names[0].Text, got, want)
			}
		}
		for pr, want := range settled {
			got, err := q.Settled(ctx, pr[0].ID, pr[1].ID)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s: Settled(%s, %s) = %v, want %v", stage, pr[0].Names[0].Text, pr[1].Names[0].Text, got, want)
			}
		}
	}
	check("chains", map[*habeas.Person][]string{
		a: sorted(a, b, c), c: sorted(a, b, c), e: sorted(d, e), f: sorted(f),
	}, map[[2]*habeas.Person]bool{
		{a, c}: true,  // joined through b
		{c, a}: true,  // in either order
		{a, e}: true,  // a's group was judged different from e's
		{c, d}: true,  // judged directly
		{a, f}: false, // nobody has decided
		{e, f}: false,
	})

	// Undo b = c: c leaves a's group; c and d stay judged apart.
	if err := db.Delete(ctx, habeas.KindIdentity, bc.ID); err != nil {
		t.Fatal(err)
	}
	check("after undo", map[*habeas.Person][]string{
		a: sorted(a, b), c: sorted(c), d: sorted(d, e),
	}, map[[2]*habeas.Person]bool{
		{a, c}: false,
		{a, e}: false, // the "different" decision was about c, who is no longer in a's group
		{c, e}: true,
		{b, a}: true,
	})
	// b's decisions, the undone one included, for its history.
	if got, err := q.Decisions(ctx, b.ID); err != nil || !slices.Equal(got, []string{ab.ID, bc.ID}) {
		t.Errorf("Decisions(b) = %v, %v; want %v", got, err, []string{ab.ID, bc.ID})
	}
}

// reports is one person reported three times, in two scripts, among
// namesake-free others, so the matcher has something to find.
type reports struct {
	official, latin, caller *habeas.Person
	others                  []*habeas.Person
}

func newReports(t *testing.T, db *sqlstore.DB) *reports {
	t.Helper()
	r := &reports{
		official: person("СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ", "1990-05-12", habeas.SexMale),
		latin:    person("Serikbayev Aidos", "1990-05-12", habeas.SexMale),
		caller:   person("Айдос Серикбаев", "", habeas.SexMale),
	}
	r.official.HomeRegion, r.latin.HomeRegion = "Алматы", "Almaty"
	r.caller.Birth = habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 31, AgeAt: "2022-01-06"}
	create(t, db, r.official, r.latin, r.caller)
	given := []string{"Ерлан", "Нурлан", "Асель", "Мадина", "Бауыржан", "Данияр", "Жанна", "Руслан", "Гульнара", "Тимур"}
	surname := []string{"Ахметов", "Омаров", "Садыков", "Касымов", "Жумабаев", "Исаев", "Тулегенов", "Абдрахманов"}
	for i := range 40 {
		p := person(given[i%len(given)]+" "+surname[i%len(surname)], fmt.Sprintf("19%02d-%02d-%02d", 60+i, 1+i%12, 1+i%28), "")
		r.others = append(r.others, p)
		create(t, db, p)
	}
	return r
}

// pairsOf returns every proposed pair, as "id id" in identifier order.
func pairsOf(t *testing.T, q *dedup.Queue) map[string]dedup.Candidate {
	t.Helper()
	cs, total, err := q.Pairs(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if total != len(cs) {
		t.Fatalf("Pairs: %d candidates, total %d", len(cs), total)
	}
	out := map[string]dedup.Candidate{}
	for i, c := range cs {
		if c.A.ID >= c.B.ID {
			t.Errorf("candidate %d: %s before %s", i, c.A.ID, c.B.ID)
		}
		if i > 0 && abs(cs[i-1].Weight) > abs(c.Weight)+1e-6 {
			t.Errorf("candidate %d (weight %.2f) after one of weight %.2f: not most informative first", i, c.Weight, cs[i-1].Weight)
		}
		out[key(c.A, c.B)] = c
	}
	return out
}

func abs(x float64) float64 { return max(x, -x) }

func key(a, b *habeas.Person) string {
	if b.ID < a.ID {
		a, b = b, a
	}
	return a.ID + " " + b.ID
}

// TestPairs proposes the reports of one person, explained, and leaves out
// every pair once it is decided, directly or through other decisions, or
// once a person is gone.
func TestPairs(t *testing.T) {
	db := store(t)
	r := newReports(t, db)
	q := dedup.New(db, dedup.Options{MinInterval: -1})
	got := pairsOf(t, q)
	for _, pr := range [][2]*habeas.Person{{r.official, r.latin}, {r.official, r.caller}, {r.latin, r.caller}} {
		c, ok := got[key(pr[0], pr[1])]
		if !ok {
			t.Fatalf("pair %s / %s not proposed; got %d pairs", pr[0].Names[0].Text, pr[1].Names[0].Text, len(got))
		}
		if c.Probability < 0.2 || c.Explanation.A != c.A.ID || len(c.Explanation.Fields) == 0 {
			t.Errorf("pair %s / %s: probability %.3f, explanation %q", c.A.Names[0].Text, c.B.Names[0].Text, c.Probability, c.Explanation)
		}
		if want := dedup.BandUncertain; c.Probability > 0.98 {
			want = dedup.BandLikely
			if c.Band != want {
				t.Errorf("pair at %.3f in band %s, want %s", c.Probability, c.Band, want)
			}
		}
	}
	for k, c := range got {
		if !slices.Contains([]string{r.official.ID, r.latin.ID, r.caller.ID}, c.A.ID) {
			t.Errorf("pair %s (%s / %s, %.3f) is not of the reported person", k, c.A.Names[0].Text, c.B.Names[0].Text, c.Probability)
		}
	}
	// Paging.
	page, total, err := q.Pairs(ctx, 1, 1)
	if err != nil || total != len(got) || len(page) != 1 {
		t.Fatalf("Pairs(1, 1): %d items of %d, %v; want 1 of %d", len(page), total, err, len(got))
	}

	// "Different" on one pair removes it alone.
	judge(t, db, r.latin, r.caller, habeas.DifferentPersons)
	got = pairsOf(t, q)
	if _, ok := got[key(r.latin, r.caller)]; ok {
		t.Error("a pair judged different is still proposed")
	}
	if _, ok := got[key(r.official, r.latin)]; !ok {
		t.Error("an undecided pair is no longer proposed")
	}
	// "Same" official = latin: that pair goes, and so does official /
	// caller, since latin's group was judged different from caller.
	judge(t, db, r.official, r.latin, habeas.SamePerson)
	got = pairsOf(t, q)
	if len(got) != 0 {
		for _, c := range got {
			t.Errorf("still proposed: %s / %s", c.A.Names[0].Text, c.B.Names[0].Text)
		}
	}

	// A new report of the same person (an import) is proposed against
	// each of the group's records that the matcher pairs it with.
	again := person("SERIKBAEV AIDOS ERLANOVICH", "1990-05-12", habeas.SexMale)
	create(t, db, again)
	got = pairsOf(t, q)
	found := false
	for _, c := range got {
		if c.A.ID == again.ID || c.B.ID == again.ID {
			found = true
		}
	}
	if !found {
		t.Error("a new report of a known person is not proposed")
	}
	// A person deleted takes its pairs with it.
	if err := db.Delete(ctx, habeas.KindPerson, again.ID); err != nil {
		t.Fatal(err)
	}
	if got = pairsOf(t, q); len(got) != 0 {
		t.Errorf("%d pairs after deleting the new report, want 0", len(got))
	}
	if st := q.Status(); st.Persons != 43 || st.Linked != 43 || st.Pending || st.LinkedAt.IsZero() {
		t.Errorf("Status = %+v, want 43 persons linked and nothing pending", st)
	}
}

// TestMinInterval: within the interval a change to the persons waits for
// the next run, but a decision counts at once; Refresh does not wait.
func TestMinInterval(t *testing.T) {
	db := store(t)
	r := newReports(t, db)
	q := dedup.New(db, dedup.Options{}) // the default interval, seconds
	before := pairsOf(t, q)
	if len(before) == 0 {
		t.Fatal("no pairs")
	}
	again := person("Serikbaev Aidos Erlanovich", "1990-05-12", habeas.SexMale)
	create(t, db, again)
	if got := pairsOf(t, q); len(got) != len(before) {
		t.Errorf("relinked within the interval: %d pairs, then %d", len(before), len(got))
	}
	if st := q.Status(); !st.Pending || st.Persons != st.Linked+1 {
		t.Errorf("Status = %+v, want one person pending", st)
	}
	judge(t, db, r.official, r.latin, habeas.DifferentPersons)
	if _, ok := pairsOf(t, q)[key(r.official, r.latin)]; ok {
		t.Error("a decision waited for the next run")
	}
	if err := q.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got := pairsOf(t, q); len(got) <= len(before)-1 {
		t.Errorf("after Refresh: %d pairs, want the new report's too (had %d)", len(got), len(before))
	}
}

func TestExplain(t *testing.T) {
	db := store(t)
	r := newReports(t, db)
	q := dedup.New(db, dedup.Options{MinInterval: -1})
	c, err := q.Explain(ctx, r.latin.ID, r.official.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.A.ID > c.B.ID || c.Probability <= 0 || c.Explanation.String() == "" {
		t.Errorf("Explain = %+v", c)
	}
	for _, tt := range []struct {
		name string
		a, b string
		code string
	}{
		{"same record", r.latin.ID, r.latin.ID, habeas.EINVALID},
		{"unknown person", r.latin.ID, "per_zzzzzzzzzzzzzzzz", habeas.ENOTFOUND},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := q.Explain(ctx, tt.a, tt.b); habeas.ErrorCode(err) != tt.code {
				t.Errorf("Explain: %v, want code %s", err, tt.code)
			}
		})
	}
}

// TestConcurrentUse reads the queue from several goroutines while persons
// and decisions are written (run it with -race).
func TestConcurrentUse(t *testing.T) {
	db := store(t)
	r := newReports(t, db)
	q := dedup.New(db, dedup.Options{MinInterval: -1})
	done := make(chan error)
	for range 4 {
		go func() {
			for range 10 {
				if _, _, err := q.Pairs(ctx, 0, 5); err != nil {
					done <- err
					return
				}
				if _, err := q.Cluster(ctx, r.official.ID); err != nil {
					done <- err
					return
				}
				q.Status()
			}
			done <- nil
		}()
	}
	for i := range 5 {
		create(t, db, person(fmt.Sprintf("Серикбаев Айдос %d", i), "1990-05-12", habeas.SexMale))
	}
	judge(t, db, r.official, r.latin, habeas.SamePerson)
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
