package web

import (
	"encoding/json"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/alexedwards/scs/v2"
	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/alerts"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/rules"
)

// messageFiles reads every catalog file: area -> lang -> id -> forms (a
// plain string is the form "other").
func messageFiles(t *testing.T) map[string]map[string]map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]map[string]map[string]string{}
	files, err := fs.Glob(localeFiles, "locales/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no message files: %v", err)
	}
	for _, f := range files {
		parts := strings.Split(strings.TrimPrefix(f, "locales/"), ".")
		if len(parts) != 3 || !slices.Contains(Languages, parts[1]) {
			t.Errorf("%s: a message file is named area.lang.json with lang one of %v", f, Languages)
			continue
		}
		b, _ := localeFiles.ReadFile(f)
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		msgs := map[string]map[string]string{}
		for id, v := range raw {
			var s string
			if json.Unmarshal(v, &s) == nil {
				msgs[id] = map[string]string{"other": s}
				continue
			}
			var forms map[string]string
			if err := json.Unmarshal(v, &forms); err != nil {
				t.Errorf("%s: %s is neither a string nor plural forms", f, id)
			}
			msgs[id] = forms
		}
		if out[parts[0]] == nil {
			out[parts[0]] = map[string]map[string]map[string]string{}
		}
		out[parts[0]][parts[1]] = msgs
	}
	return out
}

// pluralForms are the CLDR plural categories of each language for whole
// numbers.
var pluralForms = map[string][]string{"en": {"one", "other"}, "ru": {"few", "many", "one", "other"}, "kk": {"one", "other"}}

// Every area has a file in every language, with the same messages; plural
// messages have exactly the CLDR forms of their language; and no message is
// left empty or in English in another language by mistake of copying.
func TestMessagesComplete(t *testing.T) {
	ids := map[string]string{} // id -> area, to find an id in two areas
	for area, byLang := range messageFiles(t) {
		en := byLang["en"]
		for _, l := range Languages {
			if byLang[l] == nil {
				t.Errorf("area %s has no %s file", area, l)
			}
		}
		for id := range en {
			if other, ok := ids[id]; ok && other != area {
				t.Errorf("message %s is in both %s and %s", id, other, area)
			}
			ids[id] = area
		}
		for _, l := range Languages {
			msgs := byLang[l]
			for id, forms := range msgs {
				if _, ok := en[id]; !ok {
					t.Errorf("%s.%s.json: %s is not in English", area, l, id)
				}
				for f, text := range forms {
					if strings.TrimSpace(text) == "" {
						t.Errorf("%s.%s.json: %s form %s is empty", area, l, id, f)
					}
				}
				if len(forms) > 1 || forms["other"] == "" {
					if got := slices.Sorted(maps.Keys(forms)); !slices.Equal(got, pluralForms[l]) {
						t.Errorf("%s.%s.json: %s has plural forms %v, want %v", area, l, id, got, pluralForms[l])
					}
				}
			}
			for id := range en {
				if _, ok := msgs[id]; !ok {
					t.Errorf("%s.%s.json lacks %s", area, l, id)
				}
			}
		}
	}
}

var messageCall = regexp.MustCompile(`\{\{-?\s*(?:t|tc|td|tcd)\s+"([^"]+)"|\((?:t|tc|td|tcd)\s+"([^"]+)"`)

// Every message a template asks for exists, in every language.
func TestTemplateMessagesExist(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := fs.Glob(templateFiles, "templates/*.html")
	n := 0
	for _, f := range files {
		b, _ := templateFiles.ReadFile(f)
		for _, m := range messageCall.FindAllStringSubmatch(string(b), -1) {
			id := m[1] + m[2]
			n++
			for _, l := range Languages {
				if !c.has(l, id) {
					t.Errorf("%s asks for %s, which %s lacks", f, id, l)
				}
			}
		}
	}
	if n < 50 {
		t.Errorf("found only %d message calls in the templates; is the pattern right?", n)
	}
}

// Every value of the domain's closed lists has a name in every language,
// so {{enum}} never shows a bracketed id.
func TestEnumsComplete(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	packs, err := rules.DefaultPacks()
	if err != nil {
		t.Fatal(err)
	}
	var safeguards []string
	for _, p := range packs {
		for _, r := range p.Rules {
			safeguards = append(safeguards, r.Safeguard)
		}
	}
	var kinds []string
	for _, k := range habeas.Kinds {
		kinds = append(kinds, string(k))
	}
	sets := map[string][]string{
		"status":              habeas.Statuses,
		"event":               habeas.EventTypes,
		"source":              habeas.SourceKinds,
		"procedure":           casework.Procedures,
		"kind":                kinds,
		"role":                {string(habeas.RoleAdmin), string(habeas.RoleCoordinator), string(habeas.RoleCaseworker), string(habeas.RoleLawyer), string(habeas.RoleViewer)},
		"op":                  {string(habeas.OpCreate), string(habeas.OpUpdate), string(habeas.OpDelete)},
		"audit.action":        habeas.AccessActions,
		"namekind":            {string(habeas.NameAsWritten), string(habeas.NameTransliteration), string(habeas.NameAlias)},
		"sex":                 {string(habeas.SexMale), string(habeas.SexFemale)},
		"safeguard":           safeguards,
		"pages.alerts.action": append(slices.Clone(alerts.ActionOrder), safeguards...),
		"pages.alerts.danger": {alerts.DangerWhereabouts, alerts.DangerJuvenile, alerts.DangerIllTreatment},
		"check": {rules.CheckInvestigated, rules.CheckIndependent, rules.CheckNotRefused, rules.CheckAutopsy,
			rules.CheckFamily, rules.CheckBodyReturned, rules.CheckResultsPublic},
		"missing": {"procedure", "citizenship", rules.CheckInvestigated, rules.CheckIndependent, rules.CheckAutopsy,
			rules.CheckFamily, rules.CheckBodyReturned, rules.CheckResultsPublic},
	}
	for set, values := range sets {
		for _, v := range values {
			for _, l := range Languages {
				if !c.has(l, set+"."+v) {
					t.Errorf("%s has no name for %s %q", l, set, v)
				}
			}
		}
	}
}

// Plurals follow each language's rules: Russian has three forms for
// whole numbers.
func TestPlurals(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "1 h"}, {"en", 5, "5 h"},
		{"ru", 1, "1 ч"}, {"ru", 3, "3 ч"}, {"ru", 21, "21 ч"},
		{"kk", 1, "1 сағ"}, {"kk", 7, "7 сағ"},
	} {
		if got := c.tr(tc.lang, "dur.h", tc.n, nil); got != tc.want {
			t.Errorf("%s %d: %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
	if got := c.tr("ru", "no.such.message", nil, nil); got != "[no.such.message]" {
		t.Errorf("a missing message reads %q; it must show its id", got)
	}
}

// Kazakh collation puts the Kazakh letters where the Kazakh alphabet has
// them (Ә after А, Қ after К, Ө after О), not after Я as code points do.
func TestKazakhCollation(t *testing.T) {
	names := []string{"Ямалов", "Өтепов", "Қасымов", "Оспанов", "Әлиев", "Кенжебаев", "Абаев"}
	sortStrings("kk", names)
	want := []string{"Абаев", "Әлиев", "Кенжебаев", "Қасымов", "Оспанов", "Өтепов", "Ямалов"}
	if !slices.Equal(names, want) {
		t.Errorf("Kazakh order %v, want %v", names, want)
	}
}

// The language comes from ?lang=, then the cookie, then Accept-Language;
// the choice is remembered, and an unknown language falls back to English.
func TestLanguageChoice(t *testing.T) {
	s := &Server{cfg: Config{Sessions: scs.New()}}
	var err error
	if s.i18n, err = loadCatalog(); err != nil {
		t.Fatal(err)
	}
	var got string
	h := s.WithLanguage(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = langOf(r.Context()) }))
	for _, tc := range []struct {
		name, url, cookie, accept, want string
		sets                            bool
	}{
		{"default", "/", "", "", "en", false},
		{"accept-language", "/", "", "ru-RU,ru;q=0.9,en;q=0.5", "ru", false},
		{"accept kazakh", "/", "", "kk-KZ", "kk", false},
		{"unknown accept", "/", "", "de-DE", "en", false},
		{"cookie", "/", "kk", "ru", "kk", false},
		{"query beats cookie", "/?lang=ru", "kk", "", "ru", true},
		{"unknown query ignored", "/?lang=xx", "kk", "", "kk", false},
	} {
		r := httptest.NewRequest("GET", tc.url, nil)
		if tc.cookie != "" {
			r.AddCookie(&http.Cookie{Name: langCookie, Value: tc.cookie})
		}
		if tc.accept != "" {
			r.Header.Set("Accept-Language", tc.accept)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if got != tc.want {
			t.Errorf("%s: language %q, want %q", tc.name, got, tc.want)
		}
		if set := strings.Contains(w.Header().Get("Set-Cookie"), langCookie+"="+tc.want); set != tc.sets {
			t.Errorf("%s: cookie set %v, want %v", tc.name, set, tc.sets)
		}
	}
}

// A reason is shown in the reader's language with its arguments, and a
// reason without a translation as it came.
func TestReasonInLanguage(t *testing.T) {
	s := &Server{}
	var err error
	if s.i18n, err = loadCatalog(); err != nil {
		t.Fatal(err)
	}
	fe := habeas.FieldErrorf("city", "%q is not a known city", "atlantis")
	for _, tt := range []struct {
		lang string
		fe   habeas.FieldError
		want string
	}{
		{"en", fe, `"atlantis" is not a known city`},
		{"ru", fe, `"atlantis" — неизвестный город`},
		{"kk", fe, `"atlantis" — белгісіз қала`},
		{"ru", habeas.FieldErrorf("note", "is longer than %d characters", 2000), "длиннее 2000 символов"},
		{"ru", habeas.FieldErrorf("data", "%s", "json: cannot unmarshal"), "json: cannot unmarshal"},
		{"ru", habeas.FieldError{Field: "x", Reason: "said in English only"}, "said in English only"},
	} {
		if got := s.reason(requestIn(tt.lang), tt.fe); got != tt.want {
			t.Errorf("%s %q: %q, want %q", tt.lang, tt.fe.Reason, got, tt.want)
		}
	}
}
