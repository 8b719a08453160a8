package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// stats serves GET /api/v1/stats: the number of live records of every
// kind, zero included, and the killings and firearm injuries counted by
// the answers to the checks of the Basic Principles on the use of force
// (numbers only: nobody is named).
func (a *API) stats(w http.ResponseWriter, r *http.Request) error {
	u := habeas.UserFrom(r.Context())
	counts, err := a.Work.Counts(r.Context(), u)
	if err != nil {
		return err
	}
	force, err := a.Work.CountUseOfForce(r.Context(), u, casework.CasualtyQuery{})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"counts": counts, "use_of_force": force})
	return nil
}
