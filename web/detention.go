package web

import (
	"net/http"
	"time"

	"github.com/habeas-project/habeas"
)

// detentionView is the data of a detention's page.
type detentionView struct {
	D             *habeas.Detention
	Zone          string // the city's time zone
	Status        habeas.Status
	ArrestedAt    time.Time
	ProtocolAt    time.Time
	Gap           *gap
	Sources       []*habeas.Source
	Person        *habeas.Person
	Names         []nameView
	PersonSources []*habeas.Source
	Events        []eventView
	// Arrests holds every account of the de facto arrest when there is more
	// than one, to be shown side by side; ArrestsDiffer says whether they
	// disagree on time, place or arresting body.
	Arrests        []eventView
	ArrestsDiffer  bool
	Assignments    []assignmentView
	Investigations []*habeas.Investigation
	Casualties     []*habeas.Casualty
	Evidence       []*habeas.Evidence
	History        []*habeas.Change
	// Panel is the state of every safeguard at the moment asked for.
	Panel *panelView
}

// eventView is a custody event with its sources looked up.
type eventView struct {
	habeas.Event
	Sources []*habeas.Source
}

// assignmentView is a lawyer's assignment with the lawyer looked up.
type assignmentView struct {
	*habeas.Assignment
	Lawyer  *habeas.Lawyer
	Sources []*habeas.Source
}

// gap is how long after the de facto arrest the protocol says it happened.
// Recording arrests late is a known way around the legal time limits.
type gap struct {
	Negative       bool // the protocol time is before the arrest
	Hours, Minutes int
}

func newGap(arrest, protocol time.Time) *gap {
	if arrest.IsZero() || protocol.IsZero() {
		return nil
	}
	d := protocol.Sub(arrest)
	g := &gap{Negative: d < 0}
	if d < 0 {
		d = -d
	}
	g.Hours, g.Minutes = int(d/time.Hour), int(d%time.Hour/time.Minute)
	return g
}

// detentionPage serves GET /detentions/{id}: the safeguards judged now (or
// at ?at=RFC3339), the person, the custody timeline with the sources of
// every fact, lawyers, investigations, casualties, evidence and the full
// history.
func (s *Server) detentionPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := r.PathValue("id")
	if !habeas.ValidID(habeas.KindDetention, id) {
		return habeas.Errorf(habeas.ENOTFOUND, "detention %s not found", id)
	}
	d, err := s.cfg.Detentions.FindDetentionByID(ctx, id)
	if err != nil {
		return err
	}
	v := detentionView{D: d, Status: d.Status(), ArrestedAt: d.ArrestedAt(), ProtocolAt: d.ProtocolAt()}
	if v.Panel, err = s.panel(r, id); err != nil {
		return err
	}
	if c, ok := habeas.FindCity(d.City); ok {
		v.Zone = c.Zone
	}
	v.Gap = newGap(v.ArrestedAt, v.ProtocolAt)
	ss := newSourceSet(s.cfg.Records)
	if v.Sources, err = ss.get(ctx, d.Sources...); err != nil {
		return err
	}
	if v.Person, err = s.cfg.Persons.FindPersonByID(ctx, d.PersonID); err != nil {
		return err
	}
	if v.Names, err = ss.names(ctx, v.Person); err != nil {
		return err
	}
	if v.PersonSources, err = ss.get(ctx, v.Person.Sources...); err != nil {
		return err
	}
	for _, e := range d.Events {
		ev := eventView{Event: e}
		if ev.Sources, err = ss.get(ctx, e.Sources...); err != nil {
			return err
		}
		v.Events = append(v.Events, ev)
		if e.Type == habeas.EventArrest {
			v.Arrests = append(v.Arrests, ev)
		}
	}
	if len(v.Arrests) < 2 {
		v.Arrests = nil
	}
	for _, a := range v.Arrests {
		if first := v.Arrests[0]; !a.At.Equal(first.At) || a.Place != first.Place || a.Body != first.Body {
			v.ArrestsDiffer = true
		}
	}
	if err := s.linked(r, &v); err != nil {
		return err
	}
	if v.History, err = historyOf(ctx, s.cfg.Changes, d.ID, d.PersonID); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "detention", v)
	return nil
}

// linked fills in the records that refer to the detention: assignments,
// casualties, evidence, and the investigations of the detention and of
// its casualties.
func (s *Server) linked(r *http.Request, v *detentionView) error {
	ctx, rs, id := r.Context(), s.cfg.Records, v.D.ID
	as, err := referring[*habeas.Assignment](ctx, rs, habeas.KindAssignment, id)
	if err != nil {
		return err
	}
	for _, a := range as {
		av := assignmentView{Assignment: a}
		if e, err := rs.Find(ctx, habeas.KindLawyer, a.LawyerID); err == nil {
			av.Lawyer = e.(*habeas.Lawyer)
		} else if habeas.ErrorCode(err) != habeas.ENOTFOUND {
			return err
		}
		if av.Sources, err = newSourceSet(rs).get(ctx, a.Sources...); err != nil {
			return err
		}
		v.Assignments = append(v.Assignments, av)
	}
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

func casualtyIDs(cs []*habeas.Casualty) []string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}
