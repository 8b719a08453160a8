package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
)

// stats serves GET /api/v1/stats: the number of live records of every
// kind, zero included.
func (a *API) stats(w http.ResponseWriter, r *http.Request) error {
	counts, err := a.Work.Counts(r.Context(), habeas.UserFrom(r.Context()))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"counts": counts})
	return nil
}
