package habeas_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
)

// validPerson returns a valid, synthetic person born 1990-02-15, male, with
// an IIN made for that date and sex.
func validPerson(t *testing.T) *habeas.Person {
	t.Helper()
	return &habeas.Person{
		ID: perA,
		Names: []habeas.NameVariant{
			{Text: "Ерлан Синтетов", Script: "Cyrl", Kind: habeas.NameAsWritten, SourceID: srcA},
			{Text: "Erlan Sintetov", Script: "Latn", Kind: habeas.NameTransliteration},
		},
		Birth:        habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1990-02-15"},
		Sex:          habeas.SexMale,
		Citizenships: []string{"KZ"},
		IIN:          mustIIN(t, date(1990, 2, 15), habeas.SexMale),
		HomeRegion:   "Mangystau",
		Sources:      []string{srcA, srcB},
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestPersonValidate(t *testing.T) {
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Person)
		field  string
	}{
		{"bad id", func(p *habeas.Person) { p.ID = srcA }, "id"},
		{"no names", func(p *habeas.Person) { p.Names = nil }, "names"},
		{"empty name", func(p *habeas.Person) { p.Names[0].Text = " " }, "names[0].text"},
		{"name too long", func(p *habeas.Person) { p.Names[1].Text = strings.Repeat("ұ", 201) }, "names[1].text"},
		{"no script", func(p *habeas.Person) { p.Names[0].Script = "" }, "names[0].script"},
		{"unknown script", func(p *habeas.Person) { p.Names[1].Script = "Grek" }, "names[1].script"},
		{"no name kind", func(p *habeas.Person) { p.Names[0].Kind = "" }, "names[0].kind"},
		{"unknown name kind", func(p *habeas.Person) { p.Names[1].Kind = "nickname" }, "names[1].kind"},
		{"bad name source", func(p *habeas.Person) { p.Names[0].SourceID = perA }, "names[0].source_id"},
		{"date without precision", func(p *habeas.Person) { p.Birth.Precision = "" }, "birth.precision"},
		{"age without precision", func(p *habeas.Person) { p.Birth = habeas.BirthDate{Age: 30} }, "birth.precision"},
		{"age_at without precision", func(p *habeas.Person) { p.Birth = habeas.BirthDate{AgeAt: "2022-01-05"} }, "birth.precision"},
		{"unknown precision", func(p *habeas.Person) { p.Birth.Precision = "week" }, "birth.precision"},
		{"Feb 30", func(p *habeas.Person) { p.Birth.Date = "1990-02-30" }, "birth.date"},
		{"day precision with month", func(p *habeas.Person) { p.Birth.Date = "1990-02" }, "birth.date"},
		{"day precision dotted", func(p *habeas.Person) { p.Birth.Date = "15.02.1990" }, "birth.date"},
		{"month precision with day", func(p *habeas.Person) {
			p.Birth = habeas.BirthDate{Precision: habeas.PrecisionMonth, Date: "1990-02-15"}
		}, "birth.date"},
		{"month 13", func(p *habeas.Person) { p.Birth = habeas.BirthDate{Precision: habeas.PrecisionMonth, Date: "1990-13"} }, "birth.date"},
		{"month single digit", func(p *habeas.Person) { p.Birth = habeas.BirthDate{Precision: habeas.PrecisionMonth, Date: "1990-2"} }, "birth.date"},
		{"year of two digits", func(p *habeas.Person) { p.Birth = habeas.BirthDate{Precision: habeas.PrecisionYear, Date: "90"} }, "birth.date"},
		{"year precision without date", func(p *habeas.Person) { p.Birth = habeas.BirthDate{Precision: habeas.PrecisionYear} }, "birth.date"},
		{"day precision with age", func(p *habeas.Person) { p.Birth.Age = 31 }, "birth.age"},
		{"day precision with age_at", func(p *habeas.Person) { p.Birth.AgeAt = "2022-01-05" }, "birth.age"},
		{"negative age", func(p *habeas.Person) {
			p.Birth = habeas.BirthDate{Precision: habeas.PrecisionAge, Age: -1, AgeAt: "2022-01-05"}
		}, "birth.age"},
		{"age 121", func(p *habeas.Person) {
			p.Birth = habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 121, AgeAt: "2022-01-05"}
		}, "birth.age"},
		{"age without age_at", func(p *habeas.Person) { p.Birth = habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 31} }, "birth.age_at"},
		{"bad age_at", func(p *habeas.Person) {
			p.Birth = habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 31, AgeAt: "2022-02-30"}
		}, "birth.age_at"},
		{"age with date", func(p *habeas.Person) {
			p.Birth = habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 31, AgeAt: "2022-01-05", Date: "1990"}
		}, "birth.date"},
		{"unknown sex", func(p *habeas.Person) { p.Sex = "m" }, "sex"},
		{"lower-case citizenship", func(p *habeas.Person) { p.Citizenships = []string{"KZ", "kg"} }, "citizenships[1]"},
		{"alpha-3 citizenship", func(p *habeas.Person) { p.Citizenships = []string{"KAZ"} }, "citizenships[0]"},
		{"short IIN", func(p *habeas.Person) { p.IIN = p.IIN[:11] }, "iin"},
		{"IIN with bad check digit", func(p *habeas.Person) { p.IIN = p.IIN[:11] + habeas.IIN(otherDigit(p.IIN[11])) }, "iin"},
		{"home region too long", func(p *habeas.Person) { p.HomeRegion = strings.Repeat("x", 101) }, "home_region"},
		{"bad source", func(p *habeas.Person) { p.Sources = []string{srcA, "src_A"} }, "sources[1]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := validPerson(t)
			tt.mutate(p)
			wantField(t, p.Validate(), tt.field)
		})
	}
}

func TestPersonValidateValid(t *testing.T) {
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Person)
	}{
		{"as given", func(*habeas.Person) {}},
		{"no id", func(p *habeas.Person) { p.ID = "" }},
		{"name of 200", func(p *habeas.Person) { p.Names[0].Text = strings.Repeat("ұ", 200) }},
		{"alias without source", func(p *habeas.Person) { p.Names[1].Kind, p.Names[1].SourceID = habeas.NameAlias, "" }},
		{"mixed script", func(p *habeas.Person) { p.Names[0].Script = "Zyyy" }},
		{"arabic script", func(p *habeas.Person) { p.Names[0].Script = "Arab" }},
		{"no birth", func(p *habeas.Person) { p.Birth, p.IIN = habeas.BirthDate{}, "" }},
		{"leap day", func(p *habeas.Person) { p.Birth.Date, p.IIN = "2000-02-29", "" }},
		{"age 0", func(p *habeas.Person) {
			p.Birth, p.IIN = habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 0, AgeAt: "2022-01-05"}, ""
		}},
		{"age 120", func(p *habeas.Person) {
			p.Birth, p.IIN = habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 120, AgeAt: "2022-01-05"}, ""
		}},
		{"no sex", func(p *habeas.Person) { p.Sex = habeas.SexUnknown }},
		{"no IIN", func(p *habeas.Person) { p.IIN = "" }},
		{"foreigner", func(p *habeas.Person) { p.Citizenships, p.IIN = []string{"KG", "RU"}, "" }},
		{"home region of 100", func(p *habeas.Person) { p.HomeRegion = strings.Repeat("x", 100) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := validPerson(t)
			tt.mutate(p)
			wantValid(t, p.Validate())
		})
	}
}

// TestPersonIINCrossCheck checks the IIN against the recorded sex and birth
// date, at every precision a birth date can have.
func TestPersonIINCrossCheck(t *testing.T) {
	male1990 := mustIIN(t, date(1990, 2, 15), habeas.SexMale)
	female2003 := mustIIN(t, date(2003, 7, 9), habeas.SexFemale)
	female1899 := mustIIN(t, date(1899, 12, 31), habeas.SexFemale)
	day := func(s string) habeas.BirthDate { return habeas.BirthDate{Precision: habeas.PrecisionDay, Date: s} }
	month := func(s string) habeas.BirthDate { return habeas.BirthDate{Precision: habeas.PrecisionMonth, Date: s} }
	year := func(s string) habeas.BirthDate { return habeas.BirthDate{Precision: habeas.PrecisionYear, Date: s} }
	age := func(n int, at string) habeas.BirthDate {
		return habeas.BirthDate{Precision: habeas.PrecisionAge, Age: n, AgeAt: at}
	}
	for _, tt := range []struct {
		name      string
		iin       habeas.IIN
		sex       habeas.Sex
		birth     habeas.BirthDate
		wantValid bool
	}{
		{"day agrees", male1990, habeas.SexMale, day("1990-02-15"), true},
		{"day a day later", male1990, habeas.SexMale, day("1990-02-16"), false},
		{"day a century earlier", male1990, habeas.SexMale, day("1890-02-15"), false},
		{"month agrees", male1990, habeas.SexMale, month("1990-02"), true},
		{"month after", male1990, habeas.SexMale, month("1990-03"), false},
		{"month before", male1990, habeas.SexMale, month("1990-01"), false},
		{"year agrees", male1990, habeas.SexMale, year("1990"), true},
		{"year after", male1990, habeas.SexMale, year("1991"), false},
		{"year before", male1990, habeas.SexMale, year("1989"), false},
		{"age agrees", male1990, habeas.SexMale, age(31, "2022-01-05"), true},
		{"age a year off", male1990, habeas.SexMale, age(32, "2022-01-05"), true},
		{"age far off", male1990, habeas.SexMale, age(25, "2022-01-05"), false},
		{"age far off the other way", male1990, habeas.SexMale, age(36, "2022-01-05"), false},
		{"nothing known", male1990, habeas.SexMale, habeas.BirthDate{}, true},
		{"sex unknown", male1990, habeas.SexUnknown, day("1990-02-15"), true},
		{"sex contradicts", male1990, habeas.SexFemale, day("1990-02-15"), false},
		{"2000s female", female2003, habeas.SexFemale, day("2003-07-09"), true},
		{"2000s female said male", female2003, habeas.SexMale, day("2003-07-09"), false},
		{"2000s read as 1900s", female2003, habeas.SexFemale, year("1903"), false},
		{"1800s female", female1899, habeas.SexFemale, year("1899"), true},
		{"1800s read as 1900s", female1899, habeas.SexFemale, year("1999"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := validPerson(t)
			p.IIN, p.Sex, p.Birth = tt.iin, tt.sex, tt.birth
			err := p.Validate()
			if tt.wantValid {
				wantValid(t, err)
			} else {
				wantField(t, err, "iin")
			}
		})
	}
}

func TestBirthDateRange(t *testing.T) {
	for _, tt := range []struct {
		name   string
		birth  habeas.BirthDate
		lo, hi time.Time
		ok     bool
	}{
		{"day", habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1990-02-15"}, date(1990, 2, 15), date(1990, 2, 15), true},
		{"month", habeas.BirthDate{Precision: habeas.PrecisionMonth, Date: "1990-04"}, date(1990, 4, 1), date(1990, 4, 30), true},
		{"leap February", habeas.BirthDate{Precision: habeas.PrecisionMonth, Date: "2000-02"}, date(2000, 2, 1), date(2000, 2, 29), true},
		{"plain February", habeas.BirthDate{Precision: habeas.PrecisionMonth, Date: "1900-02"}, date(1900, 2, 1), date(1900, 2, 28), true},
		{"year", habeas.BirthDate{Precision: habeas.PrecisionYear, Date: "1990"}, date(1990, 1, 1), date(1990, 12, 31), true},
		// Aged 31 on 2022-01-05: born 1990-01-06..1991-01-05, widened a year either side.
		{"age", habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 31, AgeAt: "2022-01-05"}, date(1989, 1, 6), date(1992, 1, 5), true},
		{"age 0", habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 0, AgeAt: "2022-01-05"}, date(2020, 1, 6), date(2023, 1, 5), true},
		{"unknown", habeas.BirthDate{}, time.Time{}, time.Time{}, false},
		{"bad date", habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1990-02-30"}, time.Time{}, time.Time{}, false},
		{"bad age_at", habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 3, AgeAt: "soon"}, time.Time{}, time.Time{}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi, ok := tt.birth.Range()
			if ok != tt.ok {
				t.Fatalf("ok: got %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if !lo.Equal(tt.lo) || !hi.Equal(tt.hi) {
				t.Errorf("Range: got %v..%v, want %v..%v", lo.Format(time.DateOnly), hi.Format(time.DateOnly), tt.lo.Format(time.DateOnly), tt.hi.Format(time.DateOnly))
			}
		})
	}
}

func TestBirthDateConsistent(t *testing.T) {
	age := habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 31, AgeAt: "2022-01-05"}
	month := habeas.BirthDate{Precision: habeas.PrecisionMonth, Date: "1990-02"}
	for _, tt := range []struct {
		name  string
		birth habeas.BirthDate
		d     time.Time
		want  bool
	}{
		{"age lower bound", age, date(1989, 1, 6), true},
		{"age below lower bound", age, date(1989, 1, 5), false},
		{"age upper bound", age, date(1992, 1, 5), true},
		{"age above upper bound", age, date(1992, 1, 6), false},
		{"month first day", month, date(1990, 2, 1), true},
		{"month last day", month, date(1990, 2, 28), true},
		{"month day after", month, date(1990, 3, 1), false},
		{"month day before", month, date(1990, 1, 31), false},
		{"unknown allows anything", habeas.BirthDate{}, date(1850, 1, 1), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.birth.Consistent(tt.d); got != tt.want {
				t.Errorf("Consistent(%v): got %v, want %v", tt.d.Format(time.DateOnly), got, tt.want)
			}
		})
	}
}

func TestPersonNormalize(t *testing.T) {
	p := &habeas.Person{
		Names: []habeas.NameVariant{
			{Text: "  Айгерім \t  Үлгібаева \n"},
			{Text: "Aigerim Ulgibaeva", Kind: habeas.NameTransliteration},
			{Text: "Aigerim", Script: "Zyyy", Kind: habeas.NameAlias},
			{Text: "Aigerim Үлгібаева"},
			{Text: "Серiкбаев Ерлан"},
		},
		Citizenships: []string{" kz", "Kg "},
		IIN:          " 030709600019\n",
		Sources:      []string{srcB, srcA, srcB, ""},
	}
	p.Normalize()
	want := []habeas.NameVariant{
		{Text: "Айгерім Үлгібаева", Script: "Cyrl", Kind: habeas.NameAsWritten},
		{Text: "Aigerim Ulgibaeva", Script: "Latn", Kind: habeas.NameTransliteration},
		{Text: "Aigerim", Script: "Zyyy", Kind: habeas.NameAlias},
		{Text: "Aigerim Үлгібаева", Script: "Zyyy", Kind: habeas.NameAsWritten},
		{Text: "Серiкбаев Ерлан", Script: "Cyrl", Kind: habeas.NameAsWritten},
	}
	if !slices.Equal(p.Names, want) {
		t.Errorf("Names: got %v, want %v", p.Names, want)
	}
	if got, want := p.Citizenships, []string{"KZ", "KG"}; !slices.Equal(got, want) {
		t.Errorf("Citizenships: got %v, want %v", got, want)
	}
	if got, want := p.IIN, habeas.IIN("030709600019"); got != want {
		t.Errorf("IIN: got %q, want %q", got, want)
	}
	if got, want := p.Sources, []string{srcA, srcB}; !slices.Equal(got, want) {
		t.Errorf("Sources: got %v, want %v", got, want)
	}
}

func TestPersonAccessors(t *testing.T) {
	p := validPerson(t)
	if got, want := p.DisplayName(), "Ерлан Синтетов"; got != want {
		t.Errorf("DisplayName: got %v, want %v", got, want)
	}
	if got := (&habeas.Person{}).DisplayName(); got != "" {
		t.Errorf("DisplayName without names: got %q, want empty", got)
	}
	for _, tt := range []struct {
		name         string
		citizenships []string
		want         bool
	}{
		{"none", nil, false},
		{"KZ", []string{"KZ"}, false},
		{"KG", []string{"KG"}, true},
		{"KZ and RU", []string{"KZ", "RU"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := &habeas.Person{Citizenships: tt.citizenships}
			if got := p.IsForeign(); got != tt.want {
				t.Errorf("IsForeign: got %v, want %v", got, tt.want)
			}
		})
	}
	p.Names[1].SourceID = "src_test0003"
	wantRefs := []habeas.Ref{
		{Field: "sources", Kind: habeas.KindSource, ID: srcA},
		{Field: "sources", Kind: habeas.KindSource, ID: srcB},
		{Field: "names[0].source_id", Kind: habeas.KindSource, ID: srcA},
		{Field: "names[1].source_id", Kind: habeas.KindSource, ID: "src_test0003"},
	}
	if got := p.Refs(); !slices.Equal(got, wantRefs) {
		t.Errorf("Refs: got %v, want %v", got, wantRefs)
	}
	if got, want := p.SourceIDs(), []string{srcA, srcB, "src_test0003"}; !slices.Equal(got, want) {
		t.Errorf("SourceIDs: got %v, want %v", got, want)
	}
}
