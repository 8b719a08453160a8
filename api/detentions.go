package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
)

// listQueues serves GET /api/v1/queues: the size of every queue under the
// filters of ParseDetentionQuery.
func (a *API) listQueues(w http.ResponseWriter, r *http.Request) error {
	q, err := a.Work.ParseDetentionQuery(r.URL.Query())
	if err != nil {
		return err
	}
	qc, err := a.Work.CountQueues(r.Context(), habeas.UserFrom(r.Context()), q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, qc)
	return nil
}
