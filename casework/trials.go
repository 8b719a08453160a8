package casework

import (
	"cmp"
	"context"
	"net/url"
	"slices"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/alerts"
	"github.com/habeas-project/habeas/rules"
)

// TrialItem is one hearing (a trial hearing or court appearance) as trial
// monitoring shows it, with the monitor's checklist if one was recorded.
type TrialItem struct {
	DetentionID string                  `json:"detention_id"`
	EventID     string                  `json:"event_id"`
	Type        habeas.EventType        `json:"type"`
	At          time.Time               `json:"at"`
	Zone        string                  `json:"zone"`
	City        string                  `json:"city"`
	Place       string                  `json:"place,omitempty"`
	Body        string                  `json:"body,omitempty"` // the court
	PersonID    string                  `json:"person_id"`
	PersonName  string                  `json:"person_name"`
	Procedure   habeas.Procedure        `json:"procedure,omitempty"`
	Decision    *habeas.Decision        `json:"decision,omitempty"`
	Monitoring  *habeas.TrialMonitoring `json:"monitoring,omitempty"`
	Failed      []string                `json:"failed"` // the guarantees the monitor answered no, in checklist order
	// StatementAllegations flags the hearing for the trial monitor under
	// the Convention against Torture, art. 15: the detention's allegations
	// of ill-treatment (event ids) that say a statement was obtained by
	// it, made before a hearing where the monitor recorded a statement of
	// the accused admitted as evidence (rules.StatementAllegations). Empty
	// when there is nothing to flag.
	StatementAllegations []string `json:"statement_allegations"`
}

// TrialQuery selects hearings. Nil fields do not filter; From and To bound
// the time of the hearing (From inclusive, To exclusive).
type TrialQuery struct {
	City        *string
	From, To    *time.Time
	DetentionID *string
	Type        *habeas.EventType
	Monitored   *bool   // whether a monitor's checklist was recorded
	Failing     bool    // a guarantee answered no
	Check       *string // this guarantee answered no
	// Statement selects the hearings flagged under the Convention
	// against Torture, art. 15 (StatementAllegations not empty).
	Statement bool
	habeas.Page
}

// HearingTypes lists the event types trial monitoring covers.
var HearingTypes = []string{string(habeas.EventTrialHearing), string(habeas.EventCourtAppearance)}

// TrialCheckNames lists the keys of the fair-trial checklist, in order.
var TrialCheckNames = func() []string {
	out := make([]string, len(habeas.TrialChecks))
	for i, c := range habeas.TrialChecks {
		out[i] = c.Name
	}
	return out
}()

// ParseTrialQuery reads city, from, to (YYYY-MM-DD, both days included, in
// the city's zone or UTC without a city), detention, type
// (trial_hearing, court_appearance), monitored (true or false), failing
// (true: a guarantee answered no), check (that guarantee answered no),
// statement (true: a statement alleged to have been obtained by
// ill-treatment was admitted), offset and limit.
func ParseTrialQuery(q url.Values) (TrialQuery, error) {
	p := &query{q: q}
	var f TrialQuery
	f.City = p.city("city")
	f.From, f.To = p.dateRange(location(f.City))
	if id := p.text("detention"); id != nil {
		if !habeas.ValidID(habeas.KindDetention, *id) {
			p.bad("detention", "%q is not a detention identifier", *id)
		} else {
			f.DetentionID = id
		}
	}
	f.Type = oneOf[habeas.EventType](p, "type", HearingTypes)
	if p.text("monitored") != nil {
		m := p.flag("monitored")
		f.Monitored = &m
	}
	f.Failing = p.flag("failing")
	f.Check = oneOf[string](p, "check", TrialCheckNames)
	f.Statement = p.flag("statement")
	f.Page = p.page()
	return f, p.err()
}

func (q *TrialQuery) match(it *TrialItem) bool {
	switch {
	case q.City != nil && it.City != *q.City,
		q.From != nil && it.At.Before(*q.From),
		q.To != nil && !it.At.Before(*q.To),
		q.DetentionID != nil && it.DetentionID != *q.DetentionID,
		q.Type != nil && it.Type != *q.Type,
		q.Monitored != nil && (it.Monitoring != nil) != *q.Monitored,
		q.Failing && len(it.Failed) == 0,
		q.Check != nil && !slices.Contains(it.Failed, *q.Check),
		q.Statement && len(it.StatementAllegations) == 0:
		return false
	}
	return true
}

// FindTrials returns a page of the hearings that match q, the latest
// first, and the total that match; the page is recorded as a list of the
// detentions of its hearings.
func (s *Service) FindTrials(ctx context.Context, u *habeas.User, q TrialQuery) ([]TrialItem, int, error) {
	v, err := s.as(ctx, u, readTrials)
	if err != nil {
		return nil, 0, err
	}
	items, total, err := v.trials(habeas.WithUser(ctx, u), q)
	if err != nil {
		return nil, 0, err
	}
	if err := listed(ctx, s, u, habeas.AccessList, habeas.KindDetention, q, items, func(it TrialItem) string { return it.DetentionID }); err != nil {
		return nil, 0, err
	}
	return items, total, nil
}

// trials is FindTrials for a page that records what it shows itself.
func (s *Service) trials(ctx context.Context, q TrialQuery) ([]TrialItem, int, error) {
	var hs []alerts.Hearing
	var err error
	if q.DetentionID != nil { // one case's hearings: no need to look at the others
		hs, err = s.cfg.Alerts.HearingsOf(ctx, *q.DetentionID)
	} else {
		hs, err = s.cfg.Alerts.Hearings(ctx)
	}
	if err != nil {
		return nil, 0, err
	}
	var items []TrialItem
	for _, h := range hs {
		d, e := h.Detention, h.Event
		if !s.sc.seesCase(d.ID) {
			continue
		}
		it := TrialItem{DetentionID: d.ID, EventID: e.ID, Type: e.Type, At: e.At, Zone: e.Zone, City: d.City,
			Place: e.Place, Body: e.Body, PersonID: d.PersonID, PersonName: s.sc.name(d.PersonID, h.PersonName), Procedure: d.Procedure,
			Decision: e.Decision, Monitoring: e.Monitoring, Failed: []string{}, StatementAllegations: []string{}}
		s.sc.trialItem(&it)
		if e.Monitoring != nil {
			it.Failed = append(it.Failed, e.Monitoring.Failed()...)
			it.StatementAllegations = append(it.StatementAllegations, rules.StatementAllegations(e, h.Allegations)...)
		}
		if q.match(&it) {
			items = append(items, it)
		}
	}
	slices.SortFunc(items, func(a, b TrialItem) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		if c := cmp.Compare(a.DetentionID, b.DetentionID); c != 0 {
			return c
		}
		return cmp.Compare(a.EventID, b.EventID)
	})
	return pageOf(items, q.Page), len(items), nil
}

// trialItem makes a hearing's item as the scope reads it: pseudonymised,
// without the place, the judge, or the monitor and their notes.
func (sc *scope) trialItem(it *TrialItem) {
	if sc == nil || !sc.pseudonymous {
		return
	}
	it.Place = ""
	if it.Decision != nil {
		dec := *it.Decision
		dec.Judge = ""
		it.Decision = &dec
	}
	if it.Monitoring != nil {
		m := *it.Monitoring
		m.Monitor, m.Notes = "", ""
		it.Monitoring = &m
	}
}
