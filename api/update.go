package api

import (
	"net/http"
)

// update serves PUT /api/v1/{kind}/{id}: it replaces the state of a record
// and returns it as stored. The body may leave out the identifier; if it
// gives one, it must be the one in the path.
func (a *API) update(w http.ResponseWriter, r *http.Request) error {
	k, id, err := pathEntity(r)
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
	if err := a.Work.Records.Update(r.Context(), e); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}
