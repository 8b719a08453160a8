package linkage_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/habeas-project/habeas/linkage"
)

// weight returns the weight of a level of a field in a model.
func weight(t *testing.T, m *linkage.Model, field, lvl string) linkage.LevelModel {
	t.Helper()
	for _, f := range m.Fields {
		if f.Name != field {
			continue
		}
		for _, l := range f.Levels {
			if l.Name == lvl {
				return l
			}
		}
	}
	t.Fatalf("model has no level %s of %s", lvl, field)
	return linkage.LevelModel{}
}

// TestEMConverges fits the model on a synthetic set whose truth is known
// and checks that EM converged to sensible values: agreement levels weigh
// for a match and disagreement against, m sums to one, and the prior is
// within a factor of two of the true share of matching pairs.
func TestEMConverges(t *testing.T) {
	m, s := model(t)
	if !m.Converged || m.Iterations == 0 {
		t.Fatalf("EM did not converge: %d iterations", m.Iterations)
	}
	for _, f := range m.Fields {
		sumM, sumU := 0.0, 0.0
		for _, l := range f.Levels[1:] {
			sumM += l.M
			sumU += l.U
		}
		if math.Abs(sumM-1) > 1e-6 || math.Abs(sumU-1) > 1e-6 {
			t.Errorf("%s: m sums to %v, u to %v; want 1", f.Name, sumM, sumU)
		}
	}
	for _, c := range []struct {
		field, agree, disagree string
	}{
		{"surname", "exact", "different"},
		{"given_name", "exact", "different"},
		{"patronymic", "exact", "different"},
		{"birth_date", "exact", "different"},
		{"birth_date", "near", "different"},
		{"birth_date", "age_agrees", "different"},
		{"sex", "agree", "different"},
		{"id_number", "iin_equal", "iin_conflict"},
	} {
		a, d := weight(t, m, c.field, c.agree), weight(t, m, c.field, c.disagree)
		if !(a.Weight > 0 && d.Weight < 0) {
			t.Errorf("%s: %s weighs %+.2f and %s %+.2f; want agreement for and disagreement against", c.field, c.agree, a.Weight, c.disagree, d.Weight)
		}
	}
	if w := weight(t, m, "birth_date", "exact"); w.Weight <= weight(t, m, "surname", "exact").Weight {
		t.Errorf("an exact birth date (%+.2f) should say more than an exact surname", w.Weight)
	}
	// The true share of matching pairs.
	per := map[string]int{}
	for _, p := range s.truth {
		per[p]++
	}
	matches := 0.0
	for _, n := range per {
		matches += float64(n * (n - 1) / 2)
	}
	n := float64(len(s.recs))
	truth := matches / (n * (n - 1) / 2)
	if r := m.Lambda / truth; r < 0.5 || r > 2 {
		t.Errorf("prior %.3g, true share of matching pairs %.3g", m.Lambda, truth)
	}
	t.Logf("EM: %d iterations, prior %.3g (truth %.3g), %d candidate pairs, %.3f of them matches",
		m.Iterations, m.Lambda, truth, m.CandidatePairs, m.CandidateLambda)
}

// TestTermFrequency checks that agreeing on a common surname weighs less
// than agreeing on a rare one.
func TestTermFrequency(t *testing.T) {
	var recs []linkage.Record
	given := []string{"Айдос", "Ерлан", "Нурлан", "Кайрат", "Асель", "Жанар", "Марат", "Серик", "Данияр", "Динара"}
	for i := 0; i < 400; i++ {
		sur := "Ахметов" // the common surname
		if i%4 == 0 {
			sur = fmt.Sprintf("%sбеков", []string{"Тұрлы", "Жолдас", "Ақыл", "Темір", "Сұлтан"}[i/4%5]+string([]rune("абвгдежзиклмнопрстуфх")[i/20%20]))
		}
		recs = append(recs, linkage.Record{ID: fmt.Sprint("r", i), FullName: given[i%10] + " " + sur,
			BirthDate: linkage.Date{Year: 1960 + i%40, Month: 1 + i%12, Day: 1 + i%28}})
	}
	m, err := linkage.Fit(recs, linkage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	common := m.Explain(linkage.Record{ID: "a", FullName: "Айдос Ахметов"}, linkage.Record{ID: "b", FullName: "Aidos Akhmetov"})
	rare := m.Explain(linkage.Record{ID: "a", FullName: "Айдос Жолдасбеков"}, linkage.Record{ID: "b", FullName: "Aidos Zholdasbekov"})
	tf := func(e linkage.Explanation) float64 { return e.Fields[0].TF }
	if level(common, "surname") != "exact" || level(rare, "surname") != "exact" {
		t.Fatalf("surnames do not agree exactly:\n%s\n%s", common, rare)
	}
	if !(tf(common) < 0 && tf(common) < tf(rare) && common.Weight < rare.Weight) {
		t.Fatalf("common surname: tf %+.2f, weight %+.2f; rare: tf %+.2f, weight %+.2f; want the common one lower\n%s\n%s",
			tf(common), common.Weight, tf(rare), rare.Weight, common, rare)
	}
}
