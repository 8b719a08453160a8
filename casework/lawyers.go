package casework

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/names"
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
	s, err := s.as(ctx, u, readCases, readRegister)
	if err != nil {
		return nil, 0, err
	}
	ctx = habeas.WithUser(ctx, u)
	es, total, err := s.cfg.Records.FindByKind(ctx, habeas.KindLawyer, p)
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
	if err := s.authorize(u, readRegister); err != nil {
		return LawyerItem{}, err
	}
	ctx = habeas.WithUser(ctx, u)
	asgs, err := s.cfg.Records.FindReferring(ctx, habeas.KindAssignment, l.ID)
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

// FindLawyers returns the lawyers in city ("" for any) whose name matches
// name ("" for any) as the person search matches (names.PrefixMatch), in
// identifier order. An organisation works with hundreds of lawyers, not
// millions: they are read a page at a time and matched in memory.
func (s *Service) FindLawyers(ctx context.Context, u *habeas.User, city, name string) ([]*habeas.Lawyer, error) {
	s, err := s.as(ctx, u, readCases)
	if err != nil {
		return nil, err
	}
	ctx = habeas.WithUser(ctx, u)
	name = strings.TrimSpace(name)
	var out []*habeas.Lawyer
	for offset := 0; ; offset += habeas.MaxPageLimit {
		es, total, err := s.cfg.Records.FindByKind(ctx, habeas.KindLawyer, habeas.Page{Offset: offset, Limit: habeas.MaxPageLimit})
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			if l := e.(*habeas.Lawyer); (city == "" || l.City == city) && (name == "" || names.PrefixMatch(name, l.Name)) {
				out = append(out, l)
			}
		}
		if len(es) == 0 || offset+len(es) >= total {
			return out, nil
		}
	}
}

// FindLawyer returns one lawyer.
func (s *Service) FindLawyer(ctx context.Context, u *habeas.User, id string) (*habeas.Lawyer, error) {
	e, _, err := s.FindRecord(ctx, u, habeas.KindLawyer, id)
	if err != nil {
		return nil, err
	}
	return e.(*habeas.Lawyer), nil
}

// FindSource returns one source.
func (s *Service) FindSource(ctx context.Context, u *habeas.User, id string) (*habeas.Source, error) {
	e, _, err := s.FindRecord(ctx, u, habeas.KindSource, id)
	if err != nil {
		return nil, err
	}
	return e.(*habeas.Source), nil
}

// FindAssignments returns the lawyers' assignments to a detention, in
// identifier order.
func (s *Service) FindAssignments(ctx context.Context, u *habeas.User, detentionID string) ([]*habeas.Assignment, error) {
	s, err := s.as(ctx, u, readCases)
	if err != nil {
		return nil, err
	}
	return referring[*habeas.Assignment](habeas.WithUser(ctx, u), s.cfg.Records, habeas.KindAssignment, detentionID)
}
