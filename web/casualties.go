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
	// ForceGroups count the casualties the filter selects by the answers
	// to the checks of the Basic Principles on the use of force: the
	// killings, then the firearm injuries.
	ForceGroups []forceGroupView
}

// forceGroupView is one group of the counts, named for its heading.
type forceGroupView struct {
	Name  string // killings, firearm_injuries
	Group casework.ForceGroup
}

// casualtyList serves GET /casualties: the killed and injured, latest
// first, filtered by kind, city, date, cause and what is known of an
// investigation, each with a link to its page, the person and the
// investigations and what its use-of-force checks found; above them, the
// counts of those checks' answers for what the filter selects.
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
	force, err := s.work.CountUseOfForce(r.Context(), habeas.UserFrom(r.Context()), f)
	if err != nil {
		return err
	}
	v.ForceGroups = []forceGroupView{{"killings", force.Killings}, {"firearm_injuries", force.FirearmInjuries}}
	v.Pager = newPager("/casualties", q, total, len(v.Items), f.Page)
	s.render(w, r, http.StatusOK, "casualties", v)
	return nil
}
