package api

import "net/http"

// listPersons serves GET /api/v1/persons?name=&iin=.
func (a *API) listPersons(w http.ResponseWriter, r *http.Request) error {
	f, err := ParsePersonFilter(r.URL.Query())
	if err != nil {
		return err
	}
	ps, total, err := a.Persons.FindPersons(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newListBody(ps, total, f.Page))
	return nil
}
