package api

import (
	"context"
	"net/http"
	"net/url"

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

// paged is the query of a list, which asks for one page of it.
type paged interface{ Bounds() (limit, offset int) }

// list serves a list: the query read from the URL by parse, the page that
// find gives the signed-in user, written as a listBody.
func list[Q paged, T any](parse func(url.Values) (Q, error), find func(context.Context, *habeas.User, Q) ([]T, int, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		q, err := parse(r.URL.Query())
		if err != nil {
			return err
		}
		items, total, err := find(r.Context(), habeas.UserFrom(r.Context()), q)
		if err != nil {
			return err
		}
		limit, offset := q.Bounds()
		writeJSON(w, http.StatusOK, newListBody(items, total, habeas.Page{Offset: offset, Limit: limit}))
		return nil
	}
}
