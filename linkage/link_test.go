package linkage_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/linkage"
)

// TestLinkQuality links a synthetic set with known truth and checks the
// pairwise precision and recall of the clusters and the pair completeness
// of blocking. The floors sit below the figures seen, to catch regressions,
// not to describe the method (see docs/linkage.md).
func TestLinkQuality(t *testing.T) {
	s := generate(5000, 7)
	res, err := linkage.Link(s.recs, linkage.Options{AgeReference: ageRef})
	if err != nil {
		t.Fatal(err)
	}
	ps := evaluate(s, res.Clusters, res.Candidate)
	t.Logf("%d records: %v; %v", len(s.recs), ps, res.Stats)
	if ps.precision < 0.95 || ps.recall < 0.7 || ps.completeness < 0.95 {
		t.Fatalf("%v: want precision ≥ 0.95, recall ≥ 0.7, pair completeness ≥ 0.95", ps)
	}
}

// TestCannotLink builds a chain of records that all score as one person,
// and checks that records with different valid IINs, different sex or far
// apart birth years never end in one cluster.
func TestCannotLink(t *testing.T) {
	m, _ := model(t)
	iin := func(d time.Time, sex habeas.Sex, serial int) string {
		for ; ; serial++ {
			if s, ok := habeas.MakeIIN(d, sex, serial); ok {
				return string(s)
			}
		}
	}
	born := time.Date(1990, 5, 12, 0, 0, 0, 0, time.UTC)
	date := linkage.DateOf(born)
	tests := []struct {
		name string
		recs []linkage.Record
		// apart lists the pairs (by id) that must not share a cluster;
		// together those that must.
		apart, together [][2]string
	}{
		{
			name: "twins with different IINs and a report that fits both",
			recs: []linkage.Record{
				{ID: "a", FullName: "Серикбаев Айдос Ерланович", BirthDate: date, IDNumber: iin(born, habeas.SexMale, 1), Region: "Алматы"},
				{ID: "b", FullName: "Aidos Serikbayev", BirthDate: date, Region: "Almaty"},
				{ID: "c", FullName: "СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ", BirthDate: date, IDNumber: iin(born, habeas.SexMale, 500), Region: "Алматы"},
			},
			apart: [][2]string{{"a", "c"}},
		},
		{
			name: "different sex",
			recs: []linkage.Record{
				{ID: "a", FullName: "Жанар Касымова", BirthDate: date, Sex: habeas.SexFemale},
				{ID: "b", FullName: "Zhanar Kasymova", BirthDate: date},
				{ID: "c", FullName: "Жанар Касымов", BirthDate: date, Sex: habeas.SexMale},
			},
			apart: [][2]string{{"a", "c"}},
		},
		{
			name: "birth years far apart, a slip of one digit allowed",
			recs: []linkage.Record{
				{ID: "a", FullName: "Ерлан Омаров Болатович", BirthDate: linkage.Date{Year: 1962}, Region: "Атырау", Address: "Абая 10 5"},
				{ID: "b", FullName: "Erlan Omarov", Region: "Atyrau", Address: "Абая 10 5"},
				{ID: "c", FullName: "Омаров Ерлан Болатович", BirthDate: linkage.Date{Year: 1988}, Region: "Атырау", Address: "Абая 10 5"},
				{ID: "d", FullName: "Омаров Ерлан Болатович", BirthDate: linkage.Date{Year: 1968}, Region: "Атырау", Address: "Абая 10 5"},
			},
			apart:    [][2]string{{"a", "c"}, {"c", "d"}},
			together: [][2]string{{"a", "d"}},
		},
		{
			name: "one IIN joins reports whatever else they say",
			recs: []linkage.Record{
				{ID: "a", FullName: "Серикбаев Айдос", IDNumber: iin(born, habeas.SexMale, 1)},
				{ID: "b", FullName: "Serikbaev A.", BirthDate: linkage.Date{Year: 1990}, IDNumber: iin(born, habeas.SexMale, 1)},
			},
			together: [][2]string{{"a", "b"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := linkage.Link(tt.recs, linkage.Options{Model: m})
			if err != nil {
				t.Fatal(err)
			}
			cl := map[string]string{}
			for i, r := range tt.recs {
				cl[r.ID] = res.Clusters[i]
			}
			for _, p := range tt.apart {
				if cl[p[0]] == cl[p[1]] {
					t.Errorf("%s and %s share cluster %s: %v", p[0], p[1], cl[p[0]], res.Clusters)
				}
			}
			for _, p := range tt.together {
				if cl[p[0]] != cl[p[1]] {
					t.Errorf("%s and %s are apart: %v", p[0], p[1], res.Clusters)
				}
			}
			if len(tt.apart) > 0 && res.Stats.RefusedMerges == 0 {
				t.Errorf("no merge was refused: the chain did not test the constraint (%v)", res.Stats)
			}
		})
	}
}

// TestDeterminism checks that the result depends only on the records:
// not on the number of workers nor on the order the records come in.
func TestDeterminism(t *testing.T) {
	s := generate(2000, 9)
	one, err := linkage.Link(s.recs, linkage.Options{AgeReference: ageRef, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	two, _ := linkage.Link(s.recs, linkage.Options{AgeReference: ageRef, Workers: 2})
	if !slices.Equal(one.Clusters, two.Clusters) || !slices.Equal(one.Review, two.Review) {
		t.Fatal("one worker and two gave different results")
	}
	// Shuffled input: every record keeps its cluster id.
	perm := rand.New(rand.NewPCG(1, 2)).Perm(len(s.recs))
	shuffled := make([]linkage.Record, len(s.recs))
	for i, p := range perm {
		shuffled[i] = s.recs[p]
	}
	sh, _ := linkage.Link(shuffled, linkage.Options{AgeReference: ageRef})
	for i, p := range perm {
		if sh.Clusters[i] != one.Clusters[p] {
			t.Fatalf("record %s: cluster %s in input order, %s shuffled", s.recs[p].ID, one.Clusters[p], sh.Clusters[i])
		}
	}
	if one.Model.Lambda != sh.Model.Lambda || len(one.Review) != len(sh.Review) {
		t.Fatal("shuffling the input changed the model or the review queue")
	}
	// Cluster ids are the smallest record id of each cluster.
	smallest := map[string]string{}
	for i, c := range one.Clusters {
		if m, ok := smallest[c]; !ok || s.recs[i].ID < m {
			smallest[c] = s.recs[i].ID
		}
	}
	for c, m := range smallest {
		if c != m {
			t.Fatalf("cluster %s has smallest member %s", c, m)
		}
	}
}

// TestReviewQueue checks the uncertain band: every pair in it is within
// the band, the most uncertain first, and its probability is the one the
// model's explanation gives.
func TestReviewQueue(t *testing.T) {
	s := generate(2000, 5)
	opt := linkage.Options{AgeReference: ageRef, ReviewLow: 0.1, ReviewHigh: 0.95}
	res, err := linkage.Link(s.recs, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Review) == 0 {
		t.Fatal("no pair in the uncertain band")
	}
	prev := -1.0
	for k, p := range res.Review {
		if p.Probability < 0.1-1e-6 || p.Probability > 0.95+1e-6 || p.I >= p.J || s.recs[p.I].ID != p.A || s.recs[p.J].ID != p.B {
			t.Fatalf("review pair %d: %+v", k, p)
		}
		if d := math.Abs(p.Probability - 0.5); d < prev-1e-6 {
			t.Fatalf("review pair %d (p=%v) is less uncertain than the one before", k, p.Probability)
		} else {
			prev = d
		}
		if p.Merged != (res.Clusters[p.I] == res.Clusters[p.J]) {
			t.Fatalf("review pair %d: merged %v, clusters %s and %s", k, p.Merged, res.Clusters[p.I], res.Clusters[p.J])
		}
		if k < 50 {
			e := res.Model.Explain(s.recs[p.I], s.recs[p.J])
			if math.Abs(e.Weight-p.Weight) > 1e-3 {
				t.Fatalf("review pair %d: weight %v, explanation %v\n%s", k, p.Weight, e.Weight, e)
			}
		}
	}
}

func TestLinkRejects(t *testing.T) {
	tests := []struct {
		name string
		recs []linkage.Record
		opt  linkage.Options
	}{
		{"duplicate id", []linkage.Record{{ID: "a", FullName: "Айдос"}, {ID: "a", FullName: "Ерлан"}}, linkage.Options{}},
		{"empty id", []linkage.Record{{FullName: "Айдос"}}, linkage.Options{}},
		{"empty name", []linkage.Record{{ID: "a"}}, linkage.Options{}},
		{"threshold 1", []linkage.Record{{ID: "a", FullName: "Айдос"}}, linkage.Options{Threshold: 1}},
		{"band upside down", []linkage.Record{{ID: "a", FullName: "Айдос"}}, linkage.Options{ReviewLow: 0.9, ReviewHigh: 0.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := linkage.Link(tt.recs, tt.opt); habeas.ErrorCode(err) != habeas.EINVALID {
				t.Fatalf("got %v, want an invalid-input error", err)
			}
		})
	}
	res, err := linkage.Link(nil, linkage.Options{})
	if err != nil || len(res.Clusters) != 0 {
		t.Fatalf("no records: got %v, %v", res, err)
	}
	res, err = linkage.Link([]linkage.Record{{ID: "only", FullName: "Айдос"}}, linkage.Options{})
	if err != nil || len(res.Clusters) != 1 || res.Clusters[0] != "only" {
		t.Fatalf("one record: got %v, %v", res, err)
	}
	if ms := linkage.NewIndex(nil, linkage.Options{}).Match(linkage.Record{ID: "q", FullName: "Айдос"}, 3); len(ms) != 0 {
		t.Fatalf("empty index matched %v", ms)
	}
}

// TestMatch indexes a synthetic set and queries it with other reports of
// indexed persons, written differently: the indexed report of the same
// person should come first.
func TestMatch(t *testing.T) {
	m, _ := model(t)
	s := generate(3000, 13)
	// Index the first report of each person; query with the others.
	var index, queries []linkage.Record
	var want []string
	first := map[string]string{}
	for i, r := range s.recs {
		if id, ok := first[s.truth[i]]; ok {
			queries = append(queries, r)
			want = append(want, id)
			continue
		}
		first[s.truth[i]] = r.ID
		index = append(index, r)
	}
	ix := linkage.NewIndex(index, linkage.Options{AgeReference: ageRef})
	if !ix.Model().PriorM {
		t.Error("an index of one report per person should fall back on the prior m")
	}
	if ix.Len() != len(index) {
		t.Fatalf("index holds %d records, want %d", ix.Len(), len(index))
	}
	top1, found := 0, 0
	for k, q := range queries {
		ms := ix.Match(q, 5)
		for r, mt := range ms {
			if r > 0 && (mt.Weight > ms[r-1].Weight || mt.Weight == ms[r-1].Weight && mt.RecordID < ms[r-1].RecordID) {
				t.Fatalf("query %s: matches out of order: %v", q.ID, ms)
			}
			if mt.RecordID == want[k] {
				found++
				if r == 0 {
					top1++
				}
			}
		}
	}
	r1, r5 := float64(top1)/float64(len(queries)), float64(found)/float64(len(queries))
	t.Logf("%d queries on %d records: right record first %.3f, in the top 5 %.3f", len(queries), len(index), r1, r5)
	if r1 < 0.8 || r5 < 0.9 {
		t.Fatalf("right record first for %.3f of queries, in the top 5 for %.3f; want ≥ 0.8 and ≥ 0.9", r1, r5)
	}
	// A query in another script finds its person first.
	ix = linkage.NewIndex([]linkage.Record{
		{ID: "x1", FullName: "Серікбаев Айдос Ерланұлы", BirthDate: linkage.Date{Year: 1990, Month: 5, Day: 12}},
		{ID: "x2", FullName: "Серікбаев Ерлан Айдосұлы", BirthDate: linkage.Date{Year: 1965, Month: 1, Day: 3}},
		{ID: "x3", FullName: "Қасымов Айдос", BirthDate: linkage.Date{Year: 1990, Month: 5, Day: 12}},
	}, linkage.Options{Model: m})
	ms := ix.Match(linkage.Record{ID: "q", FullName: "Aidos Serikbayev", Age: 31}, 3)
	if len(ms) == 0 || ms[0].RecordID != "x1" {
		t.Fatalf("got %v, want x1 first", ms)
	}
	if got := ix.Match(linkage.Record{ID: "q", FullName: "Aidos Serikbayev"}, 0); got != nil {
		t.Fatalf("k=0 gave %v", got)
	}
}

// TestSiblingsApart links a short list as a user would, with no model given:
// the sibling's full birth date, years from his brother's, keeps him apart
// even though name-only reports could chain the two.
func TestSiblingsApart(t *testing.T) {
	ref := time.Date(2022, 1, 15, 0, 0, 0, 0, time.UTC)
	recs := []linkage.Record{
		{ID: "a1", FullName: "СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ", BirthDate: linkage.Date{Year: 1998, Month: 3, Day: 14}, Sex: habeas.SexMale, Citizenship: "KZ", Region: "Almaty"},
		{ID: "a2", FullName: "Айдос Серикбаев", Age: 23, Region: "Almaty"},
		{ID: "a3", FullName: "Serikbayev Aidos", BirthDate: linkage.Date{Year: 1998, Month: 3, Day: 14}, Sex: habeas.SexMale, Citizenship: "Kazakhstan"},
		{ID: "a4", FullName: "Aidos Serikbaev"},
		{ID: "b1", FullName: "СЕРІКБАЕВ АЙДАР ЕРЛАНҰЛЫ", BirthDate: linkage.Date{Year: 2001, Month: 7, Day: 2}, Sex: habeas.SexMale, Citizenship: "KZ", Region: "Almaty"},
		{ID: "c1", FullName: "Тестова Әсел Маратқызы", BirthDate: linkage.Date{Year: 1990, Month: 1, Day: 5}, Sex: habeas.SexFemale, Region: "Aktau"},
		{ID: "c2", FullName: "Assel Testova", BirthDate: linkage.Date{Year: 1990, Month: 1, Day: 5}, Sex: habeas.SexFemale},
	}
	res, err := linkage.Link(recs, linkage.Options{AgeReference: ref})
	if err != nil {
		t.Fatal(err)
	}
	cl := map[string]string{}
	for i, r := range recs {
		cl[r.ID] = res.Clusters[i]
	}
	if cl["b1"] == cl["a1"] || cl["b1"] == cl["a3"] {
		t.Fatalf("the sibling shares a cluster with his brother: %v", res.Clusters)
	}
	if cl["a1"] != cl["a3"] || cl["c1"] != cl["c2"] {
		t.Fatalf("reports of one person are apart: %v", res.Clusters)
	}
}
