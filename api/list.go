package api

import "github.com/habeas-project/habeas"

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
