package web

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/names"
	"github.com/habeas-project/habeas/rules"
)

// detentionView is the data of the case page: one detention with
// everything known about it.
type detentionView struct {
	// Intake says what a report just taken at /intake did: new, added or
	// person (intake.done.* messages); empty otherwise.
	Intake     string
	D          *habeas.Detention
	Zone       string // the city's time zone
	Status     habeas.Status
	ArrestedAt time.Time
	ProtocolAt time.Time
	Gap        *gap
	Sources    []*habeas.Source // on the detention as a whole
	Person     *habeas.Person
	Names      []caseName
	// PersonSources back the person's record as a whole.
	PersonSources []*habeas.Source
	Events        []eventView
	// Accounts are the facts that several sources give, each with every
	// account side by side.
	Accounts []accountGroup
	// Court holds the charges, court appearances, trial hearings and
	// verdicts; Access the lawyer requests, visits and refusals;
	// Allegations the allegations of ill-treatment.
	Court          []eventView
	Access         []eventView
	Allegations    []eventView
	Assignments    []assignmentView
	Investigations []*habeas.Investigation
	Casualties     []*habeas.Casualty
	Evidence       []*habeas.Evidence
	// CaseSources is every source the case cites, with its grade.
	CaseSources []*habeas.Source
	History     []*habeas.Change
	// Panel is the state of every safeguard at the moment asked for.
	Panel *panelView
	// Forms are the forms that record on the case; nil for a reader who
	// may not write.
	Forms *caseForms
}

// caseName is one spelling of the person's name with its source and, for
// a name in Cyrillic, a transliteration to read it by.
type caseName struct {
	nameView
	Latin string
	// Anchored cites the source with a link to it in the page's table of
	// sources (the case page), rather than on its own (the person page).
	Anchored bool
}

// eventView is a custody event with its sources and lawyer looked up.
type eventView struct {
	habeas.Event
	Sources []*habeas.Source
	Lawyer  *habeas.Lawyer
}

// assignmentView is a lawyer's assignment with the lawyer looked up.
type assignmentView struct {
	*habeas.Assignment
	Lawyer  *habeas.Lawyer
	Sources []*habeas.Source
	Current bool // in force now
}

// gap is how long after the de facto arrest the protocol says it happened.
// Recording arrests late is a known way around the legal time limits.
type gap struct {
	Negative bool // the protocol time is before the arrest
	D        time.Duration
}

func newGap(arrest, protocol time.Time) *gap {
	if arrest.IsZero() || protocol.IsZero() {
		return nil
	}
	d := protocol.Sub(arrest)
	if d < 0 {
		return &gap{Negative: true, D: -d}
	}
	return &gap{D: d}
}

// transliteration is the scheme names in Cyrillic are read by on the case
// page: BGN/PCGN, the spelling international bodies use.
const transliteration = casework.DisplayScheme

// detentionPage serves GET /detentions/{id}: the case page. The safeguards
// are judged now, or at ?at=RFC3339.
func (s *Server) detentionPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.caseView(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	switch q := r.URL.Query().Get("intake"); q {
	case "new", "added", "person":
		v.Intake = q
	}
	s.render(w, r, http.StatusOK, "detention", v)
	return nil
}

// caseView gathers the case page of detention id: the person, the custody
// timeline with the sources of every fact, the accounts that disagree,
// lawyers, allegations, investigations, casualties, evidence and the full
// history; and, for a user who may write, the forms.
func (s *Server) caseView(r *http.Request, id string) (*detentionView, error) {
	ctx := r.Context()
	if !habeas.ValidID(habeas.KindDetention, id) {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "detention %s not found", id)
	}
	d, err := s.work.Detentions.FindDetentionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &detentionView{D: d, Status: d.Status(), ArrestedAt: d.ArrestedAt(), ProtocolAt: d.ProtocolAt()}
	if v.Panel, err = s.panel(r, id); err != nil {
		return nil, err
	}
	s.translateRules(r, v.Panel)
	if c, ok := habeas.FindCity(d.City); ok {
		v.Zone = c.Zone
	}
	v.Gap = newGap(v.ArrestedAt, v.ProtocolAt)
	ss := newSourceSet(s.work.Records)
	if v.Sources, err = ss.get(ctx, d.Sources...); err != nil {
		return nil, err
	}
	if v.Person, err = s.work.Persons.FindPersonByID(ctx, d.PersonID); err != nil {
		return nil, err
	}
	nv, err := ss.names(ctx, v.Person)
	if err != nil {
		return nil, err
	}
	v.Names = caseNames(nv, true)
	if v.PersonSources, err = ss.get(ctx, v.Person.Sources...); err != nil {
		return nil, err
	}
	lawyers := lawyerSet{records: s.work.Records, byID: map[string]*habeas.Lawyer{}}
	for _, e := range d.Events {
		ev := eventView{Event: e}
		if ev.Sources, err = ss.get(ctx, e.Sources...); err != nil {
			return nil, err
		}
		if ev.Lawyer, err = lawyers.get(ctx, e.LawyerID); err != nil {
			return nil, err
		}
		v.Events = append(v.Events, ev)
		switch e.Type {
		case habeas.EventCharge, habeas.EventCourtAppearance, habeas.EventTrialHearing, habeas.EventVerdict:
			v.Court = append(v.Court, ev)
		case habeas.EventLawyerRequested, habeas.EventLawyerAccess, habeas.EventLawyerDenied:
			v.Access = append(v.Access, ev)
		case habeas.EventIllTreatment:
			v.Allegations = append(v.Allegations, ev)
		}
	}
	v.Accounts = accountsOf(v.Events)
	if err := s.linked(r, v, ss, &lawyers); err != nil {
		return nil, err
	}
	if v.CaseSources, err = ss.get(ctx, caseSourceIDs(v)...); err != nil {
		return nil, err
	}
	if v.History, err = historyOf(ctx, s.work.Changes, d.ID, d.PersonID); err != nil {
		return nil, err
	}
	if s.may(r, "case.assign") {
		v.Forms = s.newCaseForms(r, v)
	}
	return v, nil
}

// caseNames adds a transliteration to each name written in Cyrillic;
// anchored says the page has a table of sources to link to.
func caseNames(nv []nameView, anchored bool) []caseName {
	out := make([]caseName, len(nv))
	for i, n := range nv {
		out[i].nameView, out[i].Anchored = n, anchored
		script := n.Script
		if script == "" {
			script = names.DetectScript(n.Text)
		}
		if script == "Cyrl" {
			if latin, err := names.Transliterate(n.Text, transliteration); err == nil && latin != n.Text {
				out[i].Latin = latin
			}
		}
	}
	return out
}

// translateRules gives each rule of the panel its title in the language
// of the request. The explanations stay as the engine wrote them.
func (s *Server) translateRules(r *http.Request, p *panelView) {
	lang := langOf(r.Context())
	titles := map[string]string{}
	for _, rule := range s.work.Alerts.Engine().Rules() {
		titles[rule.ID] = rules.Text(rule.Title, lang)
	}
	for g := range p.Groups {
		for i := range p.Groups[g].Results {
			if t, ok := titles[p.Groups[g].Results[i].RuleID]; ok && t != "" {
				p.Groups[g].Results[i].RuleTitle = t
			}
		}
	}
}

// lawyerSet looks lawyers up for one page, each once. A lawyer since
// deleted is shown by identifier.
type lawyerSet struct {
	records habeas.RecordService
	byID    map[string]*habeas.Lawyer
}

func (ls *lawyerSet) get(ctx context.Context, id string) (*habeas.Lawyer, error) {
	if id == "" {
		return nil, nil
	}
	if l, ok := ls.byID[id]; ok {
		return l, nil
	}
	e, err := ls.records.Find(ctx, habeas.KindLawyer, id)
	var l *habeas.Lawyer
	switch {
	case habeas.ErrorCode(err) == habeas.ENOTFOUND:
	case err != nil:
		return nil, err
	default:
		l = e.(*habeas.Lawyer)
	}
	ls.byID[id] = l
	return l, nil
}

// linked fills in the records that refer to the detention: assignments,
// casualties, evidence, and the investigations of the detention and of
// its casualties.
func (s *Server) linked(r *http.Request, v *detentionView, ss *sourceSet, lawyers *lawyerSet) error {
	ctx, rs, id := r.Context(), s.work.Records, v.D.ID
	as, err := referring[*habeas.Assignment](ctx, rs, habeas.KindAssignment, id)
	if err != nil {
		return err
	}
	now := s.work.Clock()
	for _, a := range as {
		av := assignmentView{Assignment: a, Current: a.ActiveAt(now)}
		if av.Lawyer, err = lawyers.get(ctx, a.LawyerID); err != nil {
			return err
		}
		if av.Sources, err = ss.get(ctx, a.Sources...); err != nil {
			return err
		}
		v.Assignments = append(v.Assignments, av)
	}
	slices.SortStableFunc(v.Assignments, func(a, b assignmentView) int { return a.From.Compare(b.From) })
	if v.Casualties, err = referring[*habeas.Casualty](ctx, rs, habeas.KindCasualty, id); err != nil {
		return err
	}
	if v.Evidence, err = referring[*habeas.Evidence](ctx, rs, habeas.KindEvidence, id); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, of := range append([]string{id}, casualtyIDs(v.Casualties)...) {
		invs, err := referring[*habeas.Investigation](ctx, rs, habeas.KindInvestigation, of)
		if err != nil {
			return err
		}
		for _, inv := range invs {
			if !seen[inv.ID] {
				seen[inv.ID] = true
				v.Investigations = append(v.Investigations, inv)
			}
		}
	}
	return nil
}

// caseSourceIDs lists every source the case cites: on the person, the
// detention, its events, assignments, casualties, investigations and
// evidence, each once, in identifier order.
func caseSourceIDs(v *detentionView) []string {
	ids := slices.Concat(v.Person.SourceIDs(), v.D.SourceIDs())
	for _, a := range v.Assignments {
		ids = append(ids, a.Assignment.Sources...)
	}
	for _, c := range v.Casualties {
		ids = append(ids, c.Sources...)
	}
	for _, inv := range v.Investigations {
		ids = append(ids, inv.Sources...)
	}
	for _, e := range v.Evidence {
		ids = append(ids, e.Sources...)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

func casualtyIDs(cs []*habeas.Casualty) []string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}
