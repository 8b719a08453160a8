package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
)

// find serves GET /api/v1/{kind}/{id}: the current state of one record,
// with its version as ETag.
func (a *API) find(w http.ResponseWriter, r *http.Request) error {
	k, id, err := pathEntity(r)
	if err != nil {
		return err
	}
	e, version, err := a.Work.FindRecord(r.Context(), habeas.UserFrom(r.Context()), k, id)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(version))
	writeJSON(w, http.StatusOK, e)
	return nil
}
