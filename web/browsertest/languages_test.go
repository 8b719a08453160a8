package browsertest_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/habeas-project/habeas/web/browsertest"
)

// menus are the header's menu in each language, in order, as a
// caseworker (who may take a report) sees it.
var menus = map[string][]string{
	"en": {"New report", "Detentions", "Queues", "Casualties", "Investigations", "Trial monitoring", "Lawyers", "Alerts", "Review duplicates", "Saved views"},
	"ru": {"Новое обращение", "Задержания", "Очереди", "Погибшие и раненые", "Расследования", "Мониторинг судов", "Адвокаты", "Тревоги", "Проверка дублей", "Сохранённые подборки"},
	"kk": {"Жаңа хабарлама", "Ұсталғандар", "Кезектер", "Қаза тапқандар мен жараланғандар", "Тергеулер", "Сот мониторингі", "Адвокаттар", "Дабылдар", "Қайталанатындарды тексеру", "Сақталған іріктеулер"},
}

// inLanguage checks that the page is in lang: the html element names it,
// the menu is in it, the switcher marks it as the current one; and runs
// axe.
func inLanguage(t *testing.T, b *browsertest.Browser, lang, name string) {
	t.Helper()
	if got := browsertest.Value(t, b, chromedp.Evaluate[string](`document.documentElement.lang`)); got != lang {
		t.Errorf("%s: <html lang=%q>, want %q", b.Path(t), got, lang)
	}
	if got := b.Texts(t, "header.top nav:not(.langs):not(.account) a"); !slices.Equal(got, menus[lang]) {
		t.Errorf("%s: the menu is %q, want %q", b.Path(t), got, menus[lang])
	}
	if got := b.Texts(t, `nav.langs a[aria-current="true"]`); !slices.Equal(got, []string{name}) {
		t.Errorf("%s: the switcher marks %q as the current language, want %s", b.Path(t), got, name)
	}
	b.Axe(t)
}

// TestSwitchLanguage switches from English to Russian with the switcher
// in the header, follows the menu to see the choice kept, and switches to
// Kazakh.
func TestSwitchLanguage(t *testing.T) {
	t.Parallel()
	b, _ := signedIn(t)
	// The browser asks for English: a page in another language can only
	// come from the choice made with the switcher.
	if got := browsertest.Value(t, b, chromedp.Evaluate[string](`navigator.language`)); !strings.HasPrefix(got, "en") {
		t.Fatalf("the browser's language is %q; the test needs one the server answers in English", got)
	}
	b.Open(t, "/detentions")
	inLanguage(t, b, "en", "English")

	b.Load(t, b.Click(`nav.langs a[hreflang="ru"]`))
	if got := b.Path(t); got != "/detentions?lang=ru" {
		t.Errorf("the switcher led to %s, want /detentions?lang=ru", got)
	}
	inLanguage(t, b, "ru", "Русский")
	if got := b.Text(t, "h1"); got != "Задержания" {
		t.Errorf("the heading of /detentions in Russian is %q", got)
	}
	if got := b.Text(t, "label[for=nav-q]"); got != "Найти человека" {
		t.Errorf("the search's label is %q in Russian", got)
	}
	if got := b.Text(t, ".signout span"); got != "Вы вошли как caseworker (сотрудник)" {
		t.Errorf("the header says %q in Russian", got)
	}

	// The next page, reached by the menu without ?lang=, is in Russian too.
	b.Load(t, b.Click(`header.top nav a[href="/casualties"]`))
	if got := b.Path(t); got != "/casualties" {
		t.Errorf("the menu led to %s, want /casualties", got)
	}
	if got := b.Text(t, "h1"); got != "Погибшие и раненые" {
		t.Errorf("the heading of /casualties after choosing Russian is %q", got)
	}
	if got := b.Title(t); got != "Погибшие и раненые · Habeas" {
		t.Errorf("the title is %q", got)
	}
	inLanguage(t, b, "ru", "Русский")
	b.Open(t, "/alerts")
	if got := b.Text(t, "h1"); got != "Тревоги" {
		t.Errorf("the heading of /alerts, opened anew after choosing Russian, is %q", got)
	}
	inLanguage(t, b, "ru", "Русский")

	b.Load(t, b.Click(`nav.langs a[hreflang="kk"]`))
	if got := b.Path(t); got != "/alerts?lang=kk" {
		t.Errorf("the switcher led to %s, want /alerts?lang=kk", got)
	}
	if got := b.Text(t, "h1"); got != "Дабылдар" {
		t.Errorf("the heading of /alerts in Kazakh is %q", got)
	}
	inLanguage(t, b, "kk", "Қазақша")
	b.Open(t, "/investigations")
	if got := b.Text(t, "h1"); got != "Тергеулер" {
		t.Errorf("the heading of /investigations, opened anew after choosing Kazakh, is %q", got)
	}
	if got := b.Text(t, "main"); !hasKazakh(got) {
		t.Errorf("/investigations after choosing Kazakh has no Kazakh letter:\n%s", got)
	}
	inLanguage(t, b, "kk", "Қазақша")
}
