package web

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Languages are the languages of the interface, in the order the switcher
// shows them. Every message exists in each (TestMessagesComplete).
var Languages = []string{"en", "ru", "kk"}

// languageNames are the languages' names in themselves, for the switcher.
var languageNames = map[string]string{"en": "English", "ru": "Русский", "kk": "Қазақша"}

// langCookie keeps the language a user chose; langParam chooses one.
const (
	langCookie = "habeas_lang"
	langParam  = "lang"
)

//go:embed locales/*.json
var localeFiles embed.FS

// catalog holds the messages of every language, loaded once.
type catalog struct {
	bundle     *i18n.Bundle
	localizers map[string]*i18n.Localizer
	matcher    language.Matcher
}

// loadCatalog reads every message file under locales/. A file is named
// area.lang.json ("intake.ru.json"); each area has one file per language.
func loadCatalog() (*catalog, error) {
	b := i18n.NewBundle(language.English)
	files, err := fs.Glob(localeFiles, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if _, err := b.LoadMessageFileFS(localeFiles, f); err != nil {
			return nil, fmt.Errorf("web: messages %s: %w", path.Base(f), err)
		}
	}
	c := &catalog{bundle: b, localizers: map[string]*i18n.Localizer{}}
	tags := make([]language.Tag, len(Languages))
	for i, l := range Languages {
		c.localizers[l] = i18n.NewLocalizer(b, l)
		tags[i] = language.MustParse(l)
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
}

// tr returns message id in lang with data (a map, or key-value pairs). A
// missing message shows as its id in brackets, so it is seen and reported,
// never silently replaced by English.
func (c *catalog) tr(lang, id string, count any, data map[string]any) string {
	lc := &i18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if count != nil {
		lc.PluralCount = count
		if data == nil {
			lc.TemplateData = map[string]any{"Count": count}
		} else if _, ok := data["Count"]; !ok {
			data["Count"] = count
		}
	}
	l, ok := c.localizers[lang]
	if !ok {
		l = c.localizers["en"]
	}
	s, err := l.Localize(lc)
	if err != nil {
		return "[" + id + "]"
	}
	return s
}

// has reports whether message id exists in lang.
func (c *catalog) has(lang, id string) bool {
	_, err := c.localizers[lang].Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: 1})
	if err == nil {
		return true
	}
	_, err = c.localizers[lang].Localize(&i18n.LocalizeConfig{MessageID: id})
	return err == nil
}

// pairs turns key-value arguments of a template call into template data.
func pairs(kv []any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("odd number of arguments %v", kv)
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("argument %d is not a key", i)
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// langFuncs are the template functions bound to one language:
//
//	{{t "id"}}                       a message
//	{{tc "id" .N}}                   a message in the plural form for .N
//	{{td "id" "Key" .V "Key2" .W}}   a message with named data
//	{{tcd "id" .N "Key" .V}}         both
//	{{enum "status" .Status}}        the message "status.<value>", for domain values
//	{{lang}}                         the language code
func (c *catalog) langFuncs(lang string) template.FuncMap {
	return template.FuncMap{
		"t":  func(id string) string { return c.tr(lang, id, nil, nil) },
		"tc": func(id string, n any) string { return c.tr(lang, id, n, nil) },
		"td": func(id string, kv ...any) (string, error) {
			m, err := pairs(kv)
			return c.tr(lang, id, nil, m), err
		},
		"tcd": func(id string, n any, kv ...any) (string, error) {
			m, err := pairs(kv)
			return c.tr(lang, id, n, m), err
		},
		"enum": func(set string, v any) string {
			s := fmt.Sprint(v)
			if s == "" {
				return ""
			}
			return c.tr(lang, set+"."+s, nil, nil)
		},
		"dur":      func(d any) (string, error) { return c.durationOf(lang, d) },
		"lang":     func() string { return lang },
		"cityName": func(key string) string { return cityName(key, lang) },
	}
}

// durationOf shows a time.Duration, or whole seconds as an int64.
func (c *catalog) durationOf(lang string, d any) (string, error) {
	switch d := d.(type) {
	case time.Duration:
		return c.duration(lang, d), nil
	case int64:
		return c.duration(lang, time.Duration(d)*time.Second), nil
	}
	return "", fmt.Errorf("dur: %T is not a duration", d)
}

// duration shows d in days, hours and minutes, rounded down to the
// minute: "2 d 3 h", "45 min".
func (c *catalog) duration(lang string, d time.Duration) string {
	if d < 0 {
		d = -d
	}
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	var parts []string
	if days > 0 {
		parts = append(parts, c.tr(lang, "dur.d", days, nil))
	}
	if hours > 0 {
		parts = append(parts, c.tr(lang, "dur.h", hours, nil))
	}
	if mins > 0 && days == 0 || len(parts) == 0 {
		parts = append(parts, c.tr(lang, "dur.min", mins, nil))
	}
	return strings.Join(parts, " ")
}

// langKey is the context key of the request's language.
type langKey struct{}

// langOf returns the language of the request, as WithLanguage chose it.
func langOf(ctx context.Context) string {
	if l, ok := ctx.Value(langKey{}).(string); ok {
		return l
	}
	return "en"
}

// WithLanguage chooses the language of each request: ?lang= (remembered in
// a cookie for a year), else the cookie, else the browser's
// Accept-Language, else English.
func (s *Server) WithLanguage(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := ""
		if q := r.URL.Query().Get(langParam); slices.Contains(Languages, q) {
			lang = q
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, Secure: s.cfg.Sessions.Cookie.Secure, SameSite: http.SameSiteLaxMode})
		} else if ck, err := r.Cookie(langCookie); err == nil && slices.Contains(Languages, ck.Value) {
			lang = ck.Value
		} else {
			tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
			_, i, conf := s.i18n.matcher.Match(tags...)
			lang = "en"
			if conf != language.No {
				lang = Languages[i]
			}
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), langKey{}, lang)))
	})
}

// tr returns message id in the language of the request, with data given as
// key-value pairs.
func (s *Server) tr(r *http.Request, id string, kv ...any) string {
	m, err := pairs(kv)
	if err != nil {
		panic("web: tr " + id + ": " + err.Error()) // a programming error, caught by tests
	}
	return s.i18n.tr(langOf(r.Context()), id, nil, m)
}

// langLink is one entry of the language switcher.
type langLink struct {
	Code, Name, URL string
	Current         bool
}

// langLinks returns the switcher's links: the same page in each language.
func langLinks(r *http.Request) []langLink {
	cur := langOf(r.Context())
	out := make([]langLink, len(Languages))
	for i, l := range Languages {
		q := url.Values{}
		if r.Method == http.MethodGet {
			q = r.URL.Query()
		}
		q.Set(langParam, l)
		p := r.URL.Path
		if r.Method != http.MethodGet {
			p = "/"
		}
		out[i] = langLink{Code: l, Name: languageNames[l], URL: p + "?" + q.Encode(), Current: l == cur}
	}
	return out
}

// collators sort names as each language does: Kazakh letters (Ә, Ғ, Қ, Ң,
// Ө, Ұ, Ү, Һ, І) in their places in the Kazakh alphabet, not after Я.
var collators = sync.Pool{New: func() any { return map[string]*collate.Collator{} }}

// sortStrings sorts items in the order of lang. Collators are not safe
// for concurrent use, so each comes from a pool.
func sortStrings(lang string, items []string) {
	sortBy(lang, items, func(s string) string { return s })
}

// sortBy sorts items by key in the order of lang.
func sortBy[T any](lang string, items []T, key func(T) string) {
	m := collators.Get().(map[string]*collate.Collator)
	defer collators.Put(m)
	c, ok := m[lang]
	if !ok {
		c = collate.New(language.Make(lang), collate.IgnoreCase)
		m[lang] = c
	}
	slices.SortStableFunc(items, func(a, b T) int { return c.CompareString(key(a), key(b)) })
}

// trimLang removes the language parameter from a query, for links that
// keep a filter.
func trimLang(q url.Values) url.Values {
	if _, ok := q[langParam]; !ok {
		return q
	}
	c := url.Values{}
	for k, v := range q {
		if k != langParam {
			c[k] = v
		}
	}
	return c
}

// cityName is the name of a city in lang.
func cityName(key, lang string) string { return habeas.CityName(key, lang) }

// errorMessage is err for a reader of the request's language: a sentence
// for its code and, for invalid input, each field with its reason.
func (s *Server) errorMessage(r *http.Request, err error) string {
	msg := s.tr(r, "error."+habeas.ErrorCode(err))
	if fs := habeas.ErrorFields(err); len(fs) > 0 {
		parts := make([]string, len(fs))
		for i, f := range fs {
			parts[i] = f.Field + ": " + s.reason(r, f)
		}
		msg += " " + strings.Join(parts, "; ")
	}
	return msg
}

// reason is the reason of a field error in the request's language. Areas
// with wording of their own for a form come first ("intake" looks up
// intake.reason.<code>), then the shared reason.<code>. A reason without a
// code or without a translation is shown as it came, in English;
// TestReasonsTranslated keeps the known ones translated.
func (s *Server) reason(r *http.Request, f habeas.FieldError, areas ...string) string {
	if f.Code == "" {
		return f.Reason
	}
	lang := langOf(r.Context())
	for _, id := range append(areas, "") {
		if id == "" {
			id = "reason." + f.Code
		} else {
			id += ".reason." + f.Code
		}
		if !s.i18n.has(lang, id) {
			continue
		}
		data := make(map[string]any, len(f.Args))
		for i, a := range f.Args {
			data[fmt.Sprintf("A%d", i+1)] = a
		}
		return s.i18n.tr(lang, id, nil, data)
	}
	return f.Reason
}
