package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/habeas-project/habeas"
)

// LawyerItem is a lawyer as the coordination list shows them: the record
// and the detentions they act in at the moment asked for.
type LawyerItem struct {
	*habeas.Lawyer
	// Caseload is the number of detentions with an assignment of the
	// lawyer in force; Current lists them, in identifier order.
	Caseload int      `json:"caseload"`
	Current  []string `json:"current_detentions"`
}

// lawyerList is the JSON shape of the lawyers list: a page of the usual
// list shape and the moment caseloads were counted at.
type lawyerList struct {
	listBody[LawyerItem]
	At time.Time `json:"at"`
}

// FindLawyerItems returns a page of lawyers in identifier order, each with
// the detentions they act in at at, and how many lawyers there are.
func (a *API) FindLawyerItems(ctx context.Context, p habeas.Page, at time.Time) ([]LawyerItem, int, error) {
	es, total, err := a.Records.FindByKind(ctx, habeas.KindLawyer, p)
	if err != nil {
		return nil, 0, err
	}
	items := make([]LawyerItem, len(es))
	for i, e := range es {
		if items[i], err = a.Caseload(ctx, e.(*habeas.Lawyer), at); err != nil {
			return nil, 0, err
		}
	}
	return items, total, nil
}

// Caseload returns the lawyer with the detentions they act in at at. The
// HTML list uses it too, so both count caseloads alike.
func (a *API) Caseload(ctx context.Context, l *habeas.Lawyer, at time.Time) (LawyerItem, error) {
	asgs, err := a.Records.FindReferring(ctx, habeas.KindAssignment, l.ID)
	if err != nil {
		return LawyerItem{}, err
	}
	it := LawyerItem{Lawyer: l, Current: []string{}}
	for _, e := range asgs {
		if asg := e.(*habeas.Assignment); asg.ActiveAt(at) && !slices.Contains(it.Current, asg.DetentionID) {
			it.Current = append(it.Current, asg.DetentionID)
		}
	}
	slices.Sort(it.Current) // assignments come in their own identifier order
	it.Caseload = len(it.Current)
	return it, nil
}

// listLawyers serves GET /api/v1/lawyers: every lawyer with their current
// caseload, paged (offset, limit) in identifier order; ?at=RFC3339 counts
// caseloads at another moment than now.
func (a *API) listLawyers(w http.ResponseWriter, r *http.Request) error {
	q := &query{q: r.URL.Query()}
	p := q.page()
	at := q.at("at", a.now())
	if err := q.err(); err != nil {
		return err
	}
	items, total, err := a.FindLawyerItems(r.Context(), p, at)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, lawyerList{listBody: newListBody(items, total, p), At: at})
	return nil
}
