package api

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// DefaultLimit and MaxLimit bound the page size of every list.
const (
	DefaultLimit = 50
	MaxLimit     = 1000
)

// query reads optional filter parameters, collecting every problem so that
// one answer names them all. An empty parameter does not filter, as an
// HTML form submits its empty fields.
type query struct {
	q    url.Values
	errs []habeas.FieldError
}

func (p *query) bad(field, reason string) {
	p.errs = append(p.errs, habeas.FieldError{Field: field, Reason: reason})
}

func (p *query) text(name string) *string {
	v := strings.TrimSpace(p.q.Get(name))
	if v == "" {
		return nil
	}
	return &v
}

func (p *query) city(name string) *string {
	v := p.text(name)
	if v != nil {
		if _, ok := habeas.FindCity(*v); !ok {
			p.bad(name, strconv.Quote(*v)+" is not a known city")
			return nil
		}
	}
	return v
}

// date reads a day as YYYY-MM-DD and returns its first instant in loc;
// with end set, the first instant of the next day, so that a range
// from=D1&to=D2 includes both days.
func (p *query) date(name string, loc *time.Location, end bool) *time.Time {
	v := p.text(name)
	if v == nil {
		return nil
	}
	d, err := time.ParseInLocation(time.DateOnly, *v, loc)
	if err != nil {
		p.bad(name, strconv.Quote(*v)+" is not a date YYYY-MM-DD")
		return nil
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	d = d.UTC()
	return &d
}

func (p *query) dateRange(loc *time.Location) (from, to *time.Time) {
	from, to = p.date("from", loc, false), p.date("to", loc, true)
	if from != nil && to != nil && !from.Before(*to) {
		p.bad("to", "is before from")
	}
	return from, to
}

func (p *query) number(name string, def, lo, hi int) int {
	v := p.text(name)
	if v == nil {
		return def
	}
	n, err := strconv.Atoi(*v)
	if err != nil || n < lo || n > hi {
		p.bad(name, strconv.Quote(*v)+" is not a whole number from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
		return def
	}
	return n
}

func (p *query) page() habeas.Page {
	return habeas.Page{
		Offset: p.number("offset", 0, 0, 1<<30),
		Limit:  p.number("limit", DefaultLimit, 1, MaxLimit),
	}
}

func (p *query) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	return &habeas.Error{Code: habeas.EINVALID, Message: "invalid filter", Fields: p.errs}
}

// oneOf reads a parameter that must be one of allowed.
func oneOf[T ~string](p *query, name string, allowed []string) *T {
	v := p.text(name)
	if v == nil {
		return nil
	}
	if !slices.Contains(allowed, *v) {
		p.bad(name, strconv.Quote(*v)+" is not one of "+strings.Join(allowed, ", "))
		return nil
	}
	t := T(*v)
	return &t
}

// location returns the zone that dates in a filter are read in: the city's
// when the filter names one, UTC otherwise.
func location(city *string) *time.Location {
	if city != nil {
		if c, ok := habeas.FindCity(*city); ok {
			return c.Location()
		}
	}
	return time.UTC
}

// Procedures lists the procedures a filter accepts.
var Procedures = []string{string(habeas.ProcedureAdministrative), string(habeas.ProcedureCriminal)}

// CasualtyKinds lists the casualty kinds a filter accepts.
var CasualtyKinds = []string{string(habeas.CasualtyKilled), string(habeas.CasualtyInjured)}

// ParseDetentionFilter reads city, from, to (YYYY-MM-DD, both days
// included, in the city's zone or UTC without a city), procedure, status,
// offset and limit. The limit defaults to DefaultLimit.
func ParseDetentionFilter(q url.Values) (habeas.DetentionFilter, error) {
	p := &query{q: q}
	var f habeas.DetentionFilter
	f.City = p.city("city")
	f.From, f.To = p.dateRange(location(f.City))
	f.Procedure = oneOf[habeas.Procedure](p, "procedure", Procedures)
	f.Status = oneOf[habeas.Status](p, "status", habeas.Statuses)
	f.Page = p.page()
	return f, p.err()
}

// ParseCasualtyFilter reads kind, city, from, to, offset and limit, as
// ParseDetentionFilter does.
func ParseCasualtyFilter(q url.Values) (habeas.CasualtyFilter, error) {
	p := &query{q: q}
	var f habeas.CasualtyFilter
	f.Kind = oneOf[habeas.CasualtyKind](p, "kind", CasualtyKinds)
	f.City = p.city("city")
	f.From, f.To = p.dateRange(location(f.City))
	f.Page = p.page()
	return f, p.err()
}

// ParsePersonFilter reads name (a prefix), iin, offset and limit.
func ParsePersonFilter(q url.Values) (habeas.PersonFilter, error) {
	p := &query{q: q}
	f := habeas.PersonFilter{Name: p.text("name"), IIN: p.text("iin")}
	f.Page = p.page()
	return f, p.err()
}
