package casework

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/alerts"
	"github.com/habeas-project/habeas/rules"
)

// query reads optional filter parameters, collecting every problem so that
// one answer names them all. An empty parameter does not filter, as an
// HTML form submits its empty fields.
type query struct {
	q    url.Values
	errs []habeas.FieldError
}

func (p *query) bad(field, format string, args ...any) {
	p.errs = append(p.errs, habeas.FieldErrorf(field, format, args...))
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
			p.bad(name, "%q is not a known city", *v)
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
		p.bad(name, "%q is not a date YYYY-MM-DD", *v)
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
		p.bad(name, "%q is not a whole number from %d to %d", *v, lo, hi)
		return def
	}
	return n
}

func (p *query) page() habeas.Page {
	return habeas.Page{
		Offset: p.number("offset", 0, 0, 1<<30),
		Limit:  p.number("limit", habeas.DefaultPageLimit, 1, habeas.MaxPageLimit),
	}
}

// at reads a moment (ParseMoment); without it, def.
func (p *query) at(name string, def time.Time) time.Time {
	v := p.text(name)
	if v == nil {
		return def
	}
	t, err := ParseMoment(*v)
	if err != nil {
		p.bad(name, "%q is not a moment in RFC 3339 form, such as 2022-01-07T14:30:00+06:00 (in a URL, write + as %%2B: 2022-01-07T14:30:00%%2B06:00)", *v)
		return def
	}
	return t
}

// ParseMoment reads a moment as the pages, the API and the command line
// take it, in RFC 3339 ("2022-01-07T14:30:00+06:00"), and returns it in
// UTC. A space where the offset's + belongs is read as the +: a URL
// query turns an unencoded + into a space, and the moment meant is plain.
func ParseMoment(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil && len(s) > 6 && s[len(s)-6] == ' ' {
		if t2, err2 := time.Parse(time.RFC3339, s[:len(s)-6]+"+"+s[len(s)-5:]); err2 == nil {
			return t2.UTC(), nil
		}
	}
	return t.UTC(), err
}

// within reads a span as a Go duration ("36h", "90m") or a number of hours.
func (p *query) within(name string, def time.Duration) time.Duration {
	v := p.text(name)
	if v == nil {
		return def
	}
	d, err := ParseWithin(*v)
	if err != nil {
		p.bad(name, "%s", err.Error())
		return def
	}
	return d
}

// flag reads a yes-or-no parameter; an HTML checkbox sends "on".
func (p *query) flag(name string) bool {
	v := p.text(name)
	if v == nil {
		return false
	}
	switch strings.ToLower(*v) {
	case "true", "1", "on", "yes":
		return true
	case "false", "0", "off", "no":
		return false
	}
	p.bad(name, "%q is not true or false", *v)
	return false
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
		p.bad(name, "%q is not one of %s", *v, strings.Join(allowed, ", "))
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
// queue (one of habeas.Queues), offset and limit. The limit defaults to
// habeas.DefaultPageLimit.
func ParseDetentionFilter(q url.Values) (habeas.DetentionFilter, error) {
	p := &query{q: q}
	f := p.detentionFilter()
	return f, p.err()
}

func (p *query) detentionFilter() habeas.DetentionFilter {
	var f habeas.DetentionFilter
	f.City = p.city("city")
	f.From, f.To = p.dateRange(location(f.City))
	f.Procedure = oneOf[habeas.Procedure](p, "procedure", Procedures)
	f.Status = oneOf[habeas.Status](p, "status", habeas.Statuses)
	f.Queue = oneOf[habeas.Queue](p, "queue", habeas.Queues)
	f.Page = p.page()
	return f
}

// ViewKeys are the parameters of the detention list a saved view keeps:
// the filter and the queue, not the page, the language or the moment.
var ViewKeys = []string{"city", "from", "to", "procedure", "status", "queue"}

// ParseViewFilter checks the filter of a saved view, a query of the
// detention list with only ViewKeys, and returns it in its one written
// form: empty parameters dropped, keys sorted.
func ParseViewFilter(q url.Values) (string, error) {
	p := &query{q: q}
	kept := url.Values{}
	for _, k := range slices.Sorted(maps.Keys(q)) {
		if !slices.Contains(ViewKeys, k) {
			p.bad(k, "is not a filter of the detention list (one of %s)", strings.Join(ViewKeys, ", "))
		} else if v := strings.TrimSpace(q.Get(k)); v != "" {
			kept.Set(k, v)
		}
	}
	p.q = kept
	p.detentionFilter()
	return kept.Encode(), p.err()
}

// ParsePersonFilter reads name (a prefix), iin, offset and limit.
func ParsePersonFilter(q url.Values) (habeas.PersonFilter, error) {
	p := &query{q: q}
	f := habeas.PersonFilter{Name: p.text("name"), IIN: p.text("iin")}
	f.Page = p.page()
	return f, p.err()
}

// DefaultWithin is how far ahead alerts look for pending deadlines unless
// the query says; MaxWithin bounds it.
const (
	DefaultWithin = 24 * time.Hour
	MaxWithin     = 366 * 24 * time.Hour
)

// AlertPageSize is how many alerts a page holds unless limit says otherwise:
// about 60 KB of HTML in Russian, under the 100 KB a page may weigh.
const AlertPageSize = 50

// ParseWithin reads a span as a Go duration ("36h", "90m") or a number of
// hours ("24"), from zero to MaxWithin.
func ParseWithin(s string) (time.Duration, error) {
	var d time.Duration
	if h, err := strconv.ParseFloat(s, 64); err == nil {
		if !(h >= 0 && h <= MaxWithin.Hours()) { // also false for NaN
			return 0, fmt.Errorf("%q hours is not from 0 to %.0f", s, MaxWithin.Hours())
		}
		d = time.Duration(h * float64(time.Hour))
	} else if d, err = time.ParseDuration(s); err != nil {
		return 0, fmt.Errorf("%q is not a number of hours or a duration such as 24h or 90m", s)
	}
	if d < 0 || d > MaxWithin {
		return 0, fmt.Errorf("%q is not from 0 to %.0fh", s, MaxWithin.Hours())
	}
	return d, nil
}

// ParseAlertQuery reads at (RFC 3339; the API's clock without it), within
// (a duration or hours, default DefaultWithin), city, rule (a rule id),
// unknown (true to include what cannot be judged), offset and limit
// (default AlertPageSize).
func (s *Service) ParseAlertQuery(q url.Values) (alerts.Query, error) {
	p := &query{q: q}
	aq := alerts.Query{At: p.at("at", s.Clock()), Within: p.within("within", DefaultWithin), Unknown: p.flag("unknown")}
	if c := p.city("city"); c != nil {
		aq.City = *c
	}
	if id := p.text("rule"); id != nil {
		if !slices.ContainsFunc(s.cfg.Alerts.Engine().Rules(), func(r *rules.Rule) bool { return r.ID == *id }) {
			p.bad("rule", "%q is not the id of a rule in force", *id)
		} else {
			aq.RuleID = *id
		}
	}
	aq.Offset = p.number("offset", 0, 0, 1<<30)
	aq.Limit = p.number("limit", AlertPageSize, 1, habeas.MaxPageLimit)
	return aq, p.err()
}
