package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/linkage"
)

// requestIn is a request whose language is lang.
func requestIn(lang string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	return r.WithContext(context.WithValue(r.Context(), langKey{}, lang))
}

// matcherModel fits the record matcher on two records, for its field and
// level names and its explanations.
func matcherModel(t *testing.T) (*linkage.Model, []linkage.Record) {
	t.Helper()
	recs := []linkage.Record{
		{ID: "a", FullName: "Aidos Serikbayev", Sex: habeas.SexMale, BirthDate: linkage.Date{Year: 1990, Month: 4, Day: 2}},
		{ID: "b", FullName: "Айдос Серикбаев", Sex: habeas.SexMale, BirthDate: linkage.Date{Year: 1990, Month: 4, Day: 2}},
	}
	m, err := linkage.Fit(recs, linkage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m, recs
}

// Every field the matcher compares and every level it reports has a name
// in every language, so the review page never shows a bracketed id.
func TestMatcherNamesTranslated(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	m, _ := matcherModel(t)
	for _, f := range m.Fields {
		for _, lang := range Languages {
			if !c.has(lang, "pages.review.field."+f.Name) {
				t.Errorf("%s has no name for the matcher's field %q", lang, f.Name)
			}
			for _, l := range f.Levels {
				if !c.has(lang, "pages.review.level."+l.Name) {
					t.Errorf("%s has no name for the matcher's level %q of %s", lang, l.Name, f.Name)
				}
			}
		}
	}
}

// Each reason the matcher gives for keeping two records apart is shown in
// the reader's language.
func TestApartReasonsTranslated(t *testing.T) {
	s := &Server{}
	var err error
	if s.i18n, err = loadCatalog(); err != nil {
		t.Fatal(err)
	}
	m, recs := matcherModel(t)
	iin := func(birth time.Time, serial int) string {
		n, ok := habeas.MakeIIN(birth, habeas.SexMale, serial)
		if !ok {
			t.Fatalf("no IIN for serial %d", serial)
		}
		return string(n)
	}
	born := time.Date(1990, 4, 2, 0, 0, 0, 0, time.UTC)
	sex, ids, years := recs[1], recs[1], recs[1]
	sex.Sex = habeas.SexFemale
	a := recs[0]
	a.IDNumber, ids.IDNumber = iin(born, 1234), iin(born, 5678)
	years.BirthDate = linkage.Date{Year: 1961, Month: 4, Day: 2} // two digits apart, not a typo
	for _, tt := range []struct {
		a, b     linkage.Record
		ru, kk   string
		fromWhat string
	}{
		{recs[0], sex, "разный пол", "жынысы әртүрлі", "different sex"},
		{a, ids, "разные действительные ИИН", "әртүрлі жарамды ЖСН", "different IINs"},
		{recs[0], years, "годы рождения 1990 и 1961 слишком далеки друг от друга", "туған жылдары (1990 және 1961) бір-бірінен тым алыс", "birth years"},
	} {
		why := m.Explain(tt.a, tt.b).CannotLink
		if why == "" {
			t.Errorf("%s: the matcher gives no reason to keep the records apart", tt.fromWhat)
			continue
		}
		for lang, want := range map[string]string{"ru": tt.ru, "kk": tt.kk, "en": why} {
			if got := s.apartReason(requestIn(lang), why); got != want {
				t.Errorf("%s: %q in %s is %q, want %q", tt.fromWhat, why, lang, got, want)
			}
		}
	}
	if got := s.apartReason(requestIn("ru"), "a reason not known yet"); !strings.Contains(got, "not known yet") {
		t.Errorf("an unknown reason reads %q; it must be shown as it came", got)
	}
}
