package api

import "net/http"

// find serves GET /api/v1/{kind}/{id}: the current state of one record.
func (a *API) find(w http.ResponseWriter, r *http.Request) error {
	k, id, err := pathEntity(r)
	if err != nil {
		return err
	}
	e, err := a.Work.Records.Find(r.Context(), k, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}
