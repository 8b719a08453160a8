package casework

import (
	"context"
	"net/url"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/alerts"
	"github.com/habeas-project/habeas/rules"
)

// AlertItem is one rule of one detention (or of one killing outside
// custody) as the API shows it: in the list of alerts, in a detention's
// safeguards, in `habeas alerts --format json`, and, through the same
// values, on the HTML pages.
type AlertItem struct {
	DetentionID string `json:"detention_id"`
	CasualtyID  string `json:"casualty_id,omitempty"` // a killing outside custody, which has no detention
	PersonID    string `json:"person_id"`
	PersonName  string `json:"person_name"`
	City        string `json:"city"`
	Zone        string `json:"zone"` // the tz database zone of the city, to show times in
	RuleID      string `json:"rule_id"`
	RuleTitle   string `json:"rule_title"` // in English; Localize gives it in another language
	Safeguard   string `json:"safeguard"`
	// Subject names what the rule was judged for when a detention has
	// several: an allegation's event id, a casualty id.
	Subject  string `json:"subject,omitempty"`
	Citation string `json:"citation"`
	// Confidence is that of the limit that applied (an exception's, when
	// it states its own); Unverified is true for confidence L.
	Confidence string    `json:"confidence"`
	Unverified bool      `json:"unverified"`
	Severity   string    `json:"severity"`
	State      string    `json:"state"`
	Start      time.Time `json:"start,omitzero"`
	StartEvent string    `json:"start_event"`
	Deadline   time.Time `json:"deadline,omitzero"`
	MetAt      time.Time `json:"met_at,omitzero"`
	MetEvent   string    `json:"met_event"`
	// BySeconds and By are how late (met late, overdue, violated) or how
	// much time is left (pending); zero and empty otherwise.
	BySeconds   int64    `json:"by_seconds"`
	By          string   `json:"by"`
	Missing     string   `json:"missing"` // for state unknown: the fact that is not recorded
	Failed      []string `json:"failed"`  // failed checks (Minnesota Protocol, terms)
	Explanation string   `json:"explanation"`
	// Doubt is the rule judged under a reading the record or the law
	// leaves in doubt; State above is always the judgement under what is
	// known and verified, and only it counts.
	Doubt *DoubtItem `json:"doubt,omitempty"`

	alert alerts.Alert // what the item was made from, for Localize
	// unnamed explains without the sources' titles (scope.alertItem).
	unnamed bool
}

// DoubtItem is what a rule would be under a doubtful reading: the
// detainee a juvenile while the birth date does not say ("juvenile"), or
// an exception that would lengthen the limit but is not verified
// ("unverified").
type DoubtItem struct {
	Reason     string    `json:"reason"`
	State      string    `json:"state"`
	Deadline   time.Time `json:"deadline,omitzero"`
	BySeconds  int64     `json:"by_seconds"`
	By         string    `json:"by"`
	Citation   string    `json:"citation"`   // of the limit under that reading
	Confidence string    `json:"confidence"` // of the limit under that reading
}

// Localize gives the item's rule title and explanation in lang (en, ru or
// kk), for the pages; the API's JSON stays in English.
func (it *AlertItem) Localize(lang string) {
	if r := it.alert.Rule; r != nil {
		it.RuleTitle = rules.Text(r.Title, lang)
		switch {
		case it.unnamed:
			it.Explanation = it.alert.ExplainUnnamed(lang)
		case lang != "en":
			it.Explanation = it.alert.ExplainIn(lang)
		}
	}
}

// NewAlertItem returns the item for an alert.
func NewAlertItem(a alerts.Alert) AlertItem {
	r := a.Rule
	it := AlertItem{
		DetentionID: a.DetentionID, CasualtyID: a.CasualtyID, PersonID: a.PersonID, PersonName: a.PersonName,
		City: a.City, Zone: a.Zone,
		RuleID: r.ID, RuleTitle: rules.Text(r.Title, "en"), Safeguard: r.Safeguard, Subject: a.Subject,
		Citation: r.Citation, Confidence: alerts.Confidence(a.Result), Severity: string(r.Severity),
		State: string(a.State), Start: a.Start.UTC(), StartEvent: a.StartBy, Deadline: a.Deadline.UTC(),
		MetAt: a.MetAt.UTC(), MetEvent: a.MetBy, Missing: a.Missing, Failed: a.Failed, Explanation: a.Explanation,
		alert: a,
	}
	it.Unverified = it.Confidence == "L"
	switch a.State {
	case rules.StatePending, rules.StateOverdue, rules.StateMetLate, rules.StateViolated:
		it.BySeconds, it.By = int64(a.By/time.Second), rules.FormatDuration(a.By)
	}
	if it.Failed == nil {
		it.Failed = []string{}
	}
	if d := a.Doubt; d != nil {
		di := &DoubtItem{Reason: d.Reason, State: string(d.State), Deadline: d.Deadline.UTC(), Citation: r.Citation, Confidence: r.Confidence}
		if d.Exception != nil {
			di.Citation, di.Confidence = d.Exception.Citation, d.Exception.Confidence
			if di.Confidence == "" {
				di.Confidence = r.Confidence
			}
		}
		switch d.State {
		case rules.StatePending, rules.StateOverdue, rules.StateMetLate, rules.StateViolated:
			di.BySeconds, di.By = int64(d.By/time.Second), rules.FormatDuration(d.By)
		}
		it.Doubt = di
	}
	return it
}

// AlertList is the JSON shape of a list of alerts: when they were judged,
// how many there are of each kind, and one page of them, urgent first.
type AlertList struct {
	At         time.Time   `json:"at"`
	Total      int         `json:"total"`
	Overdue    int         `json:"overdue"`
	DueSoon    int         `json:"due_soon"`
	Unknown    int         `json:"unknown"`
	Detentions int         `json:"detentions"` // how many detentions were evaluated
	Offset     int         `json:"offset"`
	Limit      int         `json:"limit"` // 0: every alert
	Items      []AlertItem `json:"items"`
}

// NewAlertList returns the list for a report; p is the page that was asked for.
func NewAlertList(rep *alerts.Report, p habeas.Page) AlertList {
	l := AlertList{At: rep.At.UTC(), Total: rep.Total, Overdue: rep.Overdue, DueSoon: rep.DueSoon, Unknown: rep.Unknown,
		Detentions: rep.Detentions, Offset: p.Offset, Limit: p.Limit, Items: make([]AlertItem, len(rep.Alerts))}
	for i, a := range rep.Alerts {
		l.Items[i] = NewAlertItem(a)
	}
	return l
}

// FindAlerts answers a query for one page of alerts. The HTML page uses
// it too, so both show the same thing. The page is recorded as a list of
// the detentions (or casualties) its alerts are about.
func (s *Service) FindAlerts(ctx context.Context, u *habeas.User, q alerts.Query) (AlertList, error) {
	v, err := s.as(ctx, u, readCases)
	if err != nil {
		return AlertList{}, err
	}
	ctx = habeas.WithUser(ctx, u)
	rep, err := s.cfg.Alerts.Alerts(ctx, v.sc.alertQuery(q))
	if err != nil {
		return AlertList{}, err
	}
	l := NewAlertList(rep, habeas.Page{Offset: q.Offset, Limit: q.Limit})
	for i := range l.Items {
		v.sc.alertItem(&l.Items[i])
	}
	if err := listed(ctx, s, u, habeas.AccessList, habeas.KindDetention, q, l.Items, func(it AlertItem) string {
		return alertRecord(it.DetentionID, it.CasualtyID)
	}); err != nil {
		return AlertList{}, err
	}
	return l, nil
}

// alertItem makes an alert's item as the scope reads it: the person by
// pseudonym and the sources unnamed, for an analyst.
func (sc *scope) alertItem(it *AlertItem) {
	it.PersonName = sc.name(it.PersonID, it.PersonName)
	if sc != nil && sc.pseudonymous && it.alert.Rule != nil {
		it.unnamed = true
		it.Explanation = it.alert.ExplainUnnamed("en")
	}
}

// alertRecord is the record an alert is about, as the audit log keeps it:
// the detention, or the casualty of a killing outside custody.
func alertRecord(detentionID, casualtyID string) string {
	if detentionID != "" {
		return detentionID
	}
	return casualtyID
}

// AlertGroup is one detainee's alerts, as the list by detainee shows
// them: the detention (or killing outside custody), what makes the
// person's situation grave, and the open results, the next action first.
type AlertGroup struct {
	DetentionID string `json:"detention_id"`
	CasualtyID  string `json:"casualty_id,omitempty"`
	PersonID    string `json:"person_id"`
	PersonName  string `json:"person_name"`
	City        string `json:"city"`
	Zone        string `json:"zone"`
	// Dangers are whereabouts_unknown, juvenile and ill_treatment_alleged,
	// the gravest first; the list puts the most endangered first.
	Dangers []string `json:"dangers"`
	// NextAction is the safeguard to act on first: that of the first item
	// (whereabouts, judge, lawyer, family, consular, medical, protocol,
	// term, investigation).
	NextAction string      `json:"next_action"`
	Items      []AlertItem `json:"items"`
}

// AlertGroupList is the JSON shape of a page of alerts by detainee: the
// counts of results as in AlertList; Total, Offset and Limit count groups.
type AlertGroupList struct {
	At         time.Time    `json:"at"`
	Total      int          `json:"total"`
	Overdue    int          `json:"overdue"`
	DueSoon    int          `json:"due_soon"`
	Unknown    int          `json:"unknown"`
	Detentions int          `json:"detentions"`
	Offset     int          `json:"offset"`
	Limit      int          `json:"limit"`
	Groups     []AlertGroup `json:"groups"`
}

// FindAlertGroups answers a query for one page of alerts by detainee:
// one group per detention with something to show, the most endangered
// first (alerts.Watcher.Groups); offset and limit count groups.
func (s *Service) FindAlertGroups(ctx context.Context, u *habeas.User, q alerts.Query) (AlertGroupList, error) {
	v, err := s.as(ctx, u, readCases)
	if err != nil {
		return AlertGroupList{}, err
	}
	ctx = habeas.WithUser(ctx, u)
	rep, err := s.cfg.Alerts.Groups(ctx, v.sc.alertQuery(q))
	if err != nil {
		return AlertGroupList{}, err
	}
	l := AlertGroupList{At: rep.At.UTC(), Total: rep.Total, Overdue: rep.Overdue, DueSoon: rep.DueSoon, Unknown: rep.Unknown,
		Detentions: rep.Detentions, Offset: q.Offset, Limit: q.Limit, Groups: make([]AlertGroup, len(rep.Groups))}
	for i, g := range rep.Groups {
		ag := AlertGroup{DetentionID: g.DetentionID, CasualtyID: g.CasualtyID, PersonID: g.PersonID, PersonName: v.sc.name(g.PersonID, g.PersonName),
			City: g.City, Zone: g.Zone, Dangers: g.Dangers, Items: make([]AlertItem, len(g.Alerts))}
		if ag.Dangers == nil {
			ag.Dangers = []string{}
		}
		for j, a := range g.Alerts {
			ag.Items[j] = NewAlertItem(a)
			v.sc.alertItem(&ag.Items[j])
		}
		ag.NextAction = ag.Items[0].Safeguard
		l.Groups[i] = ag
	}
	if err := listed(ctx, s, u, habeas.AccessList, habeas.KindDetention, q, l.Groups, func(g AlertGroup) string {
		return alertRecord(g.DetentionID, g.CasualtyID)
	}); err != nil {
		return AlertGroupList{}, err
	}
	return l, nil
}

// RuleCountItem is how many detentions stand in each state of one rule.
type RuleCountItem struct {
	RuleID     string `json:"rule_id"`
	RuleTitle  string `json:"rule_title"`
	Safeguard  string `json:"safeguard"`
	Citation   string `json:"citation"`
	Confidence string `json:"confidence"`
	Unverified bool   `json:"unverified"`
	Severity   string `json:"severity"`
	Met        int    `json:"met"`
	MetLate    int    `json:"met_late"`
	Pending    int    `json:"pending"`
	Overdue    int    `json:"overdue"`
	Violated   int    `json:"violated"`
	Unknown    int    `json:"unknown"`
	// Violations counts met late, overdue and violated together.
	Violations int `json:"violations"`

	rule *rules.Rule
}

// Localize gives the rule title in lang (en, ru or kk), for the pages.
func (it *RuleCountItem) Localize(lang string) {
	if it.rule != nil {
		it.RuleTitle = rules.Text(it.rule.Title, lang)
	}
}

// RuleCounts is the JSON shape of the counts per rule.
type RuleCounts struct {
	At    time.Time       `json:"at"`
	Rules []RuleCountItem `json:"rules"`
}

// FindRuleCounts counts the states of every rule at the moment at, rules
// in pack order.
func (s *Service) FindRuleCounts(ctx context.Context, u *habeas.User, at time.Time) (RuleCounts, error) {
	if err := s.authorize(u, readRegister); err != nil {
		return RuleCounts{}, err
	}
	ctx = habeas.WithUser(ctx, u)
	counts, err := s.cfg.Alerts.Counts(ctx, at)
	if err != nil {
		return RuleCounts{}, err
	}
	rc := RuleCounts{At: at.UTC(), Rules: make([]RuleCountItem, len(counts))}
	for i, c := range counts {
		r := c.Rule
		rc.Rules[i] = RuleCountItem{RuleID: r.ID, RuleTitle: rules.Text(r.Title, "en"), Safeguard: r.Safeguard,
			Citation: r.Citation, Confidence: r.Confidence, Unverified: r.Unverified(), Severity: string(r.Severity),
			Met: c.States[rules.StateMet], MetLate: c.States[rules.StateMetLate], Pending: c.States[rules.StatePending],
			Overdue: c.States[rules.StateOverdue], Violated: c.States[rules.StateViolated], Unknown: c.States[rules.StateUnknown],
			Violations: c.Violations, rule: r}
	}
	return rc, nil
}

// Safeguards is the JSON shape of a detention's safeguards panel: every
// applicable rule, grouped by safeguard with the stricter deadline first,
// and the detention's flags.
type Safeguards struct {
	At          time.Time `json:"at"`
	DetentionID string    `json:"detention_id"`
	PersonID    string    `json:"person_id"`
	PersonName  string    `json:"person_name"`
	City        string    `json:"city"`
	Zone        string    `json:"zone"`
	// ArrestedAt is the de facto arrest the clocks count from: the
	// earliest credible account.
	ArrestedAt time.Time   `json:"arrested_at,omitzero"`
	Results    []AlertItem `json:"results"`
	Flags      []FlagItem  `json:"flags"`
}

// FlagItem is something about a detention worth a caseworker's attention
// that is not itself a rule.
type FlagItem struct {
	Code       string   `json:"code"` // protocol_gap or conflicting_arrest
	GapSeconds int64    `json:"gap_seconds"`
	Gap        string   `json:"gap"`
	Events     []string `json:"events"` // the events compared
}

// FindSafeguards evaluates one detention's safeguards at the moment at;
// it is recorded as a view of the detention.
func (s *Service) FindSafeguards(ctx context.Context, u *habeas.User, detentionID string, at time.Time) (Safeguards, error) {
	v, err := s.as(ctx, u, readCases)
	if err != nil {
		return Safeguards{}, err
	}
	sg, err := v.safeguards(habeas.WithUser(ctx, u), detentionID, at)
	if err != nil {
		return Safeguards{}, err
	}
	if err := s.viewed(ctx, u, habeas.KindDetention, detentionID); err != nil {
		return Safeguards{}, err
	}
	return sg, nil
}

// safeguards judges a detention's safeguards for the operations above,
// which record it.
func (s *Service) safeguards(ctx context.Context, detentionID string, at time.Time) (Safeguards, error) {
	if !habeas.ValidID(habeas.KindDetention, detentionID) || !s.sc.seesCase(detentionID) {
		return Safeguards{}, habeas.Errorf(habeas.ENOTFOUND, "detention %s not found", detentionID)
	}
	p, err := s.cfg.Alerts.Evaluate(ctx, detentionID, at)
	if err != nil {
		return Safeguards{}, err
	}
	d := p.Case.Detention
	sg := Safeguards{At: at.UTC(), DetentionID: d.ID, PersonID: d.PersonID, City: d.City,
		Results: []AlertItem{}, Flags: []FlagItem{}}
	if p.Case.Person != nil {
		sg.PersonName = s.sc.name(d.PersonID, p.Case.Person.DisplayName())
	}
	if c, ok := habeas.FindCity(d.City); ok {
		sg.Zone = c.Zone
	}
	arrest, _ := rules.ArrestTime(d, p.Case.Sources)
	sg.ArrestedAt = arrest.UTC()
	for _, al := range p.Alerts() {
		it := NewAlertItem(al)
		s.sc.alertItem(&it)
		sg.Results = append(sg.Results, it)
	}
	for _, f := range p.Flags {
		sg.Flags = append(sg.Flags, FlagItem{Code: f.Code, GapSeconds: int64(f.Gap / time.Second),
			Gap: rules.FormatDuration(f.Gap), Events: f.Events})
	}
	return sg, nil
}

// Clock returns the moment safeguards are judged at unless a query says:
// now, or the scenario's clock in the demo.
func (s *Service) Clock() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// ParseAt reads at, the moment to judge safeguards at, as RFC 3339; it
// defaults to the API's clock.
func (s *Service) ParseAt(q url.Values) (time.Time, error) {
	p := &query{q: q}
	at := p.at("at", s.Clock())
	return at, p.err()
}

// Rules returns the rules in force, as the safeguard clocks judge by
// them: for titles and the choices of a filter. They hold no case data.
func (s *Service) Rules() []*rules.Rule { return s.cfg.Alerts.Engine().Rules() }
