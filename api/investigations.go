package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
)

// listInvestigations serves GET /api/v1/investigations.
func (a *API) listInvestigations(w http.ResponseWriter, r *http.Request) error {
	q, err := a.Work.ParseInvestigationQuery(r.URL.Query())
	if err != nil {
		return err
	}
	l, err := a.Work.FindInvestigations(r.Context(), habeas.UserFrom(r.Context()), q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, l)
	return nil
}

// investigationChecklist serves GET /api/v1/investigations/{id}/checklist:
// one investigation with its checklist, judged now or at ?at=.
func (a *API) investigationChecklist(w http.ResponseWriter, r *http.Request) error {
	at, err := a.Work.ParseAt(r.URL.Query())
	if err != nil {
		return err
	}
	it, err := a.Work.FindInvestigation(r.Context(), habeas.UserFrom(r.Context()), r.PathValue("id"), at)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, it)
	return nil
}
