package api

import (
	"context"

	"github.com/habeas-project/habeas"
)

// listBody is the JSON shape of every list: one page of items, the total
// that match the filter, and the page asked for.
type listBody[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

func newListBody[T any](items []T, total int, p habeas.Page) listBody[T] {
	if items == nil {
		items = []T{} // an empty page is [], not null
	}
	return listBody[T]{Items: items, Total: total, Offset: p.Offset, Limit: p.Limit}
}

// personNames returns the display name of each person, in one lookup.
func (a *API) personNames(ctx context.Context, ids []string) (map[string]string, error) {
	persons, err := a.Persons.FindPersonsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(ids))
	for _, id := range ids {
		if p, ok := persons[id]; ok {
			names[id] = p.DisplayName()
		} else {
			names[id] = "" // deleted since, or never valid: shown as no name
		}
	}
	return names, nil
}
