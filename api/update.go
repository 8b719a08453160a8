package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
)

// update serves PUT /api/v1/{kind}/{id}: it replaces the state of a record
// and returns it as stored, with its new version as ETag. If-Match must
// name the version the client read; a record changed since answers 409
// with the record as it is now. The body may leave out the identifier; if
// it gives one, it must be the one in the path.
func (a *API) update(w http.ResponseWriter, r *http.Request) error {
	k, id, err := pathEntity(r)
	if err != nil {
		return err
	}
	version, err := ifMatch(r, true)
	if err != nil {
		return err
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	e, err := decodeEntity(k, body, "")
	if err != nil {
		return err
	}
	if got := e.GetID(); got != "" && got != id {
		return invalid("invalid "+string(k), "id", "%q differs from the identifier in the path, %s", got, id)
	}
	e.SetID(id)
	now, err := a.Work.UpdateRecord(r.Context(), habeas.UserFrom(r.Context()), e, version)
	if a.writeConflict(w, r, k, id, err) {
		return nil
	} else if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(now))
	writeJSON(w, http.StatusOK, e)
	return nil
}
