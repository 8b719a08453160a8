package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// listTrials serves GET /api/v1/trials.
func (a *API) listTrials(w http.ResponseWriter, r *http.Request) error {
	q, err := casework.ParseTrialQuery(r.URL.Query())
	if err != nil {
		return err
	}
	items, total, err := a.Work.FindTrials(r.Context(), habeas.UserFrom(r.Context()), q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newListBody(items, total, q.Page))
	return nil
}
