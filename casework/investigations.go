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

// The answers of the Minnesota Protocol's checklist, item by item.
const (
	CheckYes           = "yes"            // met
	CheckNo            = "no"             // failed
	CheckUnknown       = "unknown"        // the fact is not recorded
	CheckPending       = "pending"        // not due yet: the time to open a case runs, or the case is not finished
	CheckNotApplicable = "not_applicable" // a fact of a death, for an injury or an allegation
)

// Where an investigation stands as a whole, most urgent first.
const (
	StandingOverdue    = "overdue"    // no case opened within the time allowed
	StandingFailing    = "failing"    // at least one check failed
	StandingPending    = "pending"    // the time to open a case is still running
	StandingIncomplete = "incomplete" // nothing failed, but some facts are not recorded
	StandingMet        = "met"        // every check met or not applicable
)

// Standings lists the standings, most urgent first.
var Standings = []string{StandingOverdue, StandingFailing, StandingPending, StandingIncomplete, StandingMet}

// What an investigation is of.
const (
	OfDeath      = "death"
	OfInjury     = "injury"
	OfAllegation = "allegation" // of ill-treatment, on a detention's timeline
)

// InvestigationSubjects lists what an investigation may be of.
var InvestigationSubjects = []string{OfDeath, OfInjury, OfAllegation}

// CheckItem is one item of an investigation's Minnesota Protocol checklist.
type CheckItem struct {
	Name  string `json:"name"`
	State string `json:"state"` // yes, no, unknown, pending or not_applicable
	// Field is the record field that holds the fact: an investigation's
	// field ("victim_identified"), a casualty's ("casualty.autopsy"), or
	// empty for what the rules engine works out from the dates.
	Field    string `json:"field,omitempty"`
	Citation string `json:"citation"`
}

// InvestigationItem is an investigation as the tracker shows it: the
// record, what it is of and whose, and its checklist.
type InvestigationItem struct {
	*habeas.Investigation
	Of         string `json:"of"` // death, injury or allegation
	PersonID   string `json:"person_id"`
	PersonName string `json:"person_name"`
	City       string `json:"city"`
	Zone       string `json:"zone"` // the tz database zone of the city, to show times in
	// SubjectAt is when the death, injury or alleged ill-treatment
	// happened; Deadline is when a case had to be opened by, by RuleID.
	SubjectAt time.Time `json:"subject_at,omitzero"`
	Deadline  time.Time `json:"deadline,omitzero"`
	RuleID    string    `json:"rule_id,omitempty"`
	// CasualtyDetentionID is the detention a death or injury happened in,
	// when it happened in custody.
	CasualtyDetentionID string      `json:"casualty_detention_id,omitempty"`
	Standing            string      `json:"standing"`
	Checks              []CheckItem `json:"checks"`
	Failed              []string    `json:"failed"` // the names of the checks answered no
}

// InvestigationQuery selects investigations for the tracker.
type InvestigationQuery struct {
	At      time.Time // the moment the checks are judged at
	City    *string
	Status  *habeas.InvestigationStatus
	Of      *string
	Failing bool    // overdue or failing any check
	Check   *string // failing this check
	Page    habeas.Page
}

// CheckNames lists the names of the checklist's items, in its order.
var CheckNames = func() []string {
	var out []string
	for _, s := range checklistOrder {
		out = append(out, s.name)
	}
	return out
}()

// checkSource says where one item of the checklist comes from.
type checkSource struct {
	name     string
	inv      *habeas.InvestigationCheck // a fact of the investigation
	casualty *habeas.CasualtyCheck      // a fact of the casualty
}

// checklistOrder is the checklist in the Minnesota Protocol's order: the
// rules engine's checks on time, then the record's facts, with those of
// the casualty where they belong.
var checklistOrder = func() []checkSource {
	out := []checkSource{{name: rules.CheckInvestigated}, {name: rules.CheckNotRefused}}
	cas := map[string]*habeas.CasualtyCheck{}
	for i := range habeas.CasualtyChecks {
		cas[habeas.CasualtyChecks[i].Name] = &habeas.CasualtyChecks[i]
	}
	for i := range habeas.InvestigationChecks {
		c := &habeas.InvestigationChecks[i]
		name := c.Name
		if name == "authority_implicated" {
			name = rules.CheckIndependent // the check is independence; the fact is whether the body is implicated
		}
		out = append(out, checkSource{name: name, inv: c})
		switch c.Name {
		case "death_established":
			out = append(out, checkSource{name: "autopsy", casualty: cas["autopsy"]})
		case "family_may_present_evidence":
			out = append(out, checkSource{name: "body_returned", casualty: cas["body_returned"]})
		}
	}
	return out
}()

// finished reports whether an investigation has reached its end, after
// which its results are due to be public and accountability can be judged.
func finished(s habeas.InvestigationStatus) bool {
	return s == habeas.InvestigationClosed || s == habeas.InvestigationSentToCourt || s == habeas.InvestigationConcluded
}

// NewInvestigationItem returns the tracker's item for an investigation as
// the watcher judged it. The checks on time are the rules engine's; the
// others read the record, with the engine's verdict where it gives one.
func NewInvestigationItem(rec alerts.InvestigationRecord) InvestigationItem {
	inv := rec.Investigation
	it := InvestigationItem{Investigation: inv, Of: OfAllegation, PersonID: rec.PersonID, PersonName: rec.PersonName,
		City: rec.City, Failed: []string{}}
	if c, ok := habeas.FindCity(rec.City); ok {
		it.Zone = c.Zone
	}
	switch {
	case rec.Casualty != nil:
		it.Of, it.SubjectAt, it.CasualtyDetentionID = OfInjury, rec.Casualty.At, rec.Casualty.DetentionID
		if rec.Casualty.Kind == habeas.CasualtyKilled {
			it.Of = OfDeath
		}
		if rec.Casualty.Zone != "" {
			it.Zone = rec.Casualty.Zone
		}
	case rec.Allegation != nil:
		it.SubjectAt = rec.Allegation.At
	}
	res := rec.Result
	if res != nil {
		it.Deadline, it.RuleID = res.Deadline.UTC(), res.Rule.ID
	}
	for _, src := range checklistOrder {
		item := CheckItem{Name: src.name, State: CheckUnknown}
		switch {
		case src.name == rules.CheckInvestigated:
			item.State = promptness(rec)
			if res != nil {
				item.Citation = res.Rule.Citation
			}
		case src.name == rules.CheckNotRefused:
			item.State = CheckYes
			switch {
			case inv.Status == habeas.InvestigationRefused && inv.Opened.IsZero():
				item.State = CheckNo
			case inv.Status == habeas.InvestigationRequested:
				item.State = CheckPending
			}
			if res != nil {
				item.Citation = res.Rule.Citation
			}
		case src.casualty != nil:
			item.Field, item.Citation = "casualty."+src.name, src.casualty.Citation
			if it.Of != OfDeath {
				item.State = CheckNotApplicable
			} else {
				item.State = tristate(*src.casualty.Field(rec.Casualty), true)
			}
		default:
			c := src.inv
			item.Field, item.Citation = c.Name, c.Citation
			v := *c.Field(inv)
			item.State = tristate(v, c.Pass)
			switch {
			case c.Death && it.Of != OfDeath:
				item.State = CheckNotApplicable
			case c.Act && v == nil && inv.Status == habeas.InvestigationRefused:
				item.State = CheckNo // a case never opened did none of it
			case c.Act && v == nil && inv.Status == habeas.InvestigationRequested:
				item.State = CheckPending
			case (c.Name == "results_public" || c.Name == "accountability") && !finished(inv.Status) && item.State != CheckYes:
				item.State = CheckPending // due once the case is finished
			}
		}
		// Where the engine judged a check, its verdict stands.
		if res != nil && res.Rule.Kind == rules.KindMinnesota {
			if slices.Contains(res.Failed, item.Name) {
				item.State = CheckNo
			} else if slices.Contains(res.Unclear, item.Name) {
				item.State = CheckUnknown
			}
		}
		if item.State == CheckNo {
			it.Failed = append(it.Failed, item.Name)
		}
		it.Checks = append(it.Checks, item)
	}
	it.Standing = standing(it)
	return it
}

// promptness is whether a case was opened in time, as the rule that
// applies judged it: the Minnesota Protocol's for a death, the limit on
// investigating an allegation otherwise. No rule applies to an injury.
func promptness(rec alerts.InvestigationRecord) string {
	res := rec.Result
	switch {
	case res == nil && rec.Casualty != nil && rec.Casualty.Kind == habeas.CasualtyInjured:
		return CheckNotApplicable
	case res == nil:
		return CheckUnknown // the allegation is gone from the detention, or no rule is in force
	case res.Rule.Kind == rules.KindMinnesota:
		switch {
		case slices.Contains(res.Failed, rules.CheckInvestigated):
			return CheckNo
		case res.MetBy != "":
			return CheckYes
		}
		return CheckPending
	}
	switch res.State {
	case rules.StateMet:
		return CheckYes
	case rules.StatePending:
		return CheckPending
	case rules.StateUnknown:
		return CheckUnknown
	}
	return CheckNo // met late, overdue
}

// standing sums an item's checklist up.
func standing(it InvestigationItem) string {
	prompt := it.Checks[0].State
	switch {
	case prompt == CheckNo && !it.opened():
		return StandingOverdue
	case len(it.Failed) > 0:
		return StandingFailing
	case prompt == CheckPending:
		return StandingPending
	}
	for _, c := range it.Checks {
		if c.State == CheckUnknown {
			return StandingIncomplete
		}
	}
	return StandingMet
}

// opened reports whether the investigation has an opening date.
func (it InvestigationItem) opened() bool { return !it.Investigation.Opened.IsZero() }

func tristate(v *bool, pass bool) string {
	switch {
	case v == nil:
		return CheckUnknown
	case *v == pass:
		return CheckYes
	}
	return CheckNo
}

// InvestigationList is the JSON shape of the tracker: when the checks were
// judged, how many investigations stand overdue and failing, and one page
// of them, the most urgent first.
type InvestigationList struct {
	At      time.Time           `json:"at"`
	Total   int                 `json:"total"`
	Overdue int                 `json:"overdue"` // of those that match
	Failing int                 `json:"failing"` // of those that match, overdue ones included
	Offset  int                 `json:"offset"`
	Limit   int                 `json:"limit"`
	Items   []InvestigationItem `json:"items"`
}

// ParseInvestigationQuery reads at (RFC 3339; the API's clock without it),
// city, status, of (death, injury, allegation), failing (true: overdue or
// failing any check), check (failing that check), offset and limit.
func (s *Service) ParseInvestigationQuery(q url.Values) (InvestigationQuery, error) {
	p := &query{q: q}
	iq := InvestigationQuery{At: p.at("at", s.Clock()), City: p.city("city")}
	iq.Status = oneOf[habeas.InvestigationStatus](p, "status", habeas.InvestigationStatuses)
	iq.Of = oneOf[string](p, "of", InvestigationSubjects)
	iq.Failing = p.flag("failing")
	iq.Check = oneOf[string](p, "check", CheckNames)
	iq.Page = p.page()
	return iq, p.err()
}

func (q *InvestigationQuery) match(it *InvestigationItem) bool {
	switch {
	case q.City != nil && it.City != *q.City,
		q.Status != nil && it.Status != *q.Status,
		q.Of != nil && it.Of != *q.Of,
		q.Failing && it.Standing != StandingOverdue && it.Standing != StandingFailing,
		q.Check != nil && !slices.Contains(it.Failed, *q.Check):
		return false
	}
	return true
}

// FindInvestigations returns one page of the tracker: the investigations
// that match q, overdue first, then failing (most failures first), then
// pending, incomplete and met; the longest-standing first within each.
func (s *Service) FindInvestigations(ctx context.Context, u *habeas.User, q InvestigationQuery) (InvestigationList, error) {
	v, err := s.as(ctx, u, readCases, readRegister)
	if err != nil {
		return InvestigationList{}, err
	}
	ctx = habeas.WithUser(ctx, u)
	recs, err := s.cfg.Alerts.Investigations(ctx, q.At)
	if err != nil {
		return InvestigationList{}, err
	}
	l := InvestigationList{At: q.At.UTC(), Offset: q.Page.Offset, Limit: q.Page.Limit}
	var items []InvestigationItem
	for _, rec := range recs {
		it := NewInvestigationItem(rec)
		if !q.match(&it) {
			continue
		}
		switch it.Standing {
		case StandingOverdue:
			l.Overdue++
			l.Failing++
		case StandingFailing:
			l.Failing++
		}
		items = append(items, it)
	}
	SortInvestigations(items)
	l.Total = len(items)
	l.Items = pageOf(items, q.Page)
	if l.Items == nil {
		l.Items = []InvestigationItem{}
	}
	for i := range l.Items {
		v.sc.item(&l.Items[i])
	}
	if err := listed(ctx, s, u, habeas.AccessList, habeas.KindInvestigation, q, l.Items, func(it InvestigationItem) string { return it.ID }); err != nil {
		return InvestigationList{}, err
	}
	return l, nil
}

// SortInvestigations puts the most urgent first: by standing, then the
// most failed checks, then the earliest death, injury or allegation, then
// identifier.
func SortInvestigations(items []InvestigationItem) {
	rank := func(s string) int { return slices.Index(Standings, s) }
	slices.SortFunc(items, func(a, b InvestigationItem) int {
		if c := cmp.Compare(rank(a.Standing), rank(b.Standing)); c != 0 {
			return c
		}
		if c := cmp.Compare(len(b.Failed), len(a.Failed)); c != 0 {
			return c
		}
		if c := a.SubjectAt.Compare(b.SubjectAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// FindInvestigation returns one investigation with its checklist, judged
// at the moment at, recorded as a view of it.
func (s *Service) FindInvestigation(ctx context.Context, u *habeas.User, id string, at time.Time) (InvestigationItem, error) {
	v, err := s.as(ctx, u, readCases)
	if err != nil {
		return InvestigationItem{}, err
	}
	ctx = habeas.WithUser(ctx, u)
	if !habeas.ValidID(habeas.KindInvestigation, id) {
		return InvestigationItem{}, habeas.Errorf(habeas.ENOTFOUND, "investigation %s not found", id)
	}
	if _, err := v.cfg.Records.Find(ctx, habeas.KindInvestigation, id); err != nil { // out of scope: not found
		return InvestigationItem{}, err
	}
	rec, err := s.cfg.Alerts.Investigation(ctx, id, at)
	if err != nil {
		return InvestigationItem{}, err
	}
	if err := s.viewed(ctx, u, habeas.KindInvestigation, id); err != nil {
		return InvestigationItem{}, err
	}
	it := NewInvestigationItem(rec)
	v.sc.item(&it)
	return it, nil
}

// item makes an investigation's item as the scope reads it.
func (sc *scope) item(it *InvestigationItem) {
	it.Investigation = sc.redact(it.Investigation).(*habeas.Investigation)
	it.PersonName = sc.name(it.PersonID, it.PersonName)
}
