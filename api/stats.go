package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
)

// stats serves GET /api/v1/stats: the number of live records of every
// kind, zero included.
func (a *API) stats(w http.ResponseWriter, r *http.Request) error {
	c, err := a.Work.Stats.Counts(r.Context())
	if err != nil {
		return err
	}
	counts := make(map[habeas.Kind]int, len(habeas.Kinds))
	for _, k := range habeas.Kinds {
		counts[k] = c[k]
	}
	writeJSON(w, http.StatusOK, map[string]any{"counts": counts})
	return nil
}
