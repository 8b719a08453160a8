package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// listViews serves GET /api/v1/views.
func (a *API) listViews(w http.ResponseWriter, r *http.Request) error {
	items, err := a.Work.FindViews(r.Context(), habeas.UserFrom(r.Context()))
	if err != nil {
		return err
	}
	if items == nil {
		items = []casework.ViewItem{}
	}
	writeJSON(w, http.StatusOK, struct {
		Items []casework.ViewItem `json:"items"`
	}{items})
	return nil
}

// createView serves POST /api/v1/views: {"name", "shared", "filter"}; 201
// with the view, 409 if the user already has a view of that name.
func (a *API) createView(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	var nv casework.NewView
	if err := decodeStrict(body, &nv, "invalid saved view", ""); err != nil {
		return err
	}
	it, err := a.Work.SaveView(r.Context(), habeas.UserFrom(r.Context()), nv)
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/views/"+it.ID)
	writeJSON(w, http.StatusCreated, it)
	return nil
}

// findView serves GET /api/v1/views/{id}.
func (a *API) findView(w http.ResponseWriter, r *http.Request) error {
	it, err := a.Work.FindView(r.Context(), habeas.UserFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, it)
	return nil
}

// deleteView serves DELETE /api/v1/views/{id}: 204, or 403 for a shared
// view of another user.
func (a *API) deleteView(w http.ResponseWriter, r *http.Request) error {
	if err := a.Work.DeleteView(r.Context(), habeas.UserFrom(r.Context()), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
