package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
)

// delete serves DELETE /api/v1/{kind}/{id}. A record that others refer to
// is not deleted (409 Conflict); the change log keeps a tombstone. With
// If-Match, a record changed since that version is not deleted either (409,
// with the record as it is now).
func (a *API) delete(w http.ResponseWriter, r *http.Request) error {
	k, id, err := pathEntity(r)
	if err != nil {
		return err
	}
	version, err := ifMatch(r, false)
	if err != nil {
		return err
	}
	err = a.Work.DeleteRecord(r.Context(), habeas.UserFrom(r.Context()), k, id, version)
	if a.writeConflict(w, r, k, id, err) {
		return nil
	} else if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
