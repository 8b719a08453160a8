package linkage_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/linkage"
)

var (
	fitOnce   sync.Once
	fitted    *linkage.Model
	fittedSet synth
)

// model returns a model fitted on 5,000 synthetic persons, once per run.
func model(t testing.TB) (*linkage.Model, synth) {
	t.Helper()
	fitOnce.Do(func() {
		fittedSet = generate(5000, 42)
		m, err := linkage.Fit(fittedSet.recs, linkage.Options{AgeReference: ageRef})
		if err != nil {
			panic(err)
		}
		fitted = m
	})
	return fitted, fittedSet
}

// level returns the level of field in an explanation.
func level(e linkage.Explanation, field string) string {
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Level
		}
	}
	return "(no such field)"
}

func TestLevels(t *testing.T) {
	m, _ := model(t)
	iin1, iin2 := "900512300011", "900512300021"
	for _, s := range []string{iin1, iin2} {
		if !habeas.IIN(s).Valid() {
			t.Fatalf("test IIN %s is not valid", s)
		}
	}
	base := linkage.Record{ID: "a", FullName: "Серікбаев Айдос Ерланұлы"}
	tests := []struct {
		name  string
		a, b  linkage.Record
		field string
		want  string
	}{
		{"names across scripts and order", base, linkage.Record{FullName: "Aidos Serikbayev"}, "surname", "exact"},
		{"given across scripts", base, linkage.Record{FullName: "Aidos Serikbayev"}, "given_name", "exact"},
		{"patronymic missing", base, linkage.Record{FullName: "Aidos Serikbayev"}, "patronymic", "null"},
		{"patronymic Kazakh and Russian", base, linkage.Record{FullName: "Серикбаев Айдос Ерланович"}, "patronymic", "exact"},
		{"patronymic initial", base, linkage.Record{FullName: "Серикбаев А. Е."}, "patronymic", "initial"},
		{"given initial", base, linkage.Record{FullName: "Серикбаев А. Е."}, "given_name", "initial"},
		{"given initial of another name", base, linkage.Record{FullName: "Серикбаев Б. Е."}, "given_name", "different"},
		{"surname typo", base, linkage.Record{FullName: "Серикбаеов Айдос"}, "surname", "close"},
		{"surname different", base, linkage.Record{FullName: "Касымов Айдос"}, "surname", "different"},
		{"feminine surname", linkage.Record{FullName: "Серикбаева Асель"}, linkage.Record{FullName: "Asel Serikbayev"}, "surname", "exact"},
		{"roles swapped", linkage.Record{FullName: "Серик Айдос"}, linkage.Record{FullName: "Айдос Серик"}, "surname", "exact"},
		{"birth exact", bd(base, 1990, 5, 12), bd(base, 1990, 5, 12), "birth_date", "exact"},
		{"birth one day", bd(base, 1990, 5, 12), bd(base, 1990, 5, 13), "birth_date", "near"},
		{"birth across a month", bd(base, 1990, 5, 31), bd(base, 1990, 6, 1), "birth_date", "near"},
		{"birth day and month swapped", bd(base, 1990, 5, 12), bd(base, 1990, 12, 5), "birth_date", "near"},
		{"birth same year", bd(base, 1990, 5, 12), bd(base, 1990, 8, 1), "birth_date", "same_year"},
		{"birth year only", bd(base, 1990, 5, 12), bd(base, 1990, 0, 0), "birth_date", "same_year"},
		{"birth two years", bd(base, 1990, 5, 12), bd(base, 1992, 1, 1), "birth_date", "within_2_years"},
		{"birth far", bd(base, 1990, 5, 12), bd(base, 1975, 5, 12), "birth_date", "different"},
		{"age and birth date", bd(base, 1990, 5, 12), age(base, 31), "birth_date", "age_agrees"},
		{"age and birth date off", bd(base, 1990, 5, 12), age(base, 45), "birth_date", "different"},
		{"ages", age(base, 31), age(base, 32), "birth_date", "age_agrees"},
		{"no birth", base, base, "birth_date", "null"},
		{"birth from IIN", id(base, iin1), bd(base, 1990, 5, 12), "birth_date", "exact"},
		{"sex agrees", sex(base, habeas.SexMale), sex(base, habeas.SexMale), "sex", "agree"},
		{"sex from IIN", id(base, iin1), sex(base, habeas.SexFemale), "sex", "different"},
		{"citizenship across scripts", cit(base, "Казахстан"), cit(base, "KZ"), "citizenship", "agree"},
		{"citizenship different", cit(base, "Қазақстан"), cit(base, "Кыргызстан"), "citizenship", "different"},
		{"region across scripts", reg(base, "Алматы"), reg(base, "ALMATY"), "region", "agree"},
		{"region adjective", reg(base, "Карагандинская область"), reg(base, "Karaganda region"), "region", "agree"},
		{"IIN equal", id(base, iin1), id(base, iin1), "id_number", "iin_equal"},
		{"IIN conflict", id(base, iin1), id(base, iin2), "id_number", "iin_conflict"},
		{"IIN slip", id(base, iin1), id(base, "900512300012"), "id_number", "one_digit_off"},
		{"other id equal", id(base, "N 1234567"), id(base, "n1234567"), "id_number", "id_equal"},
		{"address same", addr(base, "ул. Абая, д. 10, кв. 5"), addr(base, "Abaya 10 5"), "address", "exact"},
		{"address overlap", addr(base, "ул. Абая, д. 10, кв. 5"), addr(base, "Абая 10"), "address", "overlap"},
		{"address different", addr(base, "ул. Абая, д. 10"), addr(base, "Достык 2"), "address", "different"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.b.ID = "b"
			e := m.Explain(tt.a, tt.b)
			if got := level(e, tt.field); got != tt.want {
				t.Fatalf("%s: got %s, want %s\n%s", tt.field, got, tt.want, e)
			}
		})
	}
}

func bd(r linkage.Record, y, mo, d int) linkage.Record {
	r.BirthDate = linkage.Date{Year: y, Month: mo, Day: d}
	return r
}

func age(r linkage.Record, a int) linkage.Record { r.Age = a; return r }

func sex(r linkage.Record, s habeas.Sex) linkage.Record { r.Sex = s; return r }

func cit(r linkage.Record, c string) linkage.Record { r.Citizenship = c; return r }

func reg(r linkage.Record, c string) linkage.Record { r.Region = c; return r }

func id(r linkage.Record, s string) linkage.Record { r.IDNumber = s; return r }

func addr(r linkage.Record, s string) linkage.Record { r.Address = s; return r }

func TestExplanation(t *testing.T) {
	m, _ := model(t)
	a := linkage.Record{ID: "a", FullName: "СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ", BirthDate: linkage.Date{Year: 1990, Month: 5, Day: 12}, Sex: habeas.SexMale}
	b := linkage.Record{ID: "b", FullName: "Aidos Serikbayev", Age: 31, Region: "Almaty"}
	e := m.Explain(a, b)
	if e.A != "a" || e.B != "b" || len(e.Fields) != len(m.Fields) {
		t.Fatalf("got ids %s, %s and %d fields; want a, b and %d", e.A, e.B, len(e.Fields), len(m.Fields))
	}
	sum := e.Prior
	for _, f := range e.Fields {
		sum += f.Weight + f.TF
		if f.Level == "null" && (f.Weight != 0 || f.TF != 0) {
			t.Errorf("%s: a null level weighs %v (tf %v)", f.Field, f.Weight, f.TF)
		}
	}
	if d := sum - e.Weight; d > 1e-9 || d < -1e-9 {
		t.Errorf("weights add up to %v, total says %v", sum, e.Weight)
	}
	if e.Probability <= 0.5 {
		t.Errorf("probability %v for two reports of one person, want > 0.5\n%s", e.Probability, e)
	}
	s := e.String()
	for _, want := range []string{"a ~ b", "probability", "surname", "exact", "serikbaev", "age_agrees", "prior", "tf"} {
		if !strings.Contains(s, want) {
			t.Errorf("explanation lacks %q:\n%s", want, s)
		}
	}
	c := linkage.Record{ID: "c", FullName: "Aidos Serikbayev", Sex: habeas.SexFemale}
	if e := m.Explain(a, c); !strings.Contains(e.String(), "cannot link: different sex") || e.CannotLink == "" {
		t.Errorf("explanation of a pair of different sex:\n%s", e)
	}
}
