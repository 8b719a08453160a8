package casework

import (
	"context"
	"net/url"
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

// FindLawyerItems returns a page of lawyers in identifier order, each with
// the detentions they act in at at, and how many lawyers there are.
func (s *Service) FindLawyerItems(ctx context.Context, u *habeas.User, p habeas.Page, at time.Time) ([]LawyerItem, int, error) {
	if err := s.authorize(u); err != nil {
		return nil, 0, err
	}
	ctx = habeas.WithUser(ctx, u)
	es, total, err := s.Records.FindByKind(ctx, habeas.KindLawyer, p)
	if err != nil {
		return nil, 0, err
	}
	items := make([]LawyerItem, len(es))
	for i, e := range es {
		if items[i], err = s.Caseload(ctx, u, e.(*habeas.Lawyer), at); err != nil {
			return nil, 0, err
		}
	}
	return items, total, nil
}

// Caseload returns the lawyer with the detentions they act in at at. The
// HTML list uses it too, so both count caseloads alike.
func (s *Service) Caseload(ctx context.Context, u *habeas.User, l *habeas.Lawyer, at time.Time) (LawyerItem, error) {
	if err := s.authorize(u); err != nil {
		return LawyerItem{}, err
	}
	ctx = habeas.WithUser(ctx, u)
	asgs, err := s.Records.FindReferring(ctx, habeas.KindAssignment, l.ID)
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

// LawyerQuery asks for a page of the lawyers list, with caseloads counted
// at At.
type LawyerQuery struct {
	habeas.Page
	At time.Time
}

// ParseLawyerQuery reads offset, limit and at (RFC 3339; the service's
// clock without it).
func (s *Service) ParseLawyerQuery(q url.Values) (LawyerQuery, error) {
	p := &query{q: q}
	lq := LawyerQuery{Page: p.page(), At: p.at("at", s.Clock())}
	return lq, p.err()
}
