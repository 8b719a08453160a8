package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
)

// listAlerts serves GET /api/v1/alerts.
func (a *API) listAlerts(w http.ResponseWriter, r *http.Request) error {
	q, err := a.Work.ParseAlertQuery(r.URL.Query())
	if err != nil {
		return err
	}
	l, err := a.Work.FindAlerts(r.Context(), habeas.UserFrom(r.Context()), q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, l)
	return nil
}

// listAlertsByDetainee serves GET /api/v1/alerts/detainees.
func (a *API) listAlertsByDetainee(w http.ResponseWriter, r *http.Request) error {
	q, err := a.Work.ParseAlertQuery(r.URL.Query())
	if err != nil {
		return err
	}
	l, err := a.Work.FindAlertGroups(r.Context(), habeas.UserFrom(r.Context()), q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, l)
	return nil
}

// alertCounts serves GET /api/v1/alerts/counts.
func (a *API) alertCounts(w http.ResponseWriter, r *http.Request) error {
	at, err := a.Work.ParseAt(r.URL.Query())
	if err != nil {
		return err
	}
	rc, err := a.Work.FindRuleCounts(r.Context(), habeas.UserFrom(r.Context()), at)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rc)
	return nil
}

// safeguards serves GET /api/v1/detentions/{id}/safeguards.
func (a *API) safeguards(w http.ResponseWriter, r *http.Request) error {
	at, err := a.Work.ParseAt(r.URL.Query())
	if err != nil {
		return err
	}
	s, err := a.Work.FindSafeguards(r.Context(), habeas.UserFrom(r.Context()), r.PathValue("id"), at)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s)
	return nil
}
