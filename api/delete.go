package api

import "net/http"

// delete serves DELETE /api/v1/{kind}/{id}. A record that others refer to
// is not deleted (409 Conflict); the change log keeps a tombstone.
func (a *API) delete(w http.ResponseWriter, r *http.Request) error {
	k, id, err := pathEntity(r)
	if err != nil {
		return err
	}
	if err := a.Work.Records.Delete(r.Context(), k, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
