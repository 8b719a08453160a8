package api

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/habeas-project/habeas"
)

// ViewItem is a saved view as the API shows it: the view, its filter as
// an object, and the address of the detention list it opens.
type ViewItem struct {
	*habeas.SavedView
	Filter map[string]string `json:"filter"`
	URL    string            `json:"url"` // "/detentions?city=almaty&queue=no_lawyer"
}

func newViewItem(v *habeas.SavedView) ViewItem {
	it := ViewItem{SavedView: v, Filter: map[string]string{}, URL: "/detentions"}
	q, _ := url.ParseQuery(v.Query) // written by ParseViewFilter
	for k := range q {
		it.Filter[k] = q.Get(k)
	}
	if v.Query != "" {
		it.URL += "?" + v.Query
	}
	return it
}

// NewView is what a client sends to save a view.
type NewView struct {
	Name   string            `json:"name"`
	Shared bool              `json:"shared"`
	Filter map[string]string `json:"filter"`
}

// SaveView saves a view of the detention list for the signed-in user (the
// actor of ctx): its filter is checked by ParseViewFilter and kept in one
// written form. Any role may save views: a view is a preference, not case
// data, and nothing of it enters the change log.
func (a *API) SaveView(ctx context.Context, nv NewView) (ViewItem, error) {
	q := url.Values{}
	for k, v := range nv.Filter {
		q.Set(k, v)
	}
	query, err := ParseViewFilter(q)
	v := &habeas.SavedView{Owner: habeas.ActorFrom(ctx), Name: nv.Name, Query: query, Shared: nv.Shared}
	v.Normalize()
	if verr := v.Validate(); verr != nil || err != nil {
		// One answer names every problem: the name's and the filter's.
		fields := slices.Clone(habeas.ErrorFields(verr))
		for _, f := range habeas.ErrorFields(err) {
			f.Field = "filter." + f.Field
			fields = append(fields, f)
		}
		return ViewItem{}, &habeas.Error{Code: habeas.EINVALID, Message: "invalid saved view", Fields: fields}
	}
	if err := a.Views.CreateView(ctx, v); err != nil {
		return ViewItem{}, err
	}
	return newViewItem(v), nil
}

// FindViews returns the views the signed-in user may open, by name.
func (a *API) FindViews(ctx context.Context) ([]ViewItem, error) {
	vs, err := a.Views.FindViews(ctx, habeas.ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	items := make([]ViewItem, len(vs))
	for i, v := range vs {
		items[i] = newViewItem(v)
	}
	return items, nil
}

// FindView returns one view the signed-in user may open.
func (a *API) FindView(ctx context.Context, id string) (ViewItem, error) {
	v, err := a.Views.FindView(ctx, habeas.ActorFrom(ctx), id)
	if err != nil {
		return ViewItem{}, err
	}
	return newViewItem(v), nil
}

// DeleteView deletes one of the signed-in user's own views.
func (a *API) DeleteView(ctx context.Context, id string) error {
	return a.Views.DeleteView(ctx, habeas.ActorFrom(ctx), id)
}

// listViews serves GET /api/v1/views.
func (a *API) listViews(w http.ResponseWriter, r *http.Request) error {
	items, err := a.FindViews(r.Context())
	if err != nil {
		return err
	}
	if items == nil {
		items = []ViewItem{}
	}
	writeJSON(w, http.StatusOK, struct {
		Items []ViewItem `json:"items"`
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
	var nv NewView
	if err := decodeStrict(body, &nv, "invalid saved view", ""); err != nil {
		return err
	}
	it, err := a.SaveView(r.Context(), nv)
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/views/"+it.ID)
	writeJSON(w, http.StatusCreated, it)
	return nil
}

// findView serves GET /api/v1/views/{id}.
func (a *API) findView(w http.ResponseWriter, r *http.Request) error {
	it, err := a.FindView(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, it)
	return nil
}

// deleteView serves DELETE /api/v1/views/{id}: 204, or 403 for a shared
// view of another user.
func (a *API) deleteView(w http.ResponseWriter, r *http.Request) error {
	if err := a.DeleteView(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
