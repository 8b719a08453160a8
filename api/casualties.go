package api

import (
	"context"
	"net/http"

	"github.com/habeas-project/habeas"
)

// CasualtyItem is a casualty as lists show it, with the name of the person.
type CasualtyItem struct {
	*habeas.Casualty
	PersonName string `json:"person_name"`
}

// FindCasualtyItems returns a page of casualties that match f, as lists
// show them, and the total that match.
func (a *API) FindCasualtyItems(ctx context.Context, f habeas.CasualtyFilter) ([]CasualtyItem, int, error) {
	cs, total, err := a.Casualties.FindCasualties(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.PersonID
	}
	names, err := a.personNames(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	items := make([]CasualtyItem, len(cs))
	for i, c := range cs {
		items[i] = CasualtyItem{Casualty: c, PersonName: names[c.PersonID]}
	}
	return items, total, nil
}

// listCasualties serves GET /api/v1/casualties.
func (a *API) listCasualties(w http.ResponseWriter, r *http.Request) error {
	f, err := ParseCasualtyFilter(r.URL.Query())
	if err != nil {
		return err
	}
	items, total, err := a.FindCasualtyItems(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newListBody(items, total, f.Page))
	return nil
}
