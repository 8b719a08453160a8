package web

import (
	"net/http"
	"strconv"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/rules"
)

// alertsView is the data of the alerts page.
type alertsView struct {
	Form    map[string]string // the filter as submitted, to fill the form again
	Cities  []option
	Rules   []option
	Problem *filterProblem
	List    casework.AlertList
	// Zone is the zone the moment of judgement is shown in: the chosen
	// city's, or UTC.
	Zone        string
	WithinHours string // "24", "1.5"
	ShowUnknown bool
	// ByRule is the list by rule (?view=rules): one row per rule of a
	// detention, for statistics; otherwise the list is by detainee.
	ByRule bool
	// OtherView links to the other view with the same filter.
	OtherView string
	// The page's alerts, in the watcher's order, split by state (by rule).
	Overdue, DueSoon, Unknown []casework.AlertItem
	// The page's detainees, the most endangered first (by detainee).
	Groups casework.AlertGroupList
	Pager  pager
}

// alertsPageSize is how many alerts the page shows at a time unless the
// query says, fewer than the API's AlertPageSize: each row carries its
// rule's citation and explanation, and a page stays under 100 KB in every
// language.
const alertsPageSize = 50

// alertGroupsPageSize is how many detainees the page by detainee shows at
// a time unless the query says: each with its open safeguards beneath.
const alertGroupsPageSize = 15

// alertsPage serves GET /alerts: what is overdue now, what falls due
// within the chosen hours and, if asked, what cannot be judged for want of
// a fact. By default one row per detainee, the most endangered first, with
// their open safeguards beneath, the next action first; with ?view=rules
// one row per rule of a detention, urgent first.
func (s *Server) alertsPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	lang := langOf(r.Context())
	v := alertsView{
		Form:   formValues(q, "within", "city", "rule", "unknown", "at", "view"),
		Cities: cityOptions(),
		Rules:  ruleOptions(s.work.Rules(), lang),
		Zone:   "UTC",
		ByRule: q.Get("view") == "rules",
	}
	if v.Form["within"] == "" {
		v.Form["within"] = strconv.FormatFloat(casework.DefaultWithin.Hours(), 'f', -1, 64)
	}
	other := r.URL.Query()
	other.Del("offset")
	other.Del("limit")
	if v.ByRule {
		other.Del("view")
	} else {
		other.Set("view", "rules")
	}
	v.OtherView = "/alerts"
	if len(other) > 0 {
		v.OtherView += "?" + other.Encode()
	}
	pq := r.URL.Query() // q with the page's own size
	if pq.Get("limit") == "" {
		size := alertGroupsPageSize
		if v.ByRule {
			size = alertsPageSize
		}
		pq.Set("limit", strconv.Itoa(size))
	}
	aq, err := s.work.ParseAlertQuery(pq)
	v.ShowUnknown = aq.Unknown
	if habeas.ErrorCode(err) == habeas.EINVALID {
		v.Problem = s.problemOf(r, err)
		s.render(w, r, http.StatusBadRequest, "alerts", v)
		return nil
	}
	if c, ok := habeas.FindCity(aq.City); ok {
		v.Zone = c.Zone
	}
	v.WithinHours = strconv.FormatFloat(aq.Within.Hours(), 'f', -1, 64)
	if !v.ByRule {
		if v.Groups, err = s.work.FindAlertGroups(r.Context(), habeas.UserFrom(r.Context()), aq); err != nil {
			return err
		}
		for i := range v.Groups.Groups {
			for j := range v.Groups.Groups[i].Items {
				v.Groups.Groups[i].Items[j].Localize(lang)
			}
		}
		// The counts the page states are those of the list by rule.
		g := v.Groups
		v.List = casework.AlertList{At: g.At, Total: g.Total, Overdue: g.Overdue, DueSoon: g.DueSoon, Unknown: g.Unknown, Detentions: g.Detentions}
		v.Pager = newPager("/alerts", q, g.Total, len(g.Groups), habeas.Page{Offset: aq.Offset, Limit: aq.Limit})
		s.render(w, r, http.StatusOK, "alerts", v)
		return nil
	}
	if v.List, err = s.work.FindAlerts(r.Context(), habeas.UserFrom(r.Context()), aq); err != nil {
		return err
	}
	for i := range v.List.Items {
		v.List.Items[i].Localize(lang)
	}
	for _, it := range v.List.Items {
		switch rules.State(it.State) {
		case rules.StateOverdue:
			v.Overdue = append(v.Overdue, it)
		case rules.StatePending:
			v.DueSoon = append(v.DueSoon, it)
		default:
			v.Unknown = append(v.Unknown, it)
		}
	}
	v.Pager = newPager("/alerts", q, v.List.Total, len(v.List.Items), habeas.Page{Offset: aq.Offset, Limit: aq.Limit})
	s.render(w, r, http.StatusOK, "alerts", v)
	return nil
}

// ruleOptions lists the rules in force, by id with the title in lang.
func ruleOptions(rs []*rules.Rule, lang string) []option {
	opts := make([]option, len(rs))
	for i, r := range rs {
		opts[i] = option{r.ID, r.ID + " — " + rules.Text(r.Title, lang)}
	}
	return opts
}

// alertCountsView is the data of the counts per rule.
type alertCountsView struct {
	Form    map[string]string
	Problem *filterProblem
	Counts  casework.RuleCounts
}

// alertCountsPage serves GET /alerts/counts: for every rule in force, how
// many detentions stand in each state, and the violations in all.
func (s *Server) alertCountsPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v := alertCountsView{Form: formValues(q, "at")}
	at, err := s.work.ParseAt(q)
	if habeas.ErrorCode(err) == habeas.EINVALID {
		v.Problem = s.problemOf(r, err)
		s.render(w, r, http.StatusBadRequest, "alertcounts", v)
		return nil
	}
	if v.Counts, err = s.work.FindRuleCounts(r.Context(), habeas.UserFrom(r.Context()), at); err != nil {
		return err
	}
	for i := range v.Counts.Rules {
		v.Counts.Rules[i].Localize(langOf(r.Context()))
	}
	s.render(w, r, http.StatusOK, "alertcounts", v)
	return nil
}

// safeguardOrder is the order the safeguards panel shows its groups in:
// the liberty of the person first, then contact with the world, then the
// record and the term, then investigations. Safeguards a pack adds that are
// not here follow, in the order the engine gives them.
var safeguardOrder = []string{"judge", "whereabouts", "lawyer", "family", "consular", "medical", "protocol", "term", "investigation"}

// safeguardGroup is the results for one safeguard, the stricter (earlier)
// deadline first.
type safeguardGroup struct {
	Safeguard string
	Results   []casework.AlertItem
}

// groupSafeguards groups results by safeguard in safeguardOrder, keeping
// the engine's order within each group.
func groupSafeguards(items []casework.AlertItem) []safeguardGroup {
	index := map[string]int{}
	var groups []safeguardGroup
	for _, name := range safeguardOrder {
		index[name] = len(groups)
		groups = append(groups, safeguardGroup{Safeguard: name})
	}
	for _, it := range items {
		i, ok := index[it.Safeguard]
		if !ok {
			i = len(groups)
			index[it.Safeguard] = i
			groups = append(groups, safeguardGroup{Safeguard: it.Safeguard})
		}
		groups[i].Results = append(groups[i].Results, it)
	}
	out := groups[:0]
	for _, g := range groups {
		if len(g.Results) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// panelView is the safeguards panel of a detention page.
type panelView struct {
	casework.Safeguards
	Groups  []safeguardGroup
	AtGiven bool // judged at a moment the request asked for, not now
}

// panel shows a detention's safeguards, judged at the moment the request
// asks for (?at=RFC3339) or now.
func (s *Server) panel(r *http.Request, sg casework.Safeguards) *panelView {
	for i := range sg.Results {
		sg.Results[i].Localize(langOf(r.Context()))
	}
	return &panelView{Safeguards: sg, Groups: groupSafeguards(sg.Results), AtGiven: r.URL.Query().Get("at") != ""}
}
