package linkeval

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/habeas-project/habeas"
)

func TestGenerateIsReproducible(t *testing.T) {
	a, ta := Generate(GenOptions{Persons: 300, Seed: 11})
	b, tb := Generate(GenOptions{Persons: 300, Seed: 11})
	if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(ta, tb) {
		t.Fatal("the same seed gave different data")
	}
	c, _ := Generate(GenOptions{Persons: 300, Seed: 12})
	if reflect.DeepEqual(a, c) {
		t.Fatal("different seeds gave the same data")
	}
}

func TestGenerateTruthAndReports(t *testing.T) {
	const persons = 2000
	rows, truth := Generate(GenOptions{Persons: persons, Seed: 1})
	if len(truth) != len(rows) {
		t.Fatalf("%d rows, %d truth entries", len(rows), len(truth))
	}
	per := map[string]int{}
	ids := map[string]bool{}
	for _, r := range rows {
		if ids[r.RecordID] {
			t.Fatalf("record id %s twice", r.RecordID)
		}
		ids[r.RecordID] = true
		e, ok := truth[r.RecordID]
		if !ok {
			t.Fatalf("no truth for %s", r.RecordID)
		}
		if strings.Contains(r.RecordID, e) {
			t.Fatalf("record id %s gives its entity away", r.RecordID)
		}
		per[e]++
	}
	if len(per) != persons {
		t.Fatalf("%d entities, want %d", len(per), persons)
	}
	for e, n := range per {
		if n < 1 || n > 5 {
			t.Fatalf("entity %s reported %d times", e, n)
		}
	}
	if avg := float64(len(rows)) / persons; avg < 2.2 || avg > 2.8 {
		t.Errorf("%.2f reports per person, want about 2.5", avg)
	}

	rows, truth = Generate(GenOptions{Persons: 100, Seed: 1, MinReports: 2})
	per = map[string]int{}
	for _, r := range rows {
		per[truth[r.RecordID]]++
	}
	for e, n := range per {
		if n < 2 {
			t.Fatalf("MinReports 2: entity %s reported %d times", e, n)
		}
	}
}

func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "02.01.2006", "20060102", "2006"} {
		if d, err := time.Parse(layout, s); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}

func isCyrillic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}

func TestGenerateFields(t *testing.T) {
	rows, _ := Generate(GenOptions{Persons: 3000, Seed: 2})
	count := map[string]int{}
	for _, r := range rows {
		if r.FullName == "" || r.Source == "" {
			t.Fatalf("empty name or source: %+v", r)
		}
		for _, f := range r.fields() {
			if strings.ContainsRune(f, 0) || strings.ContainsRune(f, unicode.ReplacementChar) {
				t.Fatalf("a control or replacement character in %q", f)
			}
		}
		if r.BirthDate != "" {
			if _, ok := parseDate(r.BirthDate); !ok {
				t.Fatalf("birth date %q is in no contract format", r.BirthDate)
			}
			count["birth"]++
		}
		if r.Age != "" {
			a, err := strconv.Atoi(r.Age)
			if err != nil || a < 10 || a > 90 {
				t.Fatalf("age %q", r.Age)
			}
			count["age"]++
		}
		if r.IDNumber != "" {
			if !habeas.IIN(r.IDNumber).Valid() {
				t.Fatalf("invalid IIN %q", r.IDNumber)
			}
			count["iin"]++
		}
		switch r.Sex {
		case "", "male", "female":
		default:
			t.Fatalf("sex %q", r.Sex)
		}
		if isCyrillic(r.FullName) {
			count["cyrillic"]++
		} else {
			count["latin"]++
		}
		if strings.HasPrefix(r.Source, "official") {
			if r.FullName != strings.ToUpper(r.FullName) {
				t.Fatalf("official list name %q is not in capitals", r.FullName)
			}
			if !isCyrillic(r.FullName) {
				t.Fatalf("official list name %q is not Cyrillic", r.FullName)
			}
		}
		if strings.HasPrefix(r.Source, "lawyers") && isCyrillic(r.FullName) {
			t.Fatalf("lawyer's name %q is not Latin", r.FullName)
		}
		if strings.Contains(r.FullName, "ҰЛЫ") || strings.Contains(r.FullName, "ОВИЧ") || strings.Contains(r.FullName, "ЕВИЧ") {
			count["patronymic"]++
		}
	}
	n := len(rows)
	for k, lo := range map[string]float64{"birth": 0.4, "age": 0.2, "iin": 0.15, "cyrillic": 0.5, "latin": 0.25, "patronymic": 0.15} {
		if float64(count[k]) < lo*float64(n) {
			t.Errorf("%s in %d of %d rows, want at least %.0f%%", k, count[k], n, lo*100)
		}
	}
}

// TestGenerateHardNegatives checks that siblings and namesakes are there
// and are different persons with different IINs.
func TestGenerateHardNegatives(t *testing.T) {
	g, _, _ := generate(GenOptions{Persons: 5000, Seed: 3})
	iins := map[string]bool{}
	type fam struct{ surname, father string }
	families := map[fam][]*person{}
	full := map[string][]*person{}
	for _, p := range g.persons {
		if iins[p.iin] {
			t.Fatalf("IIN %s twice", p.iin)
		}
		iins[p.iin] = true
		info, err := habeas.IIN(p.iin).Parse()
		if err != nil || !info.BirthDate.Equal(p.birth) {
			t.Fatalf("IIN %s does not encode %v: %v", p.iin, p.birth, err)
		}
		families[fam{strings.TrimSuffix(p.name.surname, "а"), p.name.father}] = append(families[fam{strings.TrimSuffix(p.name.surname, "а"), p.name.father}], p)
		k := p.name.given + " " + p.name.surname
		full[k] = append(full[k], p)
	}
	siblings, namesakes := 0, 0
	for _, ps := range families {
		for i := range ps {
			for j := i + 1; j < len(ps); j++ {
				if ps[i].name.given != ps[j].name.given {
					d := ps[i].birth.Sub(ps[j].birth).Abs()
					if d < 8*365*24*time.Hour {
						siblings++
					}
				}
			}
		}
	}
	for _, ps := range full {
		for i := range ps {
			for j := i + 1; j < len(ps); j++ {
				if ps[i].birth.Sub(ps[j].birth).Abs() > 2*365*24*time.Hour {
					namesakes++
				}
			}
		}
	}
	t.Logf("siblings %d namesakes %d", siblings, namesakes)
	if siblings < 200 {
		t.Errorf("%d sibling pairs in 5,000 persons, want at least 200", siblings)
	}
	if namesakes < 150 {
		t.Errorf("%d namesake pairs in 5,000 persons, want at least 150", namesakes)
	}
}

func TestRomanise(t *testing.T) {
	for _, c := range []struct {
		in   string
		sc   latinScheme
		want string
	}{
		{"Ерлан", schemePassport, "Yerlan"},
		{"Әсел", schemePassport, "Assel"},
		{"ҚАСЫМ", schemePassport, "KASSYM"},
		{"Тоқаев", schemePassport, "Tokayev"},
		{"Қайрат", schemePassport, "Kairat"},
		{"Сергей", schemePassport, "Sergey"},
		{"Тоқаев", schemeQazaq, "Toqaev"},
		{"Токаев", schemeICAO, "Tokaev"},
		{"Токаев", schemeBGN, "Tokayev"},
		{"Ғалымжан Нұрлан", schemeKZ2021, "Ğalymjan Nūrlan"},
		{"Ерлан", schemeSimple, "Erlan"},
	} {
		if got := romanise(c.in, c.sc); got != c.want {
			t.Errorf("romanise(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPatronymics(t *testing.T) {
	for _, c := range []struct {
		n          personName
		native, ru string
	}{
		{personName{trad: kazakh, father: "Ерлан"}, "Ерланұлы", "Ерланович"},
		{personName{trad: kazakh, father: "Ерлан", female: true}, "Ерланқызы", "Ерлановна"},
		{personName{trad: kyrgyz, father: "Азамат"}, "Азамат уулу", "Азаматович"},
		{personName{trad: uzbek, father: "Шерзод"}, "Шерзод ўғли", "Шерзодович"},
		{personName{trad: russian, father: "Юрий"}, "Юрьевич", "Юрьевич"},
		{personName{trad: russian, father: "Алексей", female: true}, "Алексеевна", "Алексеевна"},
		{personName{trad: russian, father: "Павел"}, "Павлович", "Павлович"},
		{personName{trad: kazakh, father: "Әлібек"}, "Әлібекұлы", "Алибекович"},
		{personName{trad: russian, father: "Игорь"}, "Игоревич", "Игоревич"},
		{personName{trad: russian, father: "Илья", female: true}, "Ильинична", "Ильинична"},
		{personName{trad: kazakh, father: "Ғани"}, "Ғаниұлы", "Ганиевич"},
		{personName{trad: russian, father: "Аркадий", female: true}, "Аркадьевна", "Аркадьевна"},
	} {
		if got := c.n.patronymicNative(); got != c.native {
			t.Errorf("native patronymic of %s: %q, want %q", c.n.father, got, c.native)
		}
		if got := c.n.patronymicRussian(); got != c.ru {
			t.Errorf("Russian patronymic of %s: %q, want %q", c.n.father, got, c.ru)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	rows := []Row{{RecordID: "r1", Source: "s", FullName: "Серикбаев, Айдос", Address: `ул. "Абая", 1`}}
	var b bytes.Buffer
	if err := WriteCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "record_id,source,full_name,birth_date,age,sex,citizenship,region,id_number,address" {
		t.Fatalf("header %v", recs[0])
	}
	if recs[1][2] != "Серикбаев, Айдос" || recs[1][9] != `ул. "Абая", 1` {
		t.Fatalf("row %v", recs[1])
	}
}

func TestPartsHaveNoDuplicates(t *testing.T) {
	for tr, p := range traditions {
		for what, list := range map[string][]string{"male": p.male, "female": p.female, "surnames": surnamePool(tr)} {
			seen := map[string]bool{}
			for _, s := range list {
				if seen[s] {
					t.Errorf("%v %s: %s twice", tr, what, s)
				}
				seen[s] = true
			}
		}
	}
}
