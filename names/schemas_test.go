package names_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/habeas-project/habeas/names"
)

// translitDir is where the public transliteration schemas live (nalgeon/iuliia,
// MIT licence); tests that read them skip with a notice when it is absent.
const translitDir = "../testdata/translit"

// iuliiaSchema is one schema file: a letter mapping, context mappings and
// sample pairs.
type iuliiaSchema struct {
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Mapping     map[string]string `json:"mapping"`
	Prev        map[string]string `json:"prev_mapping"`
	Next        map[string]string `json:"next_mapping"`
	Ending      map[string]string `json:"ending_mapping"`
	Samples     [][2]string       `json:"samples"`
}

func loadSchemas(t testing.TB) []iuliiaSchema {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(translitDir, "*.json"))
	if len(files) == 0 {
		t.Skipf("no transliteration schemas in %s: skipping (public data, see docs/names.md)", translitDir)
	}
	var out []iuliiaSchema
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var s iuliiaSchema
		if err := json.Unmarshal(data, &s); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// translate applies a schema the way the iuliia reference implementation does:
// word by word, each letter looked up with its previous letter, then with its
// next letter, then alone; a word's last two letters may have an ending
// mapping.
func (s iuliiaSchema) translate(src string) string {
	var b strings.Builder
	rs := []rune(src)
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && unicode.IsLetter(rs[j]) {
			j++
		}
		if j == i {
			b.WriteRune(rs[i])
			i++
			continue
		}
		b.WriteString(s.word(rs[i:j]))
		i = j
	}
	return b.String()
}

func (s iuliiaSchema) word(w []rune) string {
	if len(w) > 2 {
		end := w[len(w)-2:]
		if v, ok := s.Ending[strings.ToLower(string(end))]; ok {
			return s.letters(w[:len(w)-2]) + withCase(v, end[0])
		}
	}
	return s.letters(w)
}

func (s iuliiaSchema) letters(w []rune) string {
	var b strings.Builder
	for i, r := range w {
		prev, next := "", ""
		if i > 0 {
			prev = string(w[i-1])
		}
		if i+1 < len(w) {
			next = string(w[i+1])
		}
		cur := string(r)
		v, ok := s.Prev[strings.ToLower(prev+cur)]
		if !ok {
			v, ok = s.Next[strings.ToLower(cur+next)]
		}
		if !ok {
			v, ok = s.Mapping[strings.ToLower(cur)]
		}
		if !ok {
			v = cur
		}
		b.WriteString(withCase(v, r))
	}
	return b.String()
}

func withCase(v string, r rune) string {
	if !unicode.IsUpper(r) || v == "" {
		return v
	}
	rs := []rune(v)
	rs[0] = unicode.ToUpper(rs[0])
	return string(rs)
}

// cyrillicWords splits a sample into its Cyrillic words.
func cyrillicWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
}

// nameCorpus holds common Russian given names and surname forms, in Russian
// orthography so that every schema applies, covering every letter and the
// contexts the schemas treat specially (initial е, ё, й before vowels, ъ, ь,
// -ий and -ый endings). Kazakh and Uzbek names appear in their russified
// spelling. They are common name forms, not people.
var nameCorpus = strings.Fields(nameCorpusText)

const nameCorpusText = `
Александр Алексей Анастасия Андрей Анна Артём Валентина Василий Виктор Галина
Дмитрий Евгений Екатерина Елена Ирина Игорь Илья Константин Ксения Людмила
Мария Михаил Наталья Николай Ольга Павел Пётр Светлана Сергей Татьяна Фёдор
Юлия Юрий Яна Ян Ярослав Эдуард Эльвира Семён Алёна Вячеслав Елизавета Любовь
Айдос Айгерим Айгуль Азамат Асель Асия Алия Арман Бауыржан Болат Гульнара
Дана Данияр Динара Ержан Ерлан Жанар Жандос Жанна Куаныш Марат Мадина Нурлан
Нурсултан Сауле Серик Тимур Шынар Ермек Айжан Меруерт Ильяс Рустам Зульфия
Джамшид Шахзод Дильноза Фарход Хуршид Бахтиёр Улугбек
Иванов Иванова Серикбаев Серикбаева Токаев Ахметов Жумабаев Касымов Ким Цой
Смирнов Кузнецов Попов Соколов Лебедев Новиков Морозов Петров Волков Соловьёв
Васильев Зайцев Павлов Семёнов Голубев Виноградов Богданов Воробьёв Фёдоров
Михайлов Беляев Тарасов Комаров Орлов Киселёв Макаров Андреев Ковалёв Ильин
Гусев Кузьмин Кудрявцев Алексеев Яковлев Сорокин Сергеев Захаров Королёв
Григорьев Медведев Ершов Никитин Соболев Цветков Жуков Журавлёв Николаев
Щербаков Афанасьев Аксёнов Третьяков Емельянов Муравьёв Дьячков Подъячев
Юдин Щукин Хохлов Чернов Шубин Шевченко Ткаченко Бойко Мельник Коваленко
Подольская Вишневская Черная Белый Седой Раевский Заречная Ягодин
Нуриев Исмаилов Абдуллаев Юсупов Хасанов Рахимов Мухамеджанов Сейтказиев
Султанов Оспанов Жакупов Байжанов Кенжебаев Тулегенов Омаров Мамедов`

// agreement counts tokens whose Cyrillic and Latin keys are equal.
type agreement struct{ ok, all int }

func (a *agreement) add(cyr, lat string) bool {
	a.all++
	if names.Key(cyr) == names.Key(lat) {
		a.ok++
		return true
	}
	return false
}

func (a agreement) rate() float64 {
	if a.all == 0 {
		return 1
	}
	return float64(a.ok) / float64(a.all)
}

func (a agreement) String() string {
	if a.all == 0 {
		return "—"
	}
	return fmt.Sprintf("%d/%d (%.1f %%)", a.ok, a.all, 100*a.rate())
}

// TestSchemaAgreement transliterates the public schemas' samples with each
// schema's own tables and checks that Key gives the Cyrillic and the Latin
// form of every name-like word (a capitalised word: a personal or place
// name) the same key; it does the same for nameCorpus. It prints the table
// recorded in docs/names.md (go test -run SchemaAgreement -v ./names).
func TestSchemaAgreement(t *testing.T) {
	schemas := loadSchemas(t)
	var totSamples, totWords, totCorpus agreement
	var rows []string
	for _, s := range schemas {
		// The engine must reproduce the schema's own samples, or the
		// agreement figures would not be about the schema.
		for _, p := range s.Samples {
			if got := s.translate(p[0]); got != p[1] {
				t.Errorf("%s: engine gives %q for %q, the sample says %q", s.Name, got, p[0], p[1])
			}
		}
		var samples, words, corpus agreement
		var misses []string
		for _, p := range s.Samples {
			for _, w := range cyrillicWords(p[0]) {
				lat := s.translate(w)
				if !unicode.IsUpper([]rune(w)[0]) {
					words.add(w, lat)
					continue
				}
				words.add(w, lat)
				if !samples.add(w, lat) {
					misses = append(misses, fmt.Sprintf("%s/%s %s≠%s", w, lat, names.Key(w), names.Key(lat)))
				}
			}
		}
		for _, w := range nameCorpus {
			lat := s.translate(w)
			if !corpus.add(w, lat) {
				misses = append(misses, fmt.Sprintf("%s/%s %s≠%s", w, lat, names.Key(w), names.Key(lat)))
			}
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s |", s.Name, samples, words, corpus))
		if len(misses) > 0 {
			t.Logf("%s misses: %s", s.Name, strings.Join(misses, "; "))
		}
		for _, x := range []struct {
			tot *agreement
			a   agreement
		}{{&totSamples, samples}, {&totWords, words}, {&totCorpus, corpus}} {
			x.tot.ok += x.a.ok
			x.tot.all += x.a.all
		}
	}
	t.Logf("\n| schema | sample names | all sample words | name corpus |\n| --- | --- | --- | --- |\n%s\n| **all %d schemas** | **%s** | **%s** | **%s** |",
		strings.Join(rows, "\n"), len(schemas), totSamples, totWords, totCorpus)
	if r := totSamples.rate(); r < 0.95 {
		t.Errorf("agreement on sample names is %.1f %%, want ≥ 95 %%", 100*r)
	}
	if r := totCorpus.rate(); r < 0.95 {
		t.Errorf("agreement on the name corpus is %.1f %%, want ≥ 95 %%", 100*r)
	}
}
