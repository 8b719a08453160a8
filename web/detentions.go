package web

import (
	"net/http"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/api"
)

// detentionListView is the data of the detention list.
type detentionListView struct {
	Form       map[string]string // the filter as submitted, to fill the form again
	Cities     []option
	Procedures []string
	Statuses   []string
	Problem    *filterProblem
	Items      []api.DetentionItem
	Pager      pager
}

// detentionList serves GET /detentions: the register of detentions, latest
// arrest first, filtered by city, arrest date, procedure and status.
func (s *Server) detentionList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v := detentionListView{
		Form:       formValues(q, "city", "from", "to", "procedure", "status"),
		Cities:     cityOptions(),
		Procedures: api.Procedures,
		Statuses:   habeas.Statuses,
	}
	f, err := api.ParseDetentionFilter(q)
	if habeas.ErrorCode(err) == habeas.EINVALID {
		v.Problem = s.problemOf(r, err)
		s.render(w, r, http.StatusBadRequest, "detentions", v)
		return nil
	}
	var total int
	v.Items, total, err = s.api.FindDetentionItems(r.Context(), f)
	if err != nil {
		return err
	}
	v.Pager = newPager("/detentions", q, total, len(v.Items), f.Page)
	s.render(w, r, http.StatusOK, "detentions", v)
	return nil
}

func formValues(q map[string][]string, names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		if vs := q[n]; len(vs) > 0 {
			m[n] = vs[0]
		}
	}
	return m
}
