package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// listReview serves GET /api/v1/review?offset=&limit=.
func (a *API) listReview(w http.ResponseWriter, r *http.Request) error {
	p, err := casework.ParseReviewPage(r.URL.Query())
	if err != nil {
		return err
	}
	l, err := a.Work.FindReview(r.Context(), habeas.UserFrom(r.Context()), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, l)
	return nil
}
