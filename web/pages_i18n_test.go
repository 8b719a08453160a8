package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/demo"
	"github.com/habeas-project/habeas/web/webtest"
)

// missingMessage is how a page shows a message its language lacks: the
// id in brackets ("[pages.alerts.title]").
var missingMessage = regexp.MustCompile(`\[[a-z_]+(\.[a-z0-9_]+)+\]`)

// TestPagesInRussianAndKazakh renders the person search, the alerts, the
// counts per rule, the review queue and a detention's safeguards panel in
// each language: every message is there, the headings, rule titles and
// explanations are in the language, and numbers take the language's
// plural forms.
func TestPagesInRussianAndKazakh(t *testing.T) {
	env := webtest.New(t)
	c := webtest.NewClocks(t, env)
	viewer := env.As(t, habeas.RoleViewer)
	// The review queue needs persons reported twice: the demo's.
	demoEnv := webtest.New(t)
	if _, err := demo.Generate(context.Background(), demoEnv.Store, demo.Options{Scale: 120}); err != nil {
		t.Fatal(err)
	}
	reviewer := demoEnv.As(t, habeas.RoleViewer)
	at := atQuery(c.At)
	pages := []struct {
		path string
		want map[string][]string // lang -> texts the page must show
	}{
		{"/persons?q=" + url.QueryEscape("Ерлан Сатпаев"), map[string][]string{
			"en": {"<h1>Find a person</h1>", "1 person found for “Ерлан Сатпаев”"},
			"ru": {"<h1>Поиск человека</h1>", "По запросу «Ерлан Сатпаев» найден 1 человек", `<th scope="col">Другие написания</th>`},
			"kk": {"<h1>Адамды іздеу</h1>", "«Ерлан Сатпаев» сұрауы бойынша 1 адам табылды", `<th scope="col">Басқаша жазылуы</th>`},
		}},
		{"/alerts?view=rules&unknown=true&" + at, map[string][]string{
			"en": {"<h1>Alerts</h1>", "<h2>Overdue now</h2>", "<h2>Due within 24 hours</h2>", "<h2>Cannot be judged</h2>",
				"Brought before a judge within 48 hours", "overdue by 2 h", "18 h left", ">urgent</td>",
				"Clock started 2022-02-10 10:00 +06 (arrest e1 per Hotline call from a neighbour, C3)"},
			"ru": {"<h1>Тревоги</h1>", "<h2>Просрочено сейчас</h2>", "<h2>Срок истекает в течение 24 ч</h2>", "<h2>Нельзя оценить</h2>",
				"Доставление к судье в течение 48 часов", "просрочено на 2 ч", "осталось 18 ч", ">срочно</td>", ">гражданство</td>",
				"Все правила", "international.judge-48h — Доставление к судье в течение 48 часов",
				"Отсчёт начат 2022-02-10 10:00 +06 (задержание e1, по данным: Hotline call from a neighbour, C3)"},
			"kk": {"<h1>Дабылдар</h1>", "<h2>Қазір мерзімі өткендер</h2>", "<h2>24 сағат ішінде мерзімі өтетіндер</h2>", "<h2>Бағалау мүмкін емес</h2>",
				"48 сағат ішінде судьяның алдына жеткізу", "мерзімі 2 сағ өтіп кетті", "18 сағ қалды", ">шұғыл</td>", ">азаматтығы</td>",
				"Мерзім 2022-02-10 10:00 +06 басталды (ұстау e1, дереккөзі: Hotline call from a neighbour, C3)"},
		}},
		{"/alerts/counts?" + at, map[string][]string{
			"en": {"<h1>Counts per rule</h1>", `<th scope="col">Violations in all</th>`, "Brought before a judge within 48 hours"},
			"ru": {"<h1>Итоги по правилам</h1>", `<th scope="col">Всего нарушений</th>`, "Доставление к судье в течение 48 часов"},
			"kk": {"<h1>Ережелер бойынша қорытынды</h1>", `<th scope="col">Барлық бұзушылықтар</th>`, "48 сағат ішінде судьяның алдына жеткізу"},
		}},
		// The safeguards panel of a detention page, made by this package.
		{"/detentions/" + c.Overdue.ID + "?" + at, map[string][]string{
			"en": {"Brought before a judge within 48 hours", "Clock started 2022-02-10 10:00 +06"},
			"ru": {"Доставление к судье в течение 48 часов", "Отсчёт начат 2022-02-10 10:00 +06"},
			"kk": {"48 сағат ішінде судьяның алдына жеткізу", "Мерзім 2022-02-10 10:00 +06 басталды"},
		}},
		{"/review", map[string][]string{
			"en": {"<h1>Review duplicates</h1>", "Why the matcher scores them so", ">surname</td>"},
			"ru": {"<h1>Проверка дублей</h1>", "Почему система так оценила пару", ">фамилия</td>", "ожидают решения"},
			"kk": {"<h1>Қайталанатын жазбаларды тексеру</h1>", "Жүйе бұл жұпты неге осылай бағалады", ">тегі</td>", "жұп шешім күтіп тұр"},
		}},
	}
	for _, p := range pages {
		for lang, want := range p.want {
			path := p.path + "&lang=" + lang
			if !strings.Contains(p.path, "?") {
				path = p.path + "?lang=" + lang
			}
			client := viewer
			if strings.HasPrefix(path, "/review") {
				client = reviewer
			}
			t.Run(path, func(t *testing.T) {
				rec := client.Get(path)
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d", rec.Code)
				}
				body := html.UnescapeString(rec.Body.String())
				if m := missingMessage.FindAllString(body, 5); m != nil {
					t.Errorf("messages missing in %s: %v", lang, m)
				}
				if !strings.Contains(body, `<html lang="`+lang+`">`) {
					t.Errorf("the page is not marked as %s", lang)
				}
				for _, w := range want {
					if !strings.Contains(body, w) {
						t.Errorf("the page lacks %q", w)
					}
				}
			})
		}
	}
}

// Russian counts take three forms: 1 человек, 2 человека, 5 человек.
func TestPersonSearchCountsInRussian(t *testing.T) {
	env := webtest.New(t)
	src := webtest.Source("Official list", habeas.SourceOfficialList, "B", 2)
	env.Create(t, src, webtest.Person("Айдос Серікбаев", src), webtest.Person("Aidos Serikbayev", src))
	c := env.As(t, habeas.RoleViewer)
	for _, tt := range []struct{ q, want string }{
		{"Серикбаев", "найдено 2 человека"},
		{"Tokayev", "найдено 0 человек"},
	} {
		body := html.UnescapeString(c.Get("/persons?lang=ru&q=" + url.QueryEscape(tt.q)).Body.String())
		if !strings.Contains(body, tt.want) {
			t.Errorf("search %q in Russian lacks %q", tt.q, tt.want)
		}
	}
}

// An invalid filter is explained in the reader's language, field by field.
func TestInvalidFilterInRussian(t *testing.T) {
	env := webtest.New(t)
	viewer := env.As(t, habeas.RoleViewer)
	for _, tt := range []struct{ path, want string }{
		{"/alerts?lang=ru&at=yesterday", `"yesterday" — не момент времени в формате RFC 3339`},
		{"/alerts?lang=ru&city=atlantis", `"atlantis" — неизвестный город`},
		{"/alerts/counts?lang=kk&at=soon", `"soon" — RFC 3339 пішіміндегі уақыт емес`},
		{"/review?lang=ru&offset=-1", `"-1" — не целое число от 0 до`},
	} {
		rec := viewer.Get(tt.path)
		body := html.UnescapeString(rec.Body.String())
		if rec.Code != http.StatusBadRequest {
			t.Errorf("GET %s: status %d, want 400", tt.path, rec.Code)
		}
		if !strings.Contains(body, tt.want) || strings.Contains(body, " is not ") {
			t.Errorf("GET %s: the reason is not translated; want %q in\n%s", tt.path, tt.want, problemOf(body))
		}
	}
}

// problemOf returns the problem box of a page, for failure messages.
func problemOf(body string) string {
	_, after, _ := strings.Cut(body, `class="problem"`)
	s, _, _ := strings.Cut(after, "</div>")
	return s
}

// The longest of these pages stays under 100 KB in every language, full
// pages of Cyrillic included.
func TestPagesUnder100KB(t *testing.T) {
	env := webtest.New(t)
	if _, err := demo.Generate(context.Background(), env.Store, demo.Options{Scale: 300}); err != nil {
		t.Fatal(err)
	}
	c := env.As(t, habeas.RoleCaseworker)
	for _, path := range []string{"/alerts?unknown=true&at=2022-01-20T06:00:00Z", "/alerts?view=rules&unknown=true&at=2022-01-20T06:00:00Z", "/alerts/counts?at=2022-01-20T06:00:00Z",
		"/review?offset=0", "/persons?q=a"} {
		for _, lang := range []string{"en", "ru", "kk"} {
			rec := c.Get(path + "&lang=" + lang)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s in %s: status %d", path, lang, rec.Code)
			}
			if n := rec.Body.Len(); n > 100<<10 {
				t.Errorf("GET %s in %s: %d KB", path, lang, n>>10)
			}
		}
	}
}
