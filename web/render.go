package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/internal/httpstatus"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticRoot embed.FS

// pageNames are the page templates; each is parsed with the layout and the
// shared partials. Every user-facing word is in the templates.
var pageNames = []string{"login", "detentions", "detention", "casualties", "casualty", "person", "persons", "alerts", "alertcounts", "review", "error",
	"investigations", "investigation", "trials", "trial", "intake", "lawyers", "views", "admin", "tokens", "code", "twofactor", "audit", "erasures"}

var funcs = template.FuncMap{
	"localTime": localTime,
	"cityZone": func(key string) string {
		if c, ok := habeas.FindCity(key); ok {
			return c.Zone
		}
		return ""
	},
	"deref":    func(b *bool) bool { return b != nil && *b },
	"translit": translit,
	"nameText": nameText,
	"words":    func(s any) string { return strings.ReplaceAll(fmt.Sprint(s), "_", " ") },
}

// placeholders stand for the functions bound to a language (langFuncs)
// while the templates are parsed; each language's copy replaces them.
var placeholders = (&catalog{}).langFuncs("en")

// parsePages parses every page once, then clones it for each language with
// that language's message functions: pages[lang][name].
func parsePages(c *catalog) (map[string]map[string]*template.Template, error) {
	parsed, err := parseOnce()
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]*template.Template{}
	for _, lang := range Languages {
		out[lang] = map[string]*template.Template{}
		for name, t := range parsed {
			ct, err := t.Clone()
			if err != nil {
				return nil, err
			}
			out[lang][name] = ct.Funcs(c.langFuncs(lang))
		}
	}
	return out, nil
}

func parseOnce() (map[string]*template.Template, error) {
	base, err := template.New("").Funcs(funcs).Funcs(placeholders).ParseFS(templateFiles, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	pages := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t, err := template.Must(base.Clone()).ParseFS(templateFiles, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse page %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// translit is the Latin transliteration shown beside a name written in
// Cyrillic (casework.DisplayScheme, as the intake's suggestions show it); ""
// for a name in another script.
func translit(name string) string { return casework.DisplayTransliteration(name) }

// nameText is a name with its transliteration in brackets, as plain text
// for the title element: "Ерлан Сатпаев (Yerlan Satpayev)".
func nameText(name string) string {
	if l := translit(name); l != "" {
		return name + " (" + l + ")"
	}
	return name
}

// localTime shows t in the named zone with the zone labelled, so nobody has
// to guess which clock a time was read on: "2022-01-05 14:30 +06 Asia/Almaty".
func localTime(t time.Time, zone string) string {
	if t.IsZero() {
		return ""
	}
	lt := habeas.LocalTime(t, zone)
	layout := "2006-01-02 15:04 -07"
	if _, off := lt.Zone(); off%3600 != 0 {
		layout = "2006-01-02 15:04 -07:00"
	}
	label := zone
	if lt.Location() == time.UTC {
		label = "UTC"
	}
	return lt.Format(layout) + " " + label
}

// page is what every template receives: the signed-in user, for the
// layout, and the page's own data.
type page struct {
	User  *habeas.User
	Langs []langLink
	// May says which of the menu's pages (menuRoutes) the user may open,
	// by route name, so that the menu offers only those.
	May  map[string]bool
	Data any
	// ReadOnly says why the register may not be written: a banner on
	// every page.
	ReadOnly string
}

// menuRoutes are the routes the menu and the header link to.
var menuRoutes = []string{"intake.form", "detentions", "queues", "casualties", "investigations", "trials", "lawyers",
	"alerts", "review", "views", "persons", "admin.users", "admin.audit"}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 and not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	lang := langOf(r.Context())
	may := make(map[string]bool, len(menuRoutes))
	for _, route := range menuRoutes {
		may[route] = s.may(r, route)
	}
	if err := s.pages[lang][name].ExecuteTemplate(&buf, "layout", page{User: habeas.UserFrom(r.Context()), Langs: langLinks(r), May: may, Data: data, ReadOnly: s.work.ReadOnly()}); err != nil {
		s.log.ErrorContext(r.Context(), "render page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// handle adapts a page handler that returns an error.
func (s *Server) handle(fn func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.Fail(w, r, err)
		}
	})
}

// errorView is the data of the error page.
type errorView struct {
	Status  int
	Message string
}

// Fail answers with the error page for err, in the user's language. The
// status comes from httpstatus.Of, the one place codes become statuses;
// internal errors are logged and shown as "internal error".
func (s *Server) Fail(w http.ResponseWriter, r *http.Request, err error) {
	status := httpstatus.Of(err)
	msg := s.errorMessage(r, err)
	switch status {
	case http.StatusInternalServerError:
		s.log.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	case http.StatusInsufficientStorage:
		s.log.ErrorContext(r.Context(), "the disk is full: nothing more can be written until space is freed", "err", err)
		msg = s.tr(r, "error.disk_full")
	}
	s.render(w, r, status, "error", errorView{Status: status, Message: msg})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return habeas.Errorf(habeas.ENOTFOUND, "no page at %s", r.URL.Path)
}

// staticFiles serves the style sheet; it may be cached for an hour.
func staticFiles() http.Handler {
	sub, err := fs.Sub(staticRoot, "static")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") { // no directory listings
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}
