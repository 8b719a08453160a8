package dedup

import (
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/linkage"
)

func TestBestName(t *testing.T) {
	tests := []struct {
		name  string
		names []habeas.NameVariant
		want  string
	}{
		{"the only one", []habeas.NameVariant{{Text: "Айдос Серикбаев", Kind: habeas.NameAsWritten}}, "Айдос Серикбаев"},
		{"the one with a patronymic", []habeas.NameVariant{
			{Text: "Айдос Серикбаев", Kind: habeas.NameAsWritten},
			{Text: "СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ", Kind: habeas.NameAsWritten},
		}, "СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ"},
		{"a full given name over an initial", []habeas.NameVariant{
			{Text: "Серикбаев А.", Kind: habeas.NameAsWritten},
			{Text: "Serikbayev Aidos", Kind: habeas.NameTransliteration},
		}, "Serikbayev Aidos"},
		{"as written over a transliteration", []habeas.NameVariant{
			{Text: "Serikbayev Aidos", Kind: habeas.NameTransliteration},
			{Text: "Серикбаев Айдос", Kind: habeas.NameAsWritten},
		}, "Серикбаев Айдос"},
		{"the first of equals", []habeas.NameVariant{
			{Text: "Серикбаев Айдос", Kind: habeas.NameAsWritten},
			{Text: "Serikbayev Aidos", Kind: habeas.NameAsWritten},
		}, "Серикбаев Айдос"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := bestName(tt.names)
			if !ok || got.Text != tt.want {
				t.Errorf("bestName = %q, %v; want %q", got.Text, ok, tt.want)
			}
		})
	}
	if _, ok := bestName(nil); ok {
		t.Error("bestName(nil) found a name")
	}
}

func TestRecord(t *testing.T) {
	ref := time.Date(2022, 1, 20, 0, 0, 0, 0, time.UTC)
	base := habeas.Person{ID: "per_aaaaaaaaaaaaaaaa", Names: []habeas.NameVariant{{Text: "Айдос Серикбаев", SourceID: "src_aaaaaaaaaaaaaaaa"}},
		Sex: habeas.SexMale, Citizenships: []string{"KZ", "RU"}, HomeRegion: "Алматы", IIN: "900512300011"}
	tests := []struct {
		name  string
		birth habeas.BirthDate
		date  linkage.Date
		age   int
	}{
		{"day", habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1990-05-12"}, linkage.Date{Year: 1990, Month: 5, Day: 12}, 0},
		{"month", habeas.BirthDate{Precision: habeas.PrecisionMonth, Date: "1990-05"}, linkage.Date{Year: 1990, Month: 5}, 0},
		{"year", habeas.BirthDate{Precision: habeas.PrecisionYear, Date: "1990"}, linkage.Date{Year: 1990}, 0},
		{"age on the reference date", habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 31, AgeAt: "2022-01-20"}, linkage.Date{}, 31},
		{"age a year before", habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 30, AgeAt: "2021-01-06"}, linkage.Date{}, 31},
		{"age later in the year before", habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 30, AgeAt: "2021-06-01"}, linkage.Date{}, 30},
		{"unknown", habeas.BirthDate{}, linkage.Date{}, 0},
		{"a year linkage refuses", habeas.BirthDate{Precision: habeas.PrecisionYear, Date: "1890"}, linkage.Date{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base
			p.Birth = tt.birth
			r := record(&p, ref)
			if r.BirthDate != tt.date || r.Age != tt.age {
				t.Errorf("birth date %v, age %d; want %v, %d", r.BirthDate, r.Age, tt.date, tt.age)
			}
			if r.ID != p.ID || r.FullName != "Айдос Серикбаев" || r.Source != "src_aaaaaaaaaaaaaaaa" || r.Sex != habeas.SexMale ||
				r.Citizenship != "KZ" || r.Region != "Алматы" || r.IDNumber != "900512300011" {
				t.Errorf("record = %+v", r)
			}
		})
	}
}

func TestAgeReference(t *testing.T) {
	ps := map[string]*habeas.Person{
		"a": {Birth: habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 30, AgeAt: "2022-01-06"}},
		"b": {Birth: habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 40, AgeAt: "2022-01-09"}},
		"c": {Birth: habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "2023-01-01"}},
	}
	if got, want := ageReference(ps), time.Date(2022, 1, 9, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("ageReference = %v, want %v", got, want)
	}
	if got := ageReference(map[string]*habeas.Person{"c": ps["c"]}); !got.IsZero() {
		t.Errorf("ageReference without ages = %v, want zero", got)
	}
}
