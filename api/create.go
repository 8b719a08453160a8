package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
)

// create serves POST /api/v1/{kind}: it stores a new record, recorded as
// made by the signed-in user, and returns it as stored (normalized, with
// its identifier) with 201 Created.
func (a *API) create(w http.ResponseWriter, r *http.Request) error {
	k, err := pathKind(r)
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
	// Create normalizes e in place and stores exactly its canonical JSON, so
	// e is now the stored record.
	version, err := a.Work.CreateRecord(r.Context(), habeas.UserFrom(r.Context()), e)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(version))
	w.Header().Set("Location", Prefix+"/"+Collection(k)+"/"+e.GetID())
	writeJSON(w, http.StatusCreated, e)
	return nil
}
