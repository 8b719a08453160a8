package casework

import (
	"context"
	"slices"
	"time"

	"github.com/habeas-project/habeas"
)

// CaseFile is one detention with everything known about it: the person
// with every spelling of their name, the custody timeline with the sources
// of every fact and the lawyers named in it, lawyers' assignments,
// casualties, investigations, evidence, every source the case cites and
// the full history. The case page shows it; bundles and submissions will
// draw on it.
type CaseFile struct {
	Detention *habeas.Detention
	// Version is the detention's version (its last change's sequence), for
	// the forms that change it: a write naming an older one is refused.
	Version    int64
	Zone       string // the city's time zone
	Status     habeas.Status
	ArrestedAt time.Time
	ProtocolAt time.Time
	Sources    []*habeas.Source // on the detention as a whole
	Person     *habeas.Person
	Names      []NameSource
	// PersonSources back the person's record as a whole.
	PersonSources  []*habeas.Source
	Events         []CaseEvent
	Assignments    []CaseAssignment // by start
	Investigations []*habeas.Investigation
	Casualties     []*habeas.Casualty
	Evidence       []*habeas.Evidence
	// CaseSources is every source the case cites, each once, in
	// identifier order.
	CaseSources []*habeas.Source
	History     []*habeas.Change
}

// CaseEvent is a custody event with its sources and lawyer looked up.
type CaseEvent struct {
	habeas.Event
	Sources []*habeas.Source
	Lawyer  *habeas.Lawyer
}

// CaseAssignment is a lawyer's assignment with the lawyer looked up.
type CaseAssignment struct {
	*habeas.Assignment
	Lawyer  *habeas.Lawyer
	Sources []*habeas.Source
	Current bool // in force at the service's clock
}

// FindCaseFile gathers the case file of detention id, recorded as a view
// of the detention.
func (s *Service) FindCaseFile(ctx context.Context, u *habeas.User, id string) (*CaseFile, error) {
	v, err := s.as(ctx, u, readCases)
	if err != nil {
		return nil, err
	}
	cf, err := v.caseFile(habeas.WithUser(ctx, u), id)
	if err != nil {
		return nil, err
	}
	if err := s.viewed(ctx, u, habeas.KindDetention, id); err != nil {
		return nil, err
	}
	return cf, nil
}

// FindCasePage gathers what the case page shows of detention id: the
// case file and its safeguards judged at at, recorded as one view of the
// detention.
func (s *Service) FindCasePage(ctx context.Context, u *habeas.User, id string, at time.Time) (*CaseFile, Safeguards, error) {
	v, err := s.as(ctx, u, readCases)
	if err != nil {
		return nil, Safeguards{}, err
	}
	uctx := habeas.WithUser(ctx, u)
	cf, err := v.caseFile(uctx, id)
	if err != nil {
		return nil, Safeguards{}, err
	}
	sg, err := v.safeguards(uctx, id, at)
	if err != nil {
		return nil, Safeguards{}, err
	}
	if err := s.viewed(ctx, u, habeas.KindDetention, id); err != nil {
		return nil, Safeguards{}, err
	}
	return cf, sg, nil
}

// caseFile gathers a case file for the operations above, which record it.
func (s *Service) caseFile(ctx context.Context, id string) (*CaseFile, error) {
	if !habeas.ValidID(habeas.KindDetention, id) {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "detention %s not found", id)
	}
	e, version, err := s.cfg.Records.FindVersion(ctx, habeas.KindDetention, id)
	if err != nil {
		return nil, err
	}
	d := e.(*habeas.Detention)
	cf := &CaseFile{Detention: d, Version: version, Status: d.Status(), ArrestedAt: d.ArrestedAt(), ProtocolAt: d.ProtocolAt()}
	if c, ok := habeas.FindCity(d.City); ok {
		cf.Zone = c.Zone
	}
	ss := newSourceSet(s.cfg.Records)
	if cf.Sources, err = ss.get(ctx, d.Sources...); err != nil {
		return nil, err
	}
	if cf.Person, err = s.cfg.Persons.FindPersonByID(ctx, d.PersonID); err != nil {
		return nil, err
	}
	if cf.Names, err = ss.names(ctx, cf.Person); err != nil {
		return nil, err
	}
	if cf.PersonSources, err = ss.get(ctx, cf.Person.Sources...); err != nil {
		return nil, err
	}
	lawyers := lawyerSet{records: s.cfg.Records, byID: map[string]*habeas.Lawyer{}}
	for _, e := range d.Events {
		ev := CaseEvent{Event: e}
		if ev.Sources, err = ss.get(ctx, e.Sources...); err != nil {
			return nil, err
		}
		if ev.Lawyer, err = lawyers.get(ctx, e.LawyerID); err != nil {
			return nil, err
		}
		cf.Events = append(cf.Events, ev)
	}
	if err := s.linked(ctx, cf, ss, &lawyers); err != nil {
		return nil, err
	}
	if cf.CaseSources, err = ss.get(ctx, cf.sourceIDs()...); err != nil {
		return nil, err
	}
	if cf.History, err = historyOf(ctx, s.cfg.Changes, d.ID, d.PersonID); err != nil {
		return nil, err
	}
	return cf, nil
}

// linked fills in the records that refer to the detention: assignments,
// casualties, evidence, and the investigations of the detention and of
// its casualties.
func (s *Service) linked(ctx context.Context, cf *CaseFile, ss *sourceSet, lawyers *lawyerSet) error {
	rs, id := s.cfg.Records, cf.Detention.ID
	as, err := referring[*habeas.Assignment](ctx, rs, habeas.KindAssignment, id)
	if err != nil {
		return err
	}
	now := s.Clock()
	for _, a := range as {
		ca := CaseAssignment{Assignment: a, Current: a.ActiveAt(now)}
		if ca.Lawyer, err = lawyers.get(ctx, a.LawyerID); err != nil {
			return err
		}
		if ca.Sources, err = ss.get(ctx, a.Sources...); err != nil {
			return err
		}
		cf.Assignments = append(cf.Assignments, ca)
	}
	slices.SortStableFunc(cf.Assignments, func(a, b CaseAssignment) int { return a.From.Compare(b.From) })
	if cf.Casualties, err = referring[*habeas.Casualty](ctx, rs, habeas.KindCasualty, id); err != nil {
		return err
	}
	if cf.Evidence, err = referring[*habeas.Evidence](ctx, rs, habeas.KindEvidence, id); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, of := range append([]string{id}, casualtyIDs(cf.Casualties)...) {
		invs, err := referring[*habeas.Investigation](ctx, rs, habeas.KindInvestigation, of)
		if err != nil {
			return err
		}
		for _, inv := range invs {
			if !seen[inv.ID] {
				seen[inv.ID] = true
				cf.Investigations = append(cf.Investigations, inv)
			}
		}
	}
	return nil
}

// sourceIDs lists every source the case cites: on the person, the
// detention, its events, assignments, casualties, investigations and
// evidence, each once, in identifier order.
func (cf *CaseFile) sourceIDs() []string {
	ids := slices.Concat(cf.Person.SourceIDs(), cf.Detention.SourceIDs())
	for _, a := range cf.Assignments {
		ids = append(ids, a.Assignment.Sources...)
	}
	for _, c := range cf.Casualties {
		ids = append(ids, c.Sources...)
	}
	for _, inv := range cf.Investigations {
		ids = append(ids, inv.Sources...)
	}
	for _, e := range cf.Evidence {
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
