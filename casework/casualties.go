package casework

import (
	"cmp"
	"context"
	"net/url"
	"slices"
	"time"

	"github.com/habeas-project/habeas"
)

// CasualtyItem is a casualty as the register shows it: the record, the
// name of the person, the investigations of it, and its checks under the
// Basic Principles on the use of force.
type CasualtyItem struct {
	*habeas.Casualty
	PersonName     string              `json:"person_name"`
	Investigations []InvestigationLink `json:"investigations"` // in identifier order; empty when none is known
	Force          ForceReview         `json:"force_review"`
}

// InvestigationLink names an investigation and where it stands.
type InvestigationLink struct {
	ID        string                     `json:"id"`
	Status    habeas.InvestigationStatus `json:"status"`
	Authority string                     `json:"authority"`
}

// CasualtyQuery selects casualties for the register. Nil fields do not
// filter.
type CasualtyQuery struct {
	Kind  *habeas.CasualtyKind
	City  *string
	From  *time.Time
	To    *time.Time
	Cause *string
	// Investigation is "none" (no investigation known), "any" (at least
	// one), or a status (at least one investigation with that status).
	Investigation *string
	habeas.Page
}

// InvestigationFilters lists the values the investigation filter of the
// casualty register accepts.
var InvestigationFilters = append([]string{"none", "any"}, habeas.InvestigationStatuses...)

// ParseCasualtyQuery reads kind, city, from, to (YYYY-MM-DD, both days
// included, in the city's zone or UTC without a city), cause,
// investigation, offset and limit.
func ParseCasualtyQuery(q url.Values) (CasualtyQuery, error) {
	p := &query{q: q}
	var f CasualtyQuery
	f.Kind = oneOf[habeas.CasualtyKind](p, "kind", CasualtyKinds)
	f.City = p.city("city")
	f.From, f.To = p.dateRange(location(f.City))
	f.Cause = oneOf[string](p, "cause", habeas.Causes)
	f.Investigation = oneOf[string](p, "investigation", InvestigationFilters)
	f.Page = p.page()
	return f, p.err()
}

// match reports whether a casualty with its investigations passes the
// query.
func (q *CasualtyQuery) match(c *habeas.Casualty, invs []*habeas.Investigation) bool {
	switch {
	case q.Kind != nil && c.Kind != *q.Kind,
		q.City != nil && c.City != *q.City,
		q.From != nil && c.At.Before(*q.From),
		q.To != nil && !c.At.Before(*q.To),
		q.Cause != nil && c.Cause != *q.Cause:
		return false
	}
	if q.Investigation == nil {
		return true
	}
	switch *q.Investigation {
	case "none":
		return len(invs) == 0
	case "any":
		return len(invs) > 0
	}
	return slices.ContainsFunc(invs, func(i *habeas.Investigation) bool { return string(i.Status) == *q.Investigation })
}

// FindCasualtyItems returns a page of the casualties that match q, the
// latest first, and the total that match; the page is recorded as a list. The register reads the alerts
// watcher, which holds every casualty with its investigations, so that it
// can filter by what the investigations say.
func (s *Service) FindCasualtyItems(ctx context.Context, u *habeas.User, q CasualtyQuery) ([]CasualtyItem, int, error) {
	v, err := s.as(ctx, u, readCases, readRegister)
	if err != nil {
		return nil, 0, err
	}
	ctx = habeas.WithUser(ctx, u)
	all, err := s.cfg.Alerts.Casualties(ctx)
	if err != nil {
		return nil, 0, err
	}
	var items []CasualtyItem
	for _, rec := range all {
		if !q.match(rec.Casualty, rec.Investigations) {
			continue
		}
		it := CasualtyItem{Casualty: v.sc.redact(rec.Casualty).(*habeas.Casualty), PersonName: v.sc.name(rec.Casualty.PersonID, rec.PersonName),
			Investigations: []InvestigationLink{}}
		for _, inv := range rec.Investigations {
			it.Investigations = append(it.Investigations, InvestigationLink{ID: inv.ID, Status: inv.Status, Authority: inv.Authority})
		}
		items = append(items, it)
	}
	slices.SortFunc(items, func(a, b CasualtyItem) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	page := pageOf(items, q.Page)
	for i := range page { // judged for the page shown only
		page[i].Force = NewForceReview(page[i].Casualty)
	}
	if err := listed(ctx, s, u, habeas.AccessList, habeas.KindCasualty, q, page, func(it CasualtyItem) string { return it.ID }); err != nil {
		return nil, 0, err
	}
	return page, len(items), nil
}

// pageOf returns the part of items the page asks for.
func pageOf[T any](items []T, p habeas.Page) []T {
	limit, offset := p.Bounds()
	from := min(offset, len(items))
	return items[from:min(from+limit, len(items))]
}
