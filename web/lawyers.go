package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/names"
)

// lawyersView is the data of the lawyers page.
type lawyersView struct {
	Items []lawyerRow
	At    time.Time // the moment caseloads are counted at
	Total int       // lawyers that match the filter
	Pager pager
	// Filter is the filter form as typed: city and q (a name in any script).
	Filter *form
	// Form adds a lawyer; nil for a reader who may not. Those who may
	// also see the lawyers' phones.
	Form      *form
	Cities    []option
	Languages []option
}

// lawyerRow is one lawyer with their caseload and, for a name in
// Cyrillic, a transliteration.
type lawyerRow struct {
	casework.LawyerItem
	Latin string
}

// lawyerLanguages are the languages the form offers; the API takes any
// language code.
var lawyerLanguages = []string{"kk", "ru", "en"}

// lawyersPageSize is how many lawyers the page shows at a time.
const lawyersPageSize = 50

// lawyersPage serves GET /lawyers: the lawyers, by name in the reader's
// order, each with their city and the number of detainees they act for
// now; filtered by city and by name in any script (?city=, ?q=).
func (s *Server) lawyersPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.lawyersView(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "lawyers", v)
	return nil
}

func (s *Server) lawyersView(r *http.Request) (*lawyersView, error) {
	ctx := r.Context()
	lang := langOf(ctx)
	q := r.URL.Query()
	v := &lawyersView{At: s.work.Clock(), Filter: newForm("filter", q)}
	for _, c := range habeas.Cities {
		v.Cities = append(v.Cities, option{c.Key, cityName(c.Key, lang)})
	}
	sortBy(lang, v.Cities, func(o option) string { return o.Label })
	match, err := s.work.FindLawyers(ctx, habeas.UserFrom(ctx), q.Get("city"), q.Get("q"))
	if err != nil {
		return nil, err
	}
	sortBy(lang, match, func(l *habeas.Lawyer) string { return l.Name })
	offset, _ := strconv.Atoi(q.Get("offset"))
	offset = max(0, min(offset, len(match)))
	p := habeas.Page{Offset: offset, Limit: lawyersPageSize}
	shown := match[offset:min(offset+lawyersPageSize, len(match))]
	for _, l := range shown {
		it, err := s.work.Caseload(ctx, habeas.UserFrom(ctx), l, v.At)
		if err != nil {
			return nil, err
		}
		row := lawyerRow{LawyerItem: it}
		if names.DetectScript(l.Name) == "Cyrl" {
			row.Latin, _ = names.Transliterate(l.Name, transliteration)
		}
		v.Items = append(v.Items, row)
	}
	v.Total = len(match)
	v.Pager = newPager("/lawyers", trimLang(q), len(match), len(shown), p)
	if s.may(r, "lawyer.create") {
		v.Form = newForm("lawyer", values(map[string]string{"active": "yes"}))
		v.Languages = s.options(r, "lawyer.language.", lawyerLanguages)
	}
	return v, nil
}

// lawyerCreate serves POST /lawyers: a lawyer the organisation works with
// is added to the list, recorded as made by the signed-in user. The same
// name in the same city is refused as already listed.
func (s *Server) lawyerCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	fr, err := s.postedForm(r, "lawyer", "UTC")
	if err != nil {
		return err
	}
	cities := make([]string, len(habeas.Cities))
	for i, c := range habeas.Cities {
		cities[i] = c.Key
	}
	l := &habeas.Lawyer{
		Name:      fr.text("name", "lawyer.form.name", 200, true),
		Bar:       fr.text("bar", "lawyer.form.bar", 200, false),
		City:      fr.choice("city", "lawyer.form.city", cities, false),
		Phone:     fr.text("phone", "lawyer.form.phone", 50, false),
		Languages: fr.choices("languages", "lawyer.form.languages", lawyerLanguages),
		Active:    fr.value("active") == "yes",
	}
	if l.Name != "" && !fr.failed() {
		same, err := s.work.FindLawyers(ctx, habeas.UserFrom(ctx), l.City, "")
		if err != nil {
			return err
		}
		key := strings.ToLower(strings.Join(strings.Fields(l.Name), " "))
		for _, other := range same {
			if strings.ToLower(other.Name) == key {
				fr.fail("name", "lawyer.form.name", "lawyer.error.duplicate")
			}
		}
	}
	if !fr.failed() {
		_, err := s.work.CreateRecord(ctx, habeas.UserFrom(ctx), l)
		if err == nil {
			http.Redirect(w, r, "/lawyers", http.StatusSeeOther)
			return nil
		}
		if !fr.refused(err) {
			return err
		}
	}
	v, err := s.lawyersView(r)
	if err != nil {
		return err
	}
	fr.f.Open = true
	v.Form = fr.f
	s.render(w, r, http.StatusBadRequest, "lawyers", v)
	return nil
}
