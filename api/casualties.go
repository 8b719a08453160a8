package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// listCasualties serves GET /api/v1/casualties.
func (a *API) listCasualties(w http.ResponseWriter, r *http.Request) error {
	q, err := casework.ParseCasualtyQuery(r.URL.Query())
	if err != nil {
		return err
	}
	items, total, err := a.Work.FindCasualtyItems(r.Context(), habeas.UserFrom(r.Context()), q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newListBody(items, total, q.Page))
	return nil
}
