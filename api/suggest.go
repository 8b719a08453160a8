package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// suggestPersons serves GET /api/v1/persons/suggest?q=&iin=&limit=: the
// type-ahead of the intake form, as JSON.
func (a *API) suggestPersons(w http.ResponseWriter, r *http.Request) error {
	q, err := casework.ParseSuggestQuery(r.URL.Query())
	if err != nil {
		return err
	}
	items, err := a.Work.Suggest(r.Context(), habeas.UserFrom(r.Context()), q.Name, q.IIN, q.Limit)
	if err != nil {
		return err
	}
	if items == nil {
		items = []casework.Suggestion{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}
