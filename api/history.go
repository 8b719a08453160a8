package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
)

// history serves GET /api/v1/{kind}/{id}/history: every change to one
// record, oldest first. A deleted record still has its history.
func (a *API) history(w http.ResponseWriter, r *http.Request) error {
	k, id, err := pathEntity(r)
	if err != nil {
		return err
	}
	cs, err := a.Work.History(r.Context(), habeas.UserFrom(r.Context()), k, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": cs})
	return nil
}
