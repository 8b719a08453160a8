// Package api serves the JSON interface of Habeas under /api/v1: filtered
// lists, every entity by kind and identifier with its history, writes, batches
// that are applied all or nothing, counts, and the safeguard clocks: alerts,
// counts per rule and each detention's safeguards; the investigations
// tracker and trial monitoring; the review queue of possible duplicate
// persons; the hotline intake: one report written as source, person and
// detention in one batch, with the type-ahead that finds registered persons
// in any script; the queues of detentions that need attention, and each
// user's saved views of the list; the audit log of reads.
//
// It depends only on the domain (the root package), the rules engine, the
// alerts watcher and the review queue (package dedup), and the standard
// library. It must not depend on a store (database/sql, sqlite, postgres),
// on sessions, or on the HTML server: who the caller is, and whether they
// may call a route, is decided by the one router in package web, which puts
// the signed-in user in the request context as the actor
// (habeas.WithActor) that every write here records.
package api

import (
	"log/slog"
	"net/http"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// Prefix is the path every route of the API starts with.
const Prefix = "/api/v1"

// API serves the casework layer as JSON. Every handler reads the
// request, calls one casework operation with the signed-in user, and
// writes its result or its error.
type API struct {
	Work *casework.Service
	// Logger receives internal errors, which callers see only as "internal error".
	Logger *slog.Logger
}

// Route is one endpoint: the name the authorization table knows it by, its
// http.ServeMux pattern and its handler.
type Route struct {
	Name    string
	Pattern string
	Handler http.Handler
}

// Routes returns every endpoint of the API. The caller mounts them on its
// router and decides who may call each, by name.
func (a *API) Routes() []Route {
	return []Route{
		{"api.detentions", "GET " + Prefix + "/detentions", a.handle(list(a.Work.ParseDetentionQuery, a.Work.FindDetentionList))},
		{"api.casualties", "GET " + Prefix + "/casualties", a.handle(list(casework.ParseCasualtyQuery, a.Work.FindCasualtyItems))},
		{"api.persons", "GET " + Prefix + "/persons", a.handle(list(casework.ParsePersonFilter, a.Work.FindPersons))},
		{"api.persons.suggest", "GET " + Prefix + "/persons/suggest", a.handle(a.suggestPersons)},
		{"api.intake", "POST " + Prefix + "/intake", a.handle(a.postIntake)},
		{"api.stats", "GET " + Prefix + "/stats", a.handle(a.stats)},
		{"api.alerts", "GET " + Prefix + "/alerts", a.handle(a.listAlerts)},
		{"api.alerts.counts", "GET " + Prefix + "/alerts/counts", a.handle(a.alertCounts)},
		{"api.alerts.detainees", "GET " + Prefix + "/alerts/detainees", a.handle(a.listAlertsByDetainee)},
		{"api.safeguards", "GET " + Prefix + "/detentions/{id}/safeguards", a.handle(a.safeguards)},
		{"api.review", "GET " + Prefix + "/review", a.handle(a.listReview)},
		{"api.investigations", "GET " + Prefix + "/investigations", a.handle(a.listInvestigations)},
		{"api.investigation.checklist", "GET " + Prefix + "/investigations/{id}/checklist", a.handle(a.investigationChecklist)},
		{"api.trials", "GET " + Prefix + "/trials", a.handle(list(casework.ParseTrialQuery, a.Work.FindTrials))},
		{"api.lawyers", "GET " + Prefix + "/lawyers", a.handle(a.listLawyers)},
		{"api.queues", "GET " + Prefix + "/queues", a.handle(a.listQueues)},
		{"api.views", "GET " + Prefix + "/views", a.handle(a.listViews)},
		{"api.view.create", "POST " + Prefix + "/views", a.handle(a.createView)},
		{"api.view", "GET " + Prefix + "/views/{id}", a.handle(a.findView)},
		{"api.view.delete", "DELETE " + Prefix + "/views/{id}", a.handle(a.deleteView)},
		{"api.find", "GET " + Prefix + "/{kind}/{id}", a.handle(a.find)},
		{"api.history", "GET " + Prefix + "/{kind}/{id}/history", a.handle(a.history)},
		{"api.create", "POST " + Prefix + "/{kind}", a.handle(a.create)},
		{"api.update", "PUT " + Prefix + "/{kind}/{id}", a.handle(a.update)},
		{"api.delete", "DELETE " + Prefix + "/{kind}/{id}", a.handle(a.delete)},
		{"api.batch", "POST " + Prefix + "/batch", a.handle(a.batch)},
		// The audit log of reads, newest first: administrators only.
		{"api.audit", "GET " + Prefix + "/audit", a.handle(list(casework.ParseAccessFilter, a.Work.FindAccesses))},
		// Anything else under /api/ answers in JSON, not with the HTML 404 page.
		{"api.notfound", "/api/", a.handle(notFound)},
	}
}

// handle adapts a handler that returns an error: the error is written once,
// here, as JSON.
func (a *API) handle(fn func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			WriteError(w, r, a.Logger, err)
		}
	})
}

func notFound(w http.ResponseWriter, r *http.Request) error {
	return habeas.Errorf(habeas.ENOTFOUND, "no endpoint %s %s", r.Method, r.URL.Path)
}
