package api

import (
	"context"
	"net/http"
	"time"

	"github.com/habeas-project/habeas"
)

// DetentionItem is a detention as lists show it: the record, what is
// derived from its timeline, and the name of the person.
type DetentionItem struct {
	*habeas.Detention
	ArrestedAt time.Time     `json:"arrested_at"`          // the earliest de facto arrest any source gives
	ProtocolAt time.Time     `json:"protocol_at,omitzero"` // the earliest time a protocol states
	Status     habeas.Status `json:"status"`
	PersonName string        `json:"person_name"`
}

// FindDetentionItems returns a page of detentions that match f, as lists
// show them, and the total that match. The HTML list uses it too, so both
// show the same thing.
func (a *API) FindDetentionItems(ctx context.Context, f habeas.DetentionFilter) ([]DetentionItem, int, error) {
	ds, total, err := a.Detentions.FindDetentions(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.PersonID
	}
	names, err := a.personNames(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	items := make([]DetentionItem, len(ds))
	for i, d := range ds {
		items[i] = DetentionItem{Detention: d, ArrestedAt: d.ArrestedAt(), ProtocolAt: d.ProtocolAt(),
			Status: d.Status(), PersonName: names[d.PersonID]}
	}
	return items, total, nil
}

// listDetentions serves GET /api/v1/detentions.
func (a *API) listDetentions(w http.ResponseWriter, r *http.Request) error {
	f, err := ParseDetentionFilter(r.URL.Query())
	if err != nil {
		return err
	}
	items, total, err := a.FindDetentionItems(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newListBody(items, total, f.Page))
	return nil
}
