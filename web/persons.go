package web

import (
	"net/http"
	"strings"

	"github.com/habeas-project/habeas"
)

// personSearchView is the data of the person search page.
type personSearchView struct {
	Query   string
	Total   int
	Persons []*habeas.Person
}

// personSearch serves GET /persons?q=: persons found by any name variant,
// typed in any script and word order (Серикбаев, Serikbayev Aidos, aidos
// serikb...), so a caller's spelling finds the record whatever spelling
// the sources used.
func (s *Server) personSearch(w http.ResponseWriter, r *http.Request) error {
	v := personSearchView{Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if v.Query != "" {
		var err error
		v.Persons, v.Total, err = s.work.FindPersons(r.Context(), habeas.UserFrom(r.Context()), habeas.PersonFilter{Name: &v.Query, Page: habeas.Page{Limit: 100}})
		if err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "persons", v)
	return nil
}
