package web

import (
	"net/http"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// casualtyListView is the data of the casualty register.
type casualtyListView struct {
	Form     map[string]string
	Cities   []option
	Kinds    []string
	Causes   []string
	Statuses []string // investigation statuses, for the investigation filter
	Problem  *filterProblem
	Items    []casework.CasualtyItem
	Pager    pager
}

// casualtyList serves GET /casualties: the killed and injured, latest
// first, filtered by kind, city, date, cause and what is known of an
// investigation, each with a link to the person and the investigations.
func (s *Server) casualtyList(w http.ResponseWriter, r *http.Request) error {
	q := trimLang(r.URL.Query())
	v := casualtyListView{
		Form:     formValues(q, "kind", "city", "from", "to", "cause", "investigation"),
		Cities:   cityOptions(),
		Kinds:    casework.CasualtyKinds,
		Causes:   habeas.Causes,
		Statuses: habeas.InvestigationStatuses,
	}
	f, err := casework.ParseCasualtyQuery(q)
	if habeas.ErrorCode(err) == habeas.EINVALID {
		v.Problem = s.problemOf(r, err, "inv")
		s.render(w, r, http.StatusBadRequest, "casualties", v)
		return nil
	}
	var total int
	v.Items, total, err = s.work.FindCasualtyItems(r.Context(), habeas.UserFrom(r.Context()), f)
	if err != nil {
		return err
	}
	v.Pager = newPager("/casualties", q, total, len(v.Items), f.Page)
	s.render(w, r, http.StatusOK, "casualties", v)
	return nil
}
