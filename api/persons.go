package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// listPersons serves GET /api/v1/persons?name=&iin=.
func (a *API) listPersons(w http.ResponseWriter, r *http.Request) error {
	f, err := casework.ParsePersonFilter(r.URL.Query())
	if err != nil {
		return err
	}
	ps, total, err := a.Work.FindPersons(r.Context(), habeas.UserFrom(r.Context()), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newListBody(ps, total, f.Page))
	return nil
}
