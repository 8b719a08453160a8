package casework

import (
	"context"
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
func (s *Service) SaveView(ctx context.Context, u *habeas.User, nv NewView) (ViewItem, error) {
	if err := s.authorize(u, readCases); err != nil {
		return ViewItem{}, err
	}
	ctx = habeas.WithUser(ctx, u)
	q := url.Values{}
	for k, v := range nv.Filter {
		q.Set(k, v)
	}
	query, err := ParseViewFilter(q)
	v := &habeas.SavedView{Owner: u.Name, Name: nv.Name, Query: query, Shared: nv.Shared}
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
	if err := s.cfg.Views.CreateView(ctx, v); err != nil {
		return ViewItem{}, err
	}
	return newViewItem(v), nil
}

// FindViews returns the views the signed-in user may open, by name.
func (s *Service) FindViews(ctx context.Context, u *habeas.User) ([]ViewItem, error) {
	if err := s.authorize(u, readCases); err != nil {
		return nil, err
	}
	ctx = habeas.WithUser(ctx, u)
	vs, err := s.cfg.Views.FindViews(ctx, u.Name)
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
func (s *Service) FindView(ctx context.Context, u *habeas.User, id string) (ViewItem, error) {
	if err := s.authorize(u, readCases); err != nil {
		return ViewItem{}, err
	}
	ctx = habeas.WithUser(ctx, u)
	v, err := s.cfg.Views.FindView(ctx, u.Name, id)
	if err != nil {
		return ViewItem{}, err
	}
	return newViewItem(v), nil
}

// DeleteView deletes one of the signed-in user's own views.
func (s *Service) DeleteView(ctx context.Context, u *habeas.User, id string) error {
	if err := s.authorize(u, readCases); err != nil {
		return err
	}
	ctx = habeas.WithUser(ctx, u)
	return s.cfg.Views.DeleteView(ctx, u.Name, id)
}
