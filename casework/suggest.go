package casework

import (
	"cmp"
	"context"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/names"
)

// Suggestion is a registered person who may be the one a caller names,
// with what tells people apart on the phone: the name in its own script
// and in Latin letters, birth, citizenship, and the latest detention.
type Suggestion struct {
	PersonID string `json:"person_id"`
	Name     string `json:"name"` // the name the record was made with
	Script   string `json:"script"`
	// Transliteration is the Latin form of a Cyrillic Name.
	Transliteration string `json:"transliteration,omitempty"`
	// Matched is the spelling that matched the query best, when it is not Name.
	Matched      string           `json:"matched,omitempty"`
	Birth        habeas.BirthDate `json:"birth"`
	Sex          habeas.Sex       `json:"sex,omitempty"`
	Citizenships []string         `json:"citizenships,omitempty"`
	// IINMatch says the person was found by the IIN asked for.
	IINMatch bool             `json:"iin_match,omitempty"`
	Score    float64          `json:"score"` // name similarity in [0, 1]
	Latest   *LatestDetention `json:"latest_detention,omitempty"`
}

// LatestDetention is the most recent detention of a suggested person.
type LatestDetention struct {
	ID         string        `json:"id"`
	City       string        `json:"city"`
	Zone       string        `json:"zone"`
	ArrestedAt time.Time     `json:"arrested_at"`
	Status     habeas.Status `json:"status"`
}

// Suggestion limits: how many a type-ahead shows by default and at most,
// and how many name matches are ranked to choose them.
const (
	DefaultSuggestions = 8
	MaxSuggestions     = 20
	suggestPool        = 100
)

// MinSuggestQuery is the shortest name, in characters, worth suggesting for.
const MinSuggestQuery = 2

// Suggest returns up to limit registered persons who may be the one named
// name (any script, any word order, the last word possibly unfinished) or
// holding iin, best first: the IIN's holder, then by the similarity of
// their closest spelling to name. It is recorded, with what was typed
// and the persons suggested, as a suggestion (habeas.AccessSuggest).
func (s *Service) Suggest(ctx context.Context, u *habeas.User, name, iin string, limit int) ([]Suggestion, error) {
	s, err := s.as(ctx, u, readCases, searchNames)
	if err != nil {
		return nil, err
	}
	ctx = habeas.WithUser(ctx, u)
	name = strings.TrimSpace(name)
	iin = strings.Join(strings.Fields(iin), "")
	if limit <= 0 {
		limit = DefaultSuggestions
	}
	var out []Suggestion
	seen := map[string]bool{}
	if habeas.IIN(iin).Valid() {
		ps, _, err := s.cfg.Persons.FindPersons(ctx, habeas.PersonFilter{IIN: &iin, Page: habeas.Page{Limit: limit}})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			sug := suggestion(p, name)
			sug.IINMatch = true
			out, seen[p.ID] = append(out, sug), true
		}
	}
	if utf8.RuneCountInString(name) >= MinSuggestQuery && len(names.Keys(name)) > 0 {
		ps, _, err := s.cfg.Persons.FindPersons(ctx, habeas.PersonFilter{Name: &name, Page: habeas.Page{Limit: suggestPool}})
		if err != nil {
			return nil, err
		}
		var byName []Suggestion
		for _, p := range ps {
			if !seen[p.ID] {
				byName = append(byName, suggestion(p, name))
			}
		}
		// The store returns matches in name order; the closest come first.
		slices.SortStableFunc(byName, func(x, y Suggestion) int { return cmp.Compare(y.Score, x.Score) })
		out = append(out, byName...)
	}
	if len(out) > limit {
		out = out[:limit]
	}
	for i := range out {
		latest, err := s.latestDetention(ctx, out[i].PersonID)
		if err != nil {
			return nil, err
		}
		out[i].Latest = latest
	}
	q := SuggestQuery{Name: name, IIN: iin, Limit: limit}
	if err := listed(ctx, s, u, habeas.AccessSuggest, habeas.KindPerson, q, out, func(sg Suggestion) string { return sg.PersonID }); err != nil {
		return nil, err
	}
	return out, nil
}

// SuggestPerson describes the person with identifier id as Suggest would,
// for a form that shows the person already chosen; it is recorded as a
// view of the person.
func (s *Service) SuggestPerson(ctx context.Context, u *habeas.User, id string) (Suggestion, error) {
	s, err := s.as(ctx, u, readCases, searchNames)
	if err != nil {
		return Suggestion{}, err
	}
	ctx = habeas.WithUser(ctx, u)
	p, err := s.cfg.Persons.FindPersonByID(ctx, id)
	if err != nil {
		return Suggestion{}, err
	}
	sug := suggestion(p, "")
	if sug.Latest, err = s.latestDetention(ctx, id); err != nil {
		return Suggestion{}, err
	}
	if err := s.viewed(ctx, u, habeas.KindPerson, id); err != nil {
		return Suggestion{}, err
	}
	return sug, nil
}

// suggestion describes p for someone who typed name.
func suggestion(p *habeas.Person, name string) Suggestion {
	s := Suggestion{PersonID: p.ID, Name: p.DisplayName(), Birth: p.Birth, Sex: p.Sex, Citizenships: p.Citizenships}
	s.Script = names.DetectScript(s.Name)
	s.Transliteration = DisplayTransliteration(s.Name)
	for _, n := range p.Names {
		if name == "" {
			break
		}
		if sc := names.Similarity(name, n.Text); sc > s.Score {
			s.Score = sc
			s.Matched = n.Text
		}
	}
	if s.Matched == s.Name {
		s.Matched = ""
	}
	return s
}

// latestDetention returns the person's most recent detention, or nil.
func (s *Service) latestDetention(ctx context.Context, personID string) (*LatestDetention, error) {
	ds, _, err := s.cfg.Detentions.FindDetentions(ctx, habeas.DetentionFilter{PersonID: &personID, Page: habeas.Page{Limit: 1}})
	if err != nil || len(ds) == 0 {
		return nil, err
	}
	d := ds[0]
	l := &LatestDetention{ID: d.ID, City: d.City, ArrestedAt: d.ArrestedAt(), Status: d.Status()}
	if c, ok := habeas.FindCity(d.City); ok {
		l.Zone = c.Zone
	}
	return l, nil
}

// SuggestQuery is what the type-ahead was typed: a name in any script, an
// IIN, or both, and how many suggestions are wanted.
type SuggestQuery struct {
	Name, IIN string
	Limit     int
}

// ParseSuggestQuery reads q (the name), iin and limit (default
// DefaultSuggestions, at most MaxSuggestions).
func ParseSuggestQuery(q url.Values) (SuggestQuery, error) {
	p := &query{q: q}
	sq := SuggestQuery{Limit: p.number("limit", DefaultSuggestions, 1, MaxSuggestions)}
	if v := p.text("q"); v != nil {
		sq.Name = *v
	}
	if v := p.text("iin"); v != nil {
		sq.IIN = *v
	}
	return sq, p.err()
}
